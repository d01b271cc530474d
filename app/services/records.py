"""The stored records that services hand to the API, the website and the CLI.

Read models only: callers read their attributes and render them; every query and every
write goes through a service function. Named here so that callers above the services
never import ``app.db`` (the import-linter contract in pyproject.toml).
"""

from app.db.models import Fit, ForecastRow, Job, Region, Release

__all__ = ["Fit", "ForecastRow", "Job", "Region", "Release"]
