"""Forecast Hub CSV vocabulary: quantile levels, targets, locations (US FIPS and ``US`` as the
COVID-19 Forecast Hub, other countries' ISO-2 codes as the European one), and the row types
(``app/core/hubformat.py`` parses and writes them).

The quantile levels are defined here only: the forecasts, the hub files, the scores and the
website all use these two tuples."""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

QUANTILES_23: tuple[float, ...] = (
    0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5,
    0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 0.975, 0.99,
)  # fmt: skip
"""The 23 Forecast Hub levels: every forecast stores its quantiles at these, in this order."""
QUANTILES_5: tuple[float, ...] = (0.025, 0.25, 0.5, 0.75, 0.975)
"""The 5 levels of the hub's visualisation files (the peers'), also the ones the website shows."""
MAX_WEEKS = 8

Kind = Literal["inc", "cum"]
RowType = Literal["point", "quantile"]
KINDS: tuple[Kind, ...] = ("inc", "cum")


def hub_target(horizon_weeks: int, kind: Kind) -> str:
    """The hub target name, e.g. ``1 wk ahead inc death``."""
    return f"{horizon_weeks} wk ahead {kind} death"


TARGETS: tuple[str, ...] = tuple(
    hub_target(n, kind) for kind in KINDS for n in range(1, MAX_WEEKS + 1)
)
# US locations: 50 states + DC (2-digit FIPS), the five inhabited territories (AS, GU, MP, PR,
# VI), and US (the nation, which is also its ISO 3166-1 code).
LOCATIONS: tuple[str, ...] = (
    "01", "02", "04", "05", "06", "08", "09", "10", "11", "12", "13", "15", "16", "17", "18",
    "19", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31", "32", "33",
    "34", "35", "36", "37", "38", "39", "40", "41", "42", "44", "45", "46", "47", "48", "49",
    "50", "51", "53", "54", "55", "56", "60", "66", "69", "72", "78", "US",
)  # fmt: skip
# Countries other than the US by ISO 3166-1 alpha-2, as the European COVID-19 Forecast Hub
# codes them: every country of the region registry (app/ingest/data/countries.csv, kind
# country; XK is Kosovo's user-assigned code, as CSSE and the EU use it). Not the registry's
# non-countries (AQ, XX-...), provinces (CA-ON) or US counties, which have no hub location.
COUNTRY_LOCATIONS: tuple[str, ...] = (
    "AD", "AE", "AF", "AG", "AL", "AM", "AO", "AR", "AT", "AU", "AZ", "BA", "BB", "BD", "BE", "BF",
    "BG", "BH", "BI", "BJ", "BN", "BO", "BR", "BS", "BT", "BW", "BY", "BZ", "CA", "CD", "CF", "CG",
    "CH", "CI", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO",
    "DZ", "EC", "EE", "EG", "ER", "ES", "ET", "FI", "FJ", "FM", "FR", "GA", "GB", "GD", "GE", "GH",
    "GM", "GN", "GQ", "GR", "GT", "GW", "GY", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IN", "IQ",
    "IR", "IS", "IT", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KZ",
    "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MG",
    "MH", "MK", "ML", "MM", "MN", "MR", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NE", "NG",
    "NI", "NL", "NO", "NP", "NR", "NZ", "OM", "PA", "PE", "PG", "PH", "PK", "PL", "PS", "PT", "PW",
    "PY", "QA", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SI", "SK", "SL", "SM",
    "SN", "SO", "SR", "SS", "ST", "SV", "SY", "SZ", "TD", "TG", "TH", "TJ", "TL", "TN", "TO", "TR",
    "TT", "TV", "TW", "TZ", "UA", "UG", "UY", "UZ", "VA", "VC", "VE", "VN", "VU", "WS", "XK", "YE",
    "ZA", "ZM", "ZW",
)  # fmt: skip
HUB_LOCATIONS = frozenset(LOCATIONS + COUNTRY_LOCATIONS)
HEADER: tuple[str, ...] = (
    "forecast_date", "target", "target_end_date", "location", "type", "quantile", "value",
)  # fmt: skip


def location_problem(text: str) -> str | None:
    """Why ``text`` is not a hub location (``HUB_LOCATIONS``, case-sensitive), None if it is."""
    if text in HUB_LOCATIONS:
        return None
    near = text.zfill(2) if text.isdigit() else text.upper()
    hint = f"; did you mean {near!r}?" if near in HUB_LOCATIONS else ""
    return (
        f"unknown location {text!r}: expected a 2-digit state/territory FIPS, 'US' or a"
        f" country's ISO 3166-1 alpha-2 code (FR, DE, GB, ...){hint}"
    )


@dataclass(frozen=True, slots=True)
class HubRow:
    """One forecast value; ``quantile`` is None for point rows."""

    forecast_date: date
    target: str
    horizon_weeks: int
    kind: Kind
    target_end_date: date
    location: str
    type: RowType
    quantile: float | None
    value: float


@dataclass(frozen=True, slots=True)
class HubError:
    """A problem at a 1-based file line (header = 1); ``column`` is None for whole-row issues."""

    line: int
    column: str | None
    message: str


@dataclass(slots=True)
class HubParseResult:
    """Valid rows, and every error found; the file is acceptable only when ``errors`` is empty."""

    rows: list[HubRow] = field(default_factory=list)
    errors: list[HubError] = field(default_factory=list)
    date_column: str = "forecast_date"

    @property
    def ok(self) -> bool:
        """True when the file has no errors."""
        return not self.errors
