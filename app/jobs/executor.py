"""The compute executor: a local process pool, or a Dask cluster when one is configured.

No home-made cluster code: with ``SEIRCAST_DASK_SCHEDULER=tcp://host:8786`` the fits run on
that Dask distributed cluster (which dask-jobqueue can also start on an HPC batch system)
through its ``concurrent.futures`` executor.
"""

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import ParamSpec, TypeVar

from threadpoolctl import threadpool_limits

from app.config import Settings

P = ParamSpec("P")
T = TypeVar("T")


class DaskExecutor(Executor):
    """A Dask ``Client``'s executor that also closes the client on shutdown."""

    def __init__(self, address: str) -> None:
        from distributed import Client

        self.client = Client(address)  # type: ignore[no-untyped-call]
        self._executor: Executor = self.client.get_executor()  # type: ignore[no-untyped-call]

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self._executor.shutdown(wait=wait)  # Dask's executor has no cancel_futures
        self.client.close()  # type: ignore[no-untyped-call]


FIT_NICENESS = 10


def init_fit_process() -> None:
    """Pool initializer. One BLAS thread per process: each process runs one fit, so more
    threads would only oversubscribe the cores (Dask's workers do the same by default). And a
    lower CPU priority: fits are background work, requests to the API come first."""
    threadpool_limits(limits=1)
    os.nice(FIT_NICENESS)


def make_executor(settings: Settings) -> Executor:
    """``SEIRCAST_DASK_SCHEDULER`` set: that cluster; else a process pool (spawn start)."""
    if settings.DASK_SCHEDULER:
        return DaskExecutor(settings.DASK_SCHEDULER)
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(
        max_workers=settings.EXECUTOR_WORKERS, mp_context=context, initializer=init_fit_process
    )


def describe_executor(settings: Settings) -> str:
    """What ``make_executor`` builds, for start-up logs."""
    if settings.DASK_SCHEDULER:
        return f"dask cluster at {settings.DASK_SCHEDULER}"
    return f"process pool of {settings.EXECUTOR_WORKERS}"
