"""Ingest use case: a file's bytes become one release holding only the values that changed."""

import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from app.core.types import BoolArray, IntArray
from app.db.base import utcnow
from app.db.models import Release
from app.db.observations import ObservationRepository
from app.db.provenance import releases_by_id, writer_matrix
from app.db.repositories import RegionRepository, ReleaseRepository
from app.errors import AppError, FieldProblem, conflict, invalid_file, invalid_input
from app.ingest.daily import parse_daily_archive
from app.ingest.decode import is_tar, to_text, unpack
from app.ingest.sniff import FileFormat, Series, parse
from app.ingest.table import ParsedFile, SeriesBlock
from app.ingest.wide import MAX_PROBLEMS
from app.services.scores import score_after_ingest


@dataclass(frozen=True, slots=True)
class IngestOptions:
    source: str
    name: str | None = None
    fmt: FileFormat = FileFormat.AUTO
    series: Series | None = None
    vintage_date: date | None = None
    max_bytes: int = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Kept:
    """Stored values of another source that a file disagreed with: kept, not overwritten."""

    values: int = 0
    regions: frozenset[str] = frozenset()
    releases: frozenset[int] = frozenset()

    def __add__(self, other: "Kept") -> "Kept":
        return Kept(
            self.values + other.values,
            self.regions | other.regions,
            self.releases | other.releases,
        )

    def note(self) -> str:
        if not self.values:
            return ""
        codes = sorted(self.regions)
        shown = ", ".join(codes[:5]) + (f" and {len(codes) - 5} more" if len(codes) > 5 else "")
        ids = ", ".join(str(i) for i in sorted(self.releases))
        return (
            f"; {self.values:,} values of {shown} differ from another source's (release {ids}) "
            "and were kept: a value is revised only by a file of the source that stored it "
            "(docs/DATA.md)"
        )


BUNDLED = "bundled:"


@dataclass(frozen=True, slots=True)
class IngestResult:
    created: bool
    release: Release
    message: str


def _resolve(regions: RegionRepository, block: SeriesBlock) -> SeriesBlock:
    codes: list[str] = []
    problems: list[FieldProblem] = []
    for key, line in zip(block.keys, block.lines, strict=True):
        region = regions.resolve(key)
        if region is None:
            # Suggestions scan the registry: only for the problems that will be reported.
            hint = regions.suggestions(key) if len(problems) < MAX_PROBLEMS else []
            more = f"; did you mean {', '.join(hint)}?" if hint else ""
            problems.append(FieldProblem(f"unknown region {key!r}{more}", line, "location"))
        else:
            codes.append(region.code)
    if problems:
        raise invalid_file(f"{len(problems)} unknown location(s)", problems[:MAX_PROBLEMS])
    if len(set(codes)) != len(codes):
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        raise invalid_file(f"several locations name the same region: {', '.join(dupes)}")
    return SeriesBlock(block.series, codes, block.dates, block.values, block.lines, True)


def source_kind(parsed: ParsedFile) -> str:
    """The source a file belongs to: its format; CSSE US state-level files apart from county
    files (their state totals differ)."""
    if parsed.format == "csse_us" and not any(r.level == "county" for r in parsed.regions):
        return "csse_us_states"
    return parsed.format


def _same_source(release: Release, stored_by: Release) -> bool:
    """Bundled files are one snapshot, loaded in a fixed order (app/services/bootstrap.py)."""
    both_bundled = release.source.startswith(BUNDLED) and stored_by.source.startswith(BUNDLED)
    return both_bundled or release.format == stored_by.format


def _foreign(
    session: Session, block: SeriesBlock, region_ids: IntArray, overwrites: BoolArray
) -> tuple[BoolArray, IntArray]:
    """Cells of ``overwrites`` whose stored value came from another source, and their writers."""
    rows = np.nonzero(overwrites.any(axis=1))[0]
    writers = np.zeros(overwrites.shape, dtype=np.int64)
    writers[rows] = writer_matrix(session, block.series, region_ids[rows].tolist(), block.dates)
    return overwrites & (writers > 0), writers


def _store_block(session: Session, block: SeriesBlock, release: Release) -> tuple[int, Kept]:
    ids_by_code = RegionRepository(session).ids_for(block.keys)
    region_ids = np.array([ids_by_code[c] for c in block.keys], dtype=np.int64)
    observations = ObservationRepository(session)
    existing = observations.latest_matrix(block.series, region_ids.tolist(), block.dates)
    new = block.values
    changed = ~np.isnan(new) & (np.isnan(existing) | (new != existing))
    kept = Kept()
    overwrites = changed & ~np.isnan(existing)
    if overwrites.any():
        candidates, writers = _foreign(session, block, region_ids, overwrites)
        by_id = releases_by_id(session, np.unique(writers[candidates]).tolist())
        foreign_ids = [i for i, r in by_id.items() if not _same_source(release, r)]
        foreign = candidates & np.isin(writers, foreign_ids)
        changed &= ~foreign
        rows = np.nonzero(foreign.any(axis=1))[0]
        kept = Kept(
            int(foreign.sum()),
            frozenset(block.keys[i] for i in rows),
            frozenset(int(i) for i in np.unique(writers[foreign])),
        )
    cells = np.nonzero(changed)
    stored = observations.insert_changed(
        block.series,
        release.id,
        region_ids,
        block.dates,
        (cells[0].astype(np.int64), cells[1].astype(np.int64)),
        new,
    )
    return stored, kept


