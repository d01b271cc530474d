"""Reading ``GET /forecast``: which fit answers a request, and its rendered body, cached.

The reader owns the unit of work and the cache; the caller owns the presentation (``render``
turns a ``ForecastView`` into the response body), so the same cache serves whatever the
route renders.
"""

from collections.abc import Callable
from datetime import date

from sqlalchemy.orm import Session, sessionmaker

from app.db.session import unit_of_work
from app.services.forecast_cache import ForecastCache
from app.services.forecasts import ForecastView, forecast_view, published_fit_id, resolve_fit

Render = Callable[[ForecastView], bytes]


class ForecastReader:
    def __init__(self, factory: sessionmaker[Session], cache: ForecastCache) -> None:
        self.factory, self.cache = factory, cache

    def cached(self, region: str, day: date | None) -> tuple[int, bytes] | None:
        """(fit id, body) of a fresh answer to the same published request: no database."""
        return self.cache.published_body(region, day)

    def read(
        self,
        region: str,
        day: date | None,
        as_of: str | None,
        fit_id: int | None,
        render: Render,
    ) -> tuple[int, bytes]:
        """(fit id, body) from the database, rendering only a (fit, day) not yet cached.

        Blocking: call it from a worker thread, never on the event loop.
        """
        cache = self.cache
        with unit_of_work(self.factory) as session:
            published = None if as_of or fit_id else published_fit_id(session, region)
            body = cache.body((published, day)) if published else None
            if published is None or body is None:
                place, fit = resolve_fit(session, region, as_of, fit_id)
                published = fit.id
                body = cache.body((fit.id, day))
                if body is None:
                    body = render(forecast_view(session, place, fit, day))
                    cache.put_body((fit.id, day), body)
        if as_of is None and fit_id is None:
            cache.remember_published(region, day, published)
        return published, body
