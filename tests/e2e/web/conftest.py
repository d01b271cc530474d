"""Fixtures for the website tests: a real uvicorn server in a thread, Debian's chromium driven
by Playwright, and a server holding real 2020 data with published (and earlier) forecasts."""

import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db.session import make_engine, make_session_factory
from app.jobs.worker import Worker
from app.main import create_app
from tests.factories import free_port, spring_2020_csv

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
API_KEY = "web-test-key"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass
class LiveServer:
    """A running app: its base URL, settings and a session factory on the same database."""

    url: str
    settings: Settings
    factory: sessionmaker[Session]
    server: uvicorn.Server
    thread: threading.Thread

    def post(self, path: str, **kwargs: object) -> httpx.Response:
        headers = {"X-API-Key": API_KEY}
        return httpx.post(self.url + path, headers=headers, timeout=30, **kwargs)  # type: ignore[arg-type]

    def drain(self, pool: ProcessPoolExecutor, job_id: int) -> None:
        """Run the job's fits with a real worker (as tests/e2e/test_refit.py does). The API
        may answer before its transaction commits, so claim until the job has ended."""
        worker = Worker(self.factory, self.settings, pool, name="web-test-worker")
        for _ in range(200):
            worker.run_once()
            status = httpx.get(f"{self.url}/jobs/{job_id}", timeout=30).json()["status"]
            if status in ("succeeded", "failed", "cancelled"):
                return
            time.sleep(0.05)
        raise AssertionError(f"job {job_id} did not end: {status}")

    def refit(self, pool: ProcessPoolExecutor, regions: list[str]) -> None:
        response = self.post("/refit", json={"regions": regions})
        assert response.status_code == 202, response.text
        self.drain(pool, response.json()["id"])


@contextmanager
def serve(settings: Settings) -> Iterator[LiveServer]:
    """Start ``create_app(settings)`` under uvicorn in a thread; stop it afterwards."""
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=free_port(), log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="web-test-uvicorn", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        thread.join(0.05)
    engine = make_engine(settings.DATABASE_URL)
    try:
        yield LiveServer(
            f"http://127.0.0.1:{config.port}",
            settings,
            make_session_factory(engine),
            server,
            thread,
        )
    finally:
        server.should_exit = True
        thread.join(30)
        engine.dispose()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed at /usr/bin/chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@dataclass
class Console:
    """Console errors and uncaught page errors seen by a page."""

    errors: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)


def open_page(browser: Browser, viewport: dict[str, int] = DESKTOP) -> tuple[Page, Console]:
    page = browser.new_page(viewport=viewport)  # type: ignore[arg-type]
    console = Console()
    page.on("console", console.on_console)
    page.on("pageerror", lambda error: console.errors.append(f"pageerror: {error}"))
    return page, console


def web_settings(url: str) -> Settings:
    """The ``settings`` fixture's values, with an API key so the refit button must ask."""
    return Settings(
        DATABASE_URL=url,
        LOAD_BUNDLED_DATA=False,
        AUTO_MIGRATE=False,
        MAX_UPLOAD_BYTES=2_000_000,
        EMBEDDED_WORKER=False,
        REFIT_ON_START=False,
        JOB_LEASE_SECONDS=10.0,
        API_KEYS=[API_KEY],
    )


@pytest.fixture(scope="module")
def seeded(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, pool: ProcessPoolExecutor
) -> Iterator[LiveServer]:
    """NY, TX, CA deaths to 2020-06-30, fitted; NY also fitted on data to 2020-05-31 first, so
    its page overlays that earlier forecast on what happened. Shared by the read-only tests."""
    path = tmp_path_factory.mktemp("web") / "seeded.db"
    shutil.copy(sqlite_template, path)
    with serve(web_settings(f"sqlite:///{path}")) as live:
        may = spring_2020_csv(last_day="2020-05-31")
        assert live.post("/observations", files={"file": ("may.csv", may)}).status_code == 201
        live.refit(pool, ["NY"])
        june = spring_2020_csv()
        assert live.post("/observations", files={"file": ("june.csv", june)}).status_code == 201
        live.refit(pool, ["NY", "TX", "US-CA"])
        yield live
