import math
import threading
from fractions import Fraction

import pytest

from service.faults import EvenSpread, FaultDecision, FaultInjector
from service.settings import Settings


def picks(spread: EvenSpread, count: int) -> list[bool]:
    return [spread.next() for _ in range(count)]


@pytest.mark.parametrize(
    ("rate", "over_100"),
    [
        (0.0, 0),
        (0.01, 1),
        (0.1, 10),
        (0.25, 25),
        (0.29, 29),  # 0.29 * 100 is 28.999... in floats: the exact fraction must still give 29
        (1 / 3, 33),
        (0.5, 50),
        (0.7, 70),
        (0.99, 99),
        (1.0, 100),
    ],
)
def test_exact_count_over_100(rate, over_100):
    assert sum(picks(EvenSpread(rate), 100)) == over_100


@pytest.mark.parametrize(
    ("rate", "pattern"),
    [
        (0.0, [False, False, False, False]),
        (0.25, [False, False, False, True]),
        (0.5, [False, True, False, True]),
        (0.75, [False, True, True, True]),
        (1.0, [True, True, True, True]),
    ],
)
def test_exact_pattern_over_4(rate, pattern):
    spread = EvenSpread(rate)
    assert picks(spread, 4) == pattern
    # The pattern repeats: every block of four is the same.
    assert picks(spread, 4) == pattern


@pytest.mark.parametrize("rate", [0.1, 0.25, 0.3, 0.37, 2 / 3])
def test_every_window_holds_floor_or_ceil_of_its_share(rate):
    results = picks(EvenSpread(rate), 300)
    exact = Fraction(repr(rate))
    for size in (3, 7, 10, 50):
        low, high = math.floor(size * exact), math.ceil(size * exact)
        for start in range(len(results) - size + 1):
            assert low <= sum(results[start : start + size]) <= high


@pytest.mark.parametrize("rate", [-0.1, 1.01, math.nan])
def test_spread_rejects_rates_outside_0_to_1(rate):
    with pytest.raises(ValueError, match="expected a number from 0 to 1"):
        EvenSpread(rate)


def test_spread_reports_its_rate():
    assert EvenSpread(0.1).rate == 0.1
    assert EvenSpread(1).rate == 1.0


def test_spread_is_exact_across_threads():
    spread = EvenSpread(0.1)
    picked = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait()
        mine = sum(picks(spread, 1000))
        with lock:
            picked.append(mine)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(picked) == 800


def test_injector_without_faults_does_nothing():
    slept = []
    injector = FaultInjector(sleep=slept.append)
    assert not any(injector.apply() for _ in range(100))
    assert slept == []


def test_injector_fails_at_the_error_rate():
    injector = FaultInjector(error_rate=0.25, sleep=pytest.fail)
    assert [injector.apply() for _ in range(8)] == [False, False, False, True] * 2
    assert injector.error_rate == 0.25


def test_injector_delays_at_the_delay_rate_through_the_given_sleep():
    slept = []
    injector = FaultInjector(delay_seconds=0.2, delay_rate=0.1, sleep=slept.append)
    failures = [injector.apply() for _ in range(100)]
    assert not any(failures)
    assert slept == [0.2] * 10


def test_injector_delays_every_request_by_default_when_a_delay_is_set():
    slept = []
    injector = FaultInjector(delay_seconds=1.0, sleep=slept.append)
    for _ in range(4):
        injector.apply()
    assert slept == [1.0] * 4


def test_delay_rate_without_delay_never_sleeps():
    injector = FaultInjector(delay_seconds=0.0, delay_rate=1.0, sleep=pytest.fail)
    assert [injector.decide() for _ in range(3)] == [FaultDecision(False, 0.0)] * 3


def test_errors_and_delays_are_spread_independently():
    injector = FaultInjector(error_rate=0.5, delay_seconds=3.0, delay_rate=0.25)
    decisions = [injector.decide() for _ in range(4)]
    assert [d.fail for d in decisions] == [False, True, False, True]
    assert [d.delay_seconds for d in decisions] == [0.0, 0.0, 0.0, 3.0]


def test_injector_rejects_negative_delay():
    with pytest.raises(ValueError, match="delay_seconds=-1"):
        FaultInjector(delay_seconds=-1.0)


def test_injector_from_settings():
    slept = []
    settings = Settings(fault_error_rate=1.0, fault_delay_seconds=0.5, fault_delay_rate=0.5)
    injector = FaultInjector.from_settings(settings, sleep=slept.append)
    assert [injector.apply() for _ in range(4)] == [True] * 4
    assert slept == [0.5, 0.5]
