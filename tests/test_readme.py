"""The README names the files its ingest command loads (tests/e2e/test_ingest_readme.py runs it)."""

from pathlib import Path

README_FILES = (  # the order of the README command
    "us_state_deaths_daily_stitched.csv.gz",
    "time_series_covid19_confirmed_US_states_from_daily_reports.csv",
    "time_series_covid19_deaths_global.csv",
    "time_series_covid19_confirmed_global.csv",
)


def test_the_readme_names_these_files() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    command = next(line for line in readme.splitlines() if "seircast ingest" in line)
    assert [name for name in README_FILES if name in command] == list(README_FILES), command
    assert "*" not in command
