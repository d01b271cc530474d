"""The API docs offline: Swagger UI at /docs and ReDoc at /redoc render in chromium from the
vendored files, with every request the page makes going to the local server."""

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from app.config import Settings
from tests.e2e.web.conftest import LiveServer, serve, web_settings

LOCAL_SCHEMES = ("data:", "blob:", "about:")


@pytest.fixture
def docs_server(settings: Settings) -> Iterator[LiveServer]:
    with serve(web_settings(settings.DATABASE_URL)) as live:
        yield live


@dataclass
class Offline:
    """Requests seen by a page: the local ones go through, every other one is refused."""

    base: str
    seen: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def handle(self, route: Route) -> None:
        url = route.request.url
        self.seen.append(url)
        if url.startswith(self.base + "/") or url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort("internetdisconnected")


def offline_page(browser: Browser, live: LiveServer) -> tuple[Page, Offline, list[str]]:
    context = browser.new_context()
    offline = Offline(live.url)
    context.route("**/*", offline.handle)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, offline, errors


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_swagger_ui_renders_offline(docs_server: LiveServer, browser: Browser) -> None:
    page, offline, errors = offline_page(browser, docs_server)
    page.goto(docs_server.url + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("seircast")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() >= 10
    expect(page.locator(".opblock-summary-path", has_text="/forecast").first).to_be_visible()
    assert offline.refused == [] and errors == []
    paths = {url.removeprefix(docs_server.url).split("?")[0] for url in offline.seen}
    assert {"/docs", "/openapi.json", "/static/vendor/swagger-ui-bundle.js"} <= paths, paths
    page.context.close()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_redoc_renders_offline(docs_server: LiveServer, browser: Browser) -> None:
    page, offline, errors = offline_page(browser, docs_server)
    page.goto(docs_server.url + "/redoc")
    expect(page.locator(".api-info h1")).to_contain_text("seircast")
    expect(page.locator("[data-section-id^='operation/']").first).to_be_attached()
    expect(page.locator(".menu-content")).to_contain_text("forecast")
    assert offline.refused == [] and errors == []
    paths = {url.removeprefix(docs_server.url).split("?")[0] for url in offline.seen}
    assert {"/redoc", "/openapi.json", "/static/vendor/redoc.standalone.js"} <= paths, paths
    page.context.close()
