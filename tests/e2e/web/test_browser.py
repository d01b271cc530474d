"""The website in Debian's chromium against a real uvicorn server: no console errors, charts
drawn with bands and medians, search and sort, the refit button, and the README screenshots
(written to docs/screenshots only with ``SEIRCAST_WRITE_SCREENSHOTS=1``)."""

import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from app.config import Settings
from tests.e2e.web.conftest import (
    API_KEY,
    DESKTOP,
    PHONE,
    LiveServer,
    open_page,
    serve,
    web_settings,
)
from tests.factories import REPO, spring_2020_csv

SCREENSHOTS = REPO / "docs" / "screenshots"
N_US_ROWS = 57  # the US and its 56 states and territories


@pytest.fixture
def fresh(settings: Settings) -> Iterator[LiveServer]:
    """A server on an empty database (regions only), from the ``settings`` fixture's database."""
    with serve(web_settings(settings.DATABASE_URL)) as live:
        yield live


def test_home_lists_forecasts_searches_and_sorts(seeded: LiveServer, browser: Browser) -> None:
    page, console = open_page(browser)
    page.goto(seeded.url + "/")
    rows = page.locator("#regions tbody tr")
    expect(rows).to_have_count(N_US_ROWS)
    ny = page.locator("#regions tbody tr", has_text="New York")
    expect(ny.locator(".num")).not_to_be_empty()
    expect(ny.locator("svg.spark polygon.band")).to_have_count(1)
    page.get_by_label("Search regions").fill("york")
    expect(page.locator("#regions tbody tr:visible")).to_have_count(1)
    expect(page.locator("[data-count]")).to_contain_text("1 of 57")
    page.get_by_label("Search regions").fill("zzz")
    expect(page.locator("[data-empty-filter]")).to_be_visible()
    page.get_by_label("Search regions").fill("")
    header = page.locator("#regions thead th", has_text="Deaths next 4 weeks")
    header.get_by_role("button").click()
    expect(header).to_have_attribute("aria-sort", "ascending")
    header.get_by_role("button").press("Enter")  # keyboard works too
    expect(header).to_have_attribute("aria-sort", "descending")
    cells = page.locator("#regions tbody tr td:nth-child(2)")
    values = [float(v) for v in cells.evaluate_all("cs => cs.map(c => c.dataset.value)")]
    assert values == sorted(values, reverse=True) and values[0] > 0
    page.get_by_label("Show").select_option("country")
    page.wait_for_url("**/?level=country")
    expect(page.locator("#regions tbody tr").first).to_be_visible()
    assert console.errors == []


def test_region_page_draws_forecast_bands_and_past_fits(
    seeded: LiveServer, browser: Browser
) -> None:
    page, console = open_page(browser)
    page.goto(seeded.url + "/regions/US-NY")
    daily = page.locator('[data-chart="daily"]')
    expect(daily).to_have_attribute("data-drawn", "true")
    expect(daily.locator("canvas")).to_have_count(1)
    labels = (daily.get_attribute("data-series") or "").split("|")
    assert {"Reported", "Smoothed", "Forecast median", "95% band", "50% band lower"} <= set(labels)
    assert any(label.startswith("Forecast of 2020-") for label in labels), labels  # May fit
    expect(daily).to_have_attribute("data-bands", "2")
    for name in ("cumulative", "rt"):
        chart = page.locator(f'[data-chart="{name}"]')
        expect(chart).to_have_attribute("data-bands", "2")
        expect(chart.locator("canvas")).to_have_count(1)
    page.get_by_role("button", name="All").click()
    expect(page.get_by_role("button", name="All")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("heading", name="Provenance")).to_be_visible()
    expect(page.locator(".prov")).to_contain_text("yyg-2020")
    expect(page.get_by_role("link", name="CSV")).to_have_attribute(
        "href", "/regions/US-NY/forecast.csv"
    )
    # the May fit's first weeks are reported by June 30: scored against the built-in baseline
    scorecard = page.locator("section", has=page.locator("#scorecard"))
    expect(scorecard.locator("tr.ours").first).to_contain_text("seircast")
    assert console.errors == []


def test_unknown_region_is_a_404_page_with_suggestions(
    seeded: LiveServer, browser: Browser
) -> None:
    page, _ = open_page(browser)
    response = page.goto(seeded.url + "/regions/New%20Yrok")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Region not found")).to_be_visible()
    page.get_by_role("link", name="US-NY").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("New York")


