"""In-process caches of ``GET /forecast`` (held by ``ForecastReader``, one per application).

* Rendered bodies by (fit id, date): a stored fit's forecasts never change, so these never
  go stale (least recently used ones are dropped beyond ``size``).
* Which fit is published for a (region text, date) request, for ``ttl`` seconds: the hot path
  then touches no database at all; a new publication is served at most ``ttl`` later.
  Time is read from ``clock`` (``time.monotonic`` unless a test passes its own).
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date

BodyKey = tuple[int, date | None]
RequestKey = tuple[str, date | None]


class ForecastCache:
    def __init__(
        self, ttl: float, size: int = 4096, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl, self.size, self.clock = ttl, size, clock
        self.bodies: OrderedDict[BodyKey, bytes] = OrderedDict()
        self.published: dict[RequestKey, tuple[float, int]] = {}
        self.lock = threading.Lock()

    def body(self, key: BodyKey) -> bytes | None:
        with self.lock:
            found = self.bodies.get(key)
            if found is not None:
                self.bodies.move_to_end(key)
            return found

    def put_body(self, key: BodyKey, body: bytes) -> None:
        with self.lock:
            self.bodies[key] = body
            while len(self.bodies) > self.size:
                self.bodies.popitem(last=False)

    def published_body(self, region: str, day: date | None) -> tuple[int, bytes] | None:
        """(fit id, body) of a recent answer to the same request, if still fresh."""
        with self.lock:
            entry = self.published.get((region, day))
            if entry is None or entry[0] < self.clock():
                return None
            body = self.bodies.get((entry[1], day))
            return None if body is None else (entry[1], body)

    def remember_published(self, region: str, day: date | None, fit_id: int) -> None:
        if self.ttl <= 0:
            return
        with self.lock:
            if len(self.published) > self.size:
                self.published.clear()
            self.published[(region, day)] = (self.clock() + self.ttl, fit_id)
