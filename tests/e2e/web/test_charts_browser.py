"""Chart axes and y ranges in chromium on real, large numbers: the bundled JHU snapshot (to
2023-03-09) with the US and France fitted. US cumulative deaths pass 1.1 million; France's 95%
band ends far above its recent deaths."""

import json
import re
import shutil
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from app.services.bootstrap import load_bundled_data
from tests.e2e.web.conftest import DESKTOP, PHONE, LiveServer, open_page, serve, web_settings

CAP = 1.5  # the daily y axis shows at most 1.5 x the highest non-95% value in view
UNITS = {"daily": "deaths per day", "cumulative": "cumulative deaths", "rt": "R"}
# The y axis's tick labels as uPlot drew them, their widest measured width in the axis font,
# and the room they have: plot area left edge - axis title - tick - gap.
AXIS = """el => {
  const u = el.uplot, axis = u.axes[1];
  const ctx = document.createElement("canvas").getContext("2d");
  ctx.font = axis.font[0];
  const labels = axis._values.filter(v => v !== null);
  const widths = labels.map(v => ctx.measureText(v).width / devicePixelRatio);
  const wrap = u.root.querySelector(".u-wrap").getBoundingClientRect();
  const left = u.over.getBoundingClientRect().left - wrap.left;
  return {labels: labels, unit: axis.label, widest: Math.max(...widths),
          room: left - (axis.label ? axis.labelSize : 0) - axis.ticks.size - axis.gap};
}"""


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path, pool: ProcessPoolExecutor
) -> Iterator[LiveServer]:
    path = tmp_path_factory.mktemp("world") / "world.db"
    shutil.copy(sqlite_template, path)
    with serve(web_settings(f"sqlite:///{path}")) as live:
        load_bundled_data(live.factory)
        live.refit(pool, ["US", "FR"])
        yield live


def _region(browser: Browser, live: LiveServer, code: str, viewport: dict[str, int]) -> Page:
    page, console = open_page(browser, viewport)
    page.goto(f"{live.url}/regions/{code}")
    for name in UNITS:
        expect(page.locator(f'[data-chart="{name}"]')).to_have_attribute("data-drawn", "true")
    assert console.errors == []
    return page


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_y_axis_labels_fit_and_name_their_unit(
    world: LiveServer, browser: Browser, viewport: dict[str, int]
) -> None:
    page = _region(browser, world, "US", viewport)
    for name, unit in UNITS.items():
        axis = page.locator(f'[data-chart="{name}"]').evaluate(AXIS)
        assert axis["unit"] == unit
        assert 0 < axis["widest"] <= axis["room"], (name, axis)
    cumulative = page.locator('[data-chart="cumulative"]').evaluate(AXIS)["labels"]
    assert all(re.fullmatch(r"0|\d+(\.\d+)?M", label) for label in cumulative), cumulative
    assert float(cumulative[-1].removesuffix("M")) >= 1.0  # more than a million deaths
    page.close()


def _days(start: str | None, values: list[float | None] | None) -> dict[date, float]:
    if start is None or values is None:
        return {}
    first = date.fromisoformat(start)
    return {first + timedelta(i): v for i, v in enumerate(values) if v is not None}


def _expected_y(chart: dict[str, Any], since: date | None) -> tuple[float, float]:
    """(y axis top, 95% band peak) over the days from ``since``: the smoothed line, medians and
    the 50% band set the scale; the 95% band may raise it up to CAP times that."""
    fc = chart["forecast"]
    series = [_days(chart["observed"]["start"], chart["observed"]["smooth"])]
    series += [_days(fc["start"], fc["daily"][q]) for q in ("0.025", "0.25", "0.5", "0.75")]
    series += [_days(p["start"], p["median"]) for p in chart["past"]]
    band = _days(fc["start"], fc["daily"]["0.975"])

    def top(values: dict[date, float]) -> float:
        return max((v for d, v in values.items() if since is None or d >= since), default=0.0)

    core = max(1.0, *(top(s) for s in series))
    peak = top(band)
    return min(max(core, peak), CAP * core) * 1.1, peak


def _y_range(page: Page) -> tuple[float, str | None, bool]:
    daily = page.locator('[data-chart="daily"]')
    note = page.locator('[data-clip-note="daily"]')
    y_max = float(daily.evaluate("el => el.uplot.scales.y.max"))
    return y_max, daily.get_attribute("data-clipped"), note.is_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_wide_95_band_is_clipped_not_squashing_the_data(
    world: LiveServer, browser: Browser, viewport: dict[str, int]
) -> None:
    clipped = []
    for code in ("FR", "US"):
        page = _region(browser, world, code, viewport)
        chart = json.loads(page.locator("#chart-data").text_content() or "{}")
        recent = date.fromisoformat(chart["forecast"]["start"]) - timedelta(days=56)
        for button, since in (("Last 8 weeks", recent), ("All", None)):
            page.get_by_role("button", name=button).click()
            expected, peak = _expected_y(chart, since)
            y_max, flag, note_shown = _y_range(page)
            assert y_max == pytest.approx(expected, rel=1e-6), (code, button)
            assert flag == str(peak > y_max).lower() and note_shown == (peak > y_max)
            if note_shown:
                note = page.locator('[data-clip-note="daily"]')
                expect(note).to_contain_text("95% band is clipped")
                clipped.append((code, button, round(peak / y_max, 1)))
        page.close()
    # today's snapshot: both bands end several times above the recent deaths they start from
    assert {code for code, button, _ in clipped if button == "Last 8 weeks"} == {"FR", "US"}
