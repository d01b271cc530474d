"""ForecastCache on an injected clock: a published answer is served for ``ttl`` seconds, then
the next request goes to the database again; bodies of stored fits never expire."""

from datetime import date

from app.services.forecast_cache import ForecastCache


class ManualClock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def test_published_answer_expires_after_the_ttl_bodies_do_not() -> None:
    clock = ManualClock()
    cache = ForecastCache(ttl=4.0, clock=clock)
    day = date(2020, 7, 10)
    cache.put_body((7, day), b"fit 7")
    cache.remember_published("NY", day, 7)
    assert cache.published_body("NY", day) == (7, b"fit 7")
    assert cache.published_body("NY", None) is None  # another request
    clock.now += 4.0
    assert cache.published_body("NY", day) == (7, b"fit 7")  # still within the TTL
    clock.now += 0.001
    assert cache.published_body("NY", day) is None
    assert cache.body((7, day)) == b"fit 7"


def test_zero_ttl_remembers_nothing_and_bodies_are_lru() -> None:
    cache = ForecastCache(ttl=0.0, size=2, clock=ManualClock())
    for fit_id in (1, 2, 3):
        cache.put_body((fit_id, None), str(fit_id).encode())
        cache.remember_published("TX", None, fit_id)
    assert cache.published_body("TX", None) is None
    assert cache.body((1, None)) is None and cache.body((3, None)) == b"3"
