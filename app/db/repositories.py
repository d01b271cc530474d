"""Queries live here only. Repositories flush but never commit (the unit of work does)."""

import difflib
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, insert, or_, select
from sqlalchemy.orm import Session

from app.db.base import utcnow
from app.db.models import Region, RegionAlias, Release
from app.ingest.table import RegionRecord


def normalise_alias(text: str) -> str:
    return " ".join(text.split()).casefold()


class RegionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get_by_code(self, code: str) -> Region | None:
        return self.session.scalar(select(Region).where(Region.code == code.upper()))

    def resolve(self, text: str) -> Region | None:
        """Exact code first (``CA`` is Canada), then aliases (``NY``, ``New York``, ``36``)."""
        region = self.get_by_code(text.strip())
        if region is not None:
            return region
        alias = self.session.get(RegionAlias, normalise_alias(text))
        return self.session.get(Region, alias.region_id) if alias else None

    def suggestions(self, text: str, limit: int = 5) -> list[str]:
        names = self.session.execute(select(Region.code, Region.name)).all()
        choices = {normalise_alias(n): c for c, n in names} | {c.casefold(): c for c, _ in names}
        close = difflib.get_close_matches(normalise_alias(text), list(choices), n=limit, cutoff=0.6)
        return list(dict.fromkeys(choices[c] for c in close))

    def search(
        self, level: str | None, parent: str | None, q: str | None, limit: int, offset: int
    ) -> tuple[Sequence[Region], int]:
        stmt = select(Region)
        if level:
            stmt = stmt.where(Region.level == level)
        if parent:
            stmt = stmt.where(Region.parent_code == parent.upper())
        if q:
            pattern = f"%{q.casefold()}%"
            stmt = stmt.where(
                or_(func.lower(Region.name).like(pattern), func.lower(Region.code).like(pattern))
            )
        total = self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        rows = self.session.scalars(stmt.order_by(Region.code).limit(limit).offset(offset)).all()
        return rows, total

    def ids_for(self, codes: Sequence[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for start in range(0, len(codes), 500):
            chunk = list(codes[start : start + 500])
            rows = self.session.execute(
                select(Region.code, Region.id).where(Region.code.in_(chunk))
            )
            out.update({c: i for c, i in rows})
        return out

    def upsert(self, records: Sequence[RegionRecord]) -> dict[str, int]:
        """Insert unknown regions (existing ones keep their data) and their free aliases."""
        known = self.ids_for([r.code for r in records])
        new = [r for r in records if r.code not in known]
        if new:
            fields = (
                "code",
                "name",
                "level",
                "kind",
                "parent_code",
                "population",
                "fips",
                "lat",
                "lon",
            )
            rows = [
                {f: getattr(r, f) for f in fields} | {"constants": {}, "created_at": utcnow()}
                for r in new
            ]
            self.session.execute(insert(Region), rows)
        ids = known | self.ids_for([r.code for r in new])
        self._add_aliases(new, ids)
        return ids

    def _add_aliases(self, records: Sequence[RegionRecord], ids: dict[str, int]) -> None:
        wanted: dict[str, int] = {}
        for r in records:
            for alias in (r.code, r.name, *r.aliases):
                wanted.setdefault(normalise_alias(alias), ids[r.code])
        taken: set[str] = set()
        keys = list(wanted)
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            taken |= set(
                self.session.scalars(select(RegionAlias.alias).where(RegionAlias.alias.in_(chunk)))
            )
        rows = [{"alias": a, "region_id": i} for a, i in wanted.items() if a not in taken]
        if rows:
            self.session.execute(insert(RegionAlias), rows)

    def count(self) -> int:
        return self.session.scalar(select(func.count(Region.id))) or 0


class ReleaseRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, release: Release) -> Release:
        self.session.add(release)
        self.session.flush()
        return release

    def delete(self, release: Release) -> None:
        self.session.delete(release)
        self.session.flush()

    def get(self, release_id: int) -> Release | None:
        return self.session.get(Release, release_id)

    def latest(self) -> Release | None:
        return self.session.scalar(select(Release).order_by(Release.id.desc()).limit(1))

    def find_by_sha(self, sha256: str) -> Release | None:
        return self.session.scalar(select(Release).where(Release.sha256 == sha256).limit(1))

    def newest_vintage(self) -> tuple[Release, date] | None:
        """The release with the newest vintage (or retrieval date) and that date."""
        rows = self.session.scalars(select(Release)).all()
        dated = [(r, r.vintage_date or r.retrieved_at.date()) for r in rows]
        return max(dated, key=lambda pair: (pair[1], pair[0].id), default=None)

    def latest_on_or_before(self, day: date) -> Release | None:
        """The newest release whose vintage (or retrieval date) is on or before ``day``."""
        rows = self.session.scalars(select(Release).order_by(Release.id.desc())).all()
        for release in rows:
            vintage = release.vintage_date or release.retrieved_at.date()
            if vintage <= day:
                return release
        return None

    def list(self, limit: int, offset: int) -> Sequence[Release]:
        stmt = select(Release).order_by(Release.id.desc()).limit(limit).offset(offset)
        return self.session.scalars(stmt).all()

    def count(self) -> int:
        return self.session.scalar(select(func.count(Release.id))) or 0
