"""The stored records that services hand to the API, the website and the CLI.

Read models and the job vocabulary only: callers read their attributes and render them;
every query and every write goes through a service function. Named here so that callers
above the services never import ``app.db`` (the import-linter contract in pyproject.toml).
"""

from app.db.job_contracts import ACTIVE, JobKind, JobStatus
from app.db.models import Fit, ForecastRow, Job, Region, Release

__all__ = ["ACTIVE", "Fit", "ForecastRow", "Job", "JobKind", "JobStatus", "Region", "Release"]