LEGEND_ROWS = "() => [...document.querySelectorAll('[data-chart=\"daily\"] .u-legend .u-series')]"
LEGEND = (
    LEGEND_ROWS
    + """.filter(r => r.offsetParent !== null).map(r => ({
    label: r.querySelector('.u-label').textContent,
    value: r.querySelector('.u-value') ? r.querySelector('.u-value').textContent : null}))"""
)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_legend_lists_what_is_drawn_without_placeholders(
    seeded: LiveServer, browser: Browser, viewport: dict[str, int]
) -> None:
    page, console = open_page(browser, viewport)
    page.goto(seeded.url + "/regions/US-NY")
    expect(page.locator('[data-chart="daily"]')).to_have_attribute("data-drawn", "true")
    rows = page.evaluate(LEGEND)
    labels = [r["label"] for r in rows if r["label"] != "Date"]
    assert labels[:5] == ["Reported", "Smoothed", "95% band", "50% band", "Forecast median"]
    assert len(labels) == 6 and labels[5].startswith("Forecast of 2020-"), labels
    assert all(r["value"] in (None, "") for r in rows), rows  # no "--" before any hover
    if viewport == PHONE:
        assert all(r["value"] is None for r in rows)  # a plain key on phones
    else:
        box = page.locator('[data-chart="daily"] .u-over').bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] * 0.9, box["y"] + box["height"] / 2)
        shown = {r["label"]: r["value"] for r in page.evaluate(LEGEND)}
        assert shown["Forecast median"] and shown["Reported"] == "", shown  # forecast days
        low, high = (float(v.replace(",", "")) for v in shown["95% band"].split("–"))
        assert low <= float(shown["Forecast median"].replace(",", "")) <= high
    assert console.errors == []


def test_jobs_progress_fits_a_phone(seeded: LiveServer, browser: Browser) -> None:
    page, console = open_page(browser, PHONE)
    page.goto(seeded.url + "/jobs")
    for _ in range(2):  # as rendered by the server, then as rebuilt by the first poll
        cells = page.locator("#jobs tbody tr td:nth-child(5)")
        expect(cells.first).to_be_visible()
        for box in [c.bounding_box() for c in cells.all()]:
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        expect(cells.first.locator("progress")).to_be_in_viewport()
        expect(cells.first.locator(".pct")).to_be_in_viewport()
        wrap = page.locator(".table-wrap", has=page.locator("#jobs"))
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth")
        page.wait_for_function("document.querySelector('[data-poll-status]').textContent !== ''")
    assert console.errors == []


def test_pages_fit_a_phone_screen(seeded: LiveServer, browser: Browser) -> None:
    for path in ("/", "/regions/US-NY", "/jobs", "/evaluation"):
        page, console = open_page(browser, PHONE)
        page.goto(seeded.url + path)
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        assert console.errors == [], path
        page.close()


def test_screenshots_for_the_readme(seeded: LiveServer, browser: Browser, tmp_path: Path) -> None:
    """Taken and checked on every run; written over docs/screenshots only on request
    (``SEIRCAST_WRITE_SCREENSHOTS=1``), so tests leave the git tree clean."""
    folder = SCREENSHOTS if os.environ.get("SEIRCAST_WRITE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    for size_name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        for name, path in (("home", "/"), ("region-US-NY", "/regions/US-NY")):
            page, console = open_page(browser, viewport)
            page.goto(seeded.url + path)
            if "regions" in path:
                expect(page.locator('[data-chart="rt"]')).to_have_attribute("data-drawn", "true")
            target = folder / f"{name}-{size_name}.png"
            page.screenshot(path=str(target), full_page=True)
            shots.append(target)
            assert console.errors == []
            page.close()
    assert all(shot.stat().st_size > 10_000 for shot in shots)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_empty_site_then_refit_button_runs_a_job(
    fresh: LiveServer, browser: Browser, pool: ProcessPoolExecutor
) -> None:
    page, console = open_page(browser)
    for path, empty in (
        ("/", "No forecast yet"),
        ("/regions/US-NY", "No forecast yet"),
        ("/evaluation", "No scores yet"),
        ("/jobs", "No jobs yet"),
    ):
        page.goto(fresh.url + path)
        expect(page.locator("main")).to_contain_text(empty)
    assert console.errors == []
    csv = spring_2020_csv(("36",))
    assert fresh.post("/observations", files={"file": ("ny.csv", csv)}).status_code == 201
    page.goto(fresh.url + "/jobs")
    page.get_by_label("Regions to fit").fill("NY")
    page.get_by_role("button", name="Start refit").click()
    key = page.get_by_label("API key (X-API-Key)")
    expect(key).to_be_visible()  # the server answered 401: the page asks for the key
    key.fill(API_KEY)
    page.get_by_role("button", name="Start refit").click()
    status = page.locator("form .status")
    expect(status).to_contain_text("Started job")
    job_id = int((status.text_content() or "").split("Started job ")[1].split(".")[0])
    row = page.locator(f'#jobs tbody tr[data-job="{job_id}"]')
    expect(row).to_contain_text("US-NY")
    expect(row.locator(".pct")).to_contain_text("0/1")
    fresh.drain(pool, job_id)
    expect(row.locator(".st")).to_have_text("succeeded", timeout=15_000)
    expect(row.locator(".pct")).to_contain_text("1/1")
    page.goto(fresh.url + "/regions/US-NY")
    expect(page.locator('[data-chart="daily"]')).to_have_attribute("data-bands", "2")
    assert [e for e in console.errors if "401" not in e] == []