def _check_vintage_not_future(vintage: date | None) -> None:
    today = utcnow().date()
    if vintage is not None and vintage > today:
        raise invalid_input(
            f"vintage_date {vintage} is in the future (today is {today} UTC)",
            [FieldProblem("after today", field="vintage_date")],
        )


def _vintage_order_problem(releases: ReleaseRepository, vintage: date | None) -> AppError | None:
    """Releases store only what changed since the previous one, so an as-of view is exact
    only when vintages arrive oldest first: an older vintage after a newer one is a 409."""
    newest = releases.newest_vintage()
    effective = vintage or utcnow().date()
    if newest is None or effective >= newest[1]:
        return None
    release, newest_date = newest
    return conflict(
        f"vintage {effective} is older than release {release.id}'s ({newest_date}): releases "
        "are stored as changes over the previous one, so vintages must be ingested oldest "
        "first; ingest older vintages into a new database",
        [FieldProblem(f"older than {newest_date} (release {release.id})", field="vintage_date")],
    )


def _new_release(parsed: ParsedFile, sha: str, options: IngestOptions) -> Release:
    dates = [d for b in parsed.blocks for d in b.dates]
    return Release(
        source=options.source,
        format=source_kind(parsed),
        sha256=sha,
        vintage_date=options.vintage_date,
        rows_read=parsed.rows_read,
        values_read=parsed.values_read,
        values_stored=0,
        regions=len({k for b in parsed.blocks for k in b.keys}),
        first_date=min(dates, default=None),
        last_date=max(dates, default=None),
        series=",".join(sorted({b.series for b in parsed.blocks})),
    )


def ingest_file(
    session: Session,
    data: bytes,
    source: str,
    name: str | None,
    *,
    max_bytes: int,
    fmt: FileFormat = FileFormat.AUTO,
    series: Series | None = None,
    vintage_date: date | None = None,
) -> IngestResult:
    """Ingest one file from ``source`` (an upload, URL, path or bundled file), named ``name``
    for sniffing; the one place the application builds its ``IngestOptions``."""
    options = IngestOptions(source, name, fmt, series, vintage_date, max_bytes)
    return ingest_bytes(session, data, options)


def ingest_bytes(session: Session, data: bytes, options: IngestOptions) -> IngestResult:
    """Parse, validate and store ``data`` as a release; identical data is a reported no-op.

    Raises:
        AppError: 413/422 with the offending line, column or field; 422 for a vintage_date
            after today; 409 for a vintage older than a stored release's when the file
            changes any value (raised after the writes: the caller's transaction, a
            ``unit_of_work``, rolls them back). Nothing is stored then.
    """
    sha = hashlib.sha256(data).hexdigest()
    releases = ReleaseRepository(session)
    latest = releases.latest()
    if latest is not None and latest.sha256 == sha:
        return IngestResult(
            False, latest, f"identical to the latest release {latest.id}; nothing stored"
        )
    _check_vintage_not_future(options.vintage_date)
    out_of_order = _vintage_order_problem(releases, options.vintage_date)
    raw = unpack(data, options.max_bytes)
    if is_tar(raw):
        parsed = parse_daily_archive(raw)
    else:
        parsed = parse(to_text(raw), options.fmt, options.name, options.series)
    if parsed.values_read == 0:
        raise invalid_file("the file has a header but no data values")
    regions = RegionRepository(session)
    regions.upsert(parsed.regions)
    blocks = [b if b.resolved else _resolve(regions, b) for b in parsed.blocks]
    release = releases.add(_new_release(parsed, sha, options))
    stored, kept = 0, Kept()
    for block in blocks:
        count, block_kept = _store_block(session, block, release)
        stored, kept = stored + count, kept + block_kept
    if stored == 0:
        releases.delete(release)
        latest_id = latest.id if latest else None
        return IngestResult(
            False,
            latest or release,
            f"no value differs from the stored data (latest release {latest_id}); "
            f"nothing stored{kept.note()}",
        )
    if out_of_order is not None:
        raise out_of_order
    release.values_stored = stored
    session.flush()
    score_after_ingest(session)
    message = f"release {release.id}: {stored:,} values stored{kept.note()}"
    return IngestResult(True, release, message)
