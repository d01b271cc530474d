"""Ingest use case: a file's bytes become one release holding only the values that changed."""

import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy.orm import Session

from app.db.base import utcnow
from app.db.models import Release
from app.db.observations import ObservationRepository
from app.db.repositories import RegionRepository, ReleaseRepository
from app.errors import AppError, FieldProblem, invalid_file, invalid_input
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


def _store_block(session: Session, block: SeriesBlock, release_id: int) -> int:
    ids_by_code = RegionRepository(session).ids_for(block.keys)
    region_ids = np.array([ids_by_code[c] for c in block.keys], dtype=np.int64)
    observations = ObservationRepository(session)
    existing = observations.latest_matrix(block.series, region_ids.tolist(), block.dates)
    new = block.values
    changed = ~np.isnan(new) & (np.isnan(existing) | (new != existing))
    cells = np.nonzero(changed)
    return observations.insert_changed(
        block.series,
        release_id,
        region_ids,
        block.dates,
        (cells[0].astype(np.int64), cells[1].astype(np.int64)),
        new,
    )


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
    return AppError(
        f"vintage {effective} is older than release {release.id}'s ({newest_date}): releases "
        "are stored as changes over the previous one, so vintages must be ingested oldest "
        "first; ingest older vintages into a new database",
        409,
        "Conflict",
        "conflict",
        [FieldProblem(f"older than {newest_date} (release {release.id})", field="vintage_date")],
    )


def _new_release(parsed: ParsedFile, sha: str, options: IngestOptions) -> Release:
    dates = [d for b in parsed.blocks for d in b.dates]
    return Release(
        source=options.source,
        format=parsed.format,
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
    stored = sum(_store_block(session, b, release.id) for b in blocks)
    if stored == 0:
        releases.delete(release)
        latest_id = latest.id if latest else None
        return IngestResult(
            False,
            latest or release,
            f"no value differs from the stored data (latest release {latest_id}); nothing stored",
        )
    if out_of_order is not None:
        raise out_of_order
    release.values_stored = stored
    session.flush()
    score_after_ingest(session)
    return IngestResult(True, release, f"release {release.id}: {stored:,} values stored")
