"""``seircast backtest`` as a subprocess: countries are written with ISO-2 hub locations.

Only the validity of the rows is checked: forecasts of regions outside the US are the
project's held-out set, so their values and scores are not looked at here.
"""

import csv
import gzip
import io
import os
import subprocess
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

from app.core.hubformat import QUANTILES_23, parse_hub_csv

SEIRCAST = str(Path(sys.executable).parent / "seircast")
BUNDLED = Path(__file__).resolve().parents[2] / "app" / "data"
COUNTRIES = ("France", "Germany")


def _run(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SEIRCAST_DATABASE_URL": db_url}
    return subprocess.run([SEIRCAST, *args], env=env, capture_output=True, text=True, timeout=600)


def _countries_file(series: str, folder: Path) -> Path:
    """The bundled CSSE global file, only the rows of ``COUNTRIES`` (values unchanged)."""
    name = f"time_series_covid19_{series}_global.csv"
    text = gzip.decompress((BUNDLED / f"{name}.gz").read_bytes()).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [rows[0], *(r for r in rows[1:] if r[1] in COUNTRIES)]
    )
    path = folder / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_backtest_of_countries_writes_iso2_hub_rows(db_url: str, tmp_path: Path) -> None:
    files = [str(_countries_file(s, tmp_path)) for s in ("deaths", "confirmed")]
    ingest = _run(db_url, "ingest", *files)
    assert ingest.returncode == 0, ingest.stdout + ingest.stderr
    out = tmp_path / "hub.csv"
    args = ["--forecast-date", "2020-06-01", "--regions", "FR", "--regions", "DE"]
    result = _run(db_url, "backtest", *args, "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    text = out.read_text(encoding="utf-8")
    parsed = parse_hub_csv(text)
    assert parsed.ok, parsed.errors[:3]
    assert len(parsed.rows) == len(text.splitlines()) - 1
    assert {r.location for r in parsed.rows} == {"FR", "DE"}
    assert {r.forecast_date for r in parsed.rows} == {date(2020, 6, 1)}
    groups: dict[tuple[str, str], list[float | None]] = defaultdict(list)
    for row in parsed.rows:
        groups[(row.location, row.target)].append(row.quantile)
    wanted = {f"{n} wk ahead {k} death" for n in range(1, 5) for k in ("inc", "cum")}
    for location in ("FR", "DE"):
        assert wanted <= {t for loc, t in groups if loc == location}
    for levels in groups.values():
        assert levels.count(None) == 1  # the point row
        assert sorted(q for q in levels if q is not None) == list(QUANTILES_23)
    assert f"{len(parsed.rows)} hub rows written" in result.stdout
