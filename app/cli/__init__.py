"""The ``seircast`` command line (the console script calls ``main``).

``commands`` holds the group and serve / migrate / ingest, ``jobs`` the worker, refit and
forecast commands, ``eval`` the backtest, import, score and evaluate commands.
"""

from app.cli.commands import cli, main

__all__ = ["cli", "main"]
