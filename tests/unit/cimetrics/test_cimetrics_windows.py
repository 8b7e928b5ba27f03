"""The sync planner: stable windows, re-scan, gaps left by earlier syncs, splitting."""

from __future__ import annotations

from datetime import UTC, datetime

from paved.cimetrics.windows import Window, plan

NOW = datetime(2024, 5, 10, 15, 30, tzinfo=UTC)


def _day(day: int) -> datetime:
    return datetime(2024, 5, day, tzinfo=UTC)


def test_first_sync_lists_history_once_and_rescans_the_last_days():
    first = plan(NOW, _day(1), rescan_days=2, complete=[])
    assert first.history == (Window(_day(1), _day(8)),)
    assert first.rescan == Window(_day(8), _day(11))
    assert first.rescan.query() == "2024-05-08T00:00:00Z..2024-05-10T23:59:59Z"


def test_complete_windows_are_not_listed_again_and_gaps_are():
    done = [(_day(1), _day(3)), (_day(4), _day(8))]
    later = plan(NOW, _day(1), rescan_days=2, complete=done)
    assert later.history == (Window(_day(3), _day(4)),)
    assert plan(NOW, _day(1), rescan_days=2, complete=[(_day(1), _day(8))]).history == ()


def test_a_window_splits_in_halves_down_to_one_second():
    halves = Window(_day(1), _day(3)).halves()
    assert halves == (Window(_day(1), _day(2)), Window(_day(2), _day(3)))
    one = Window(_day(1), datetime(2024, 5, 1, 0, 0, 1, tzinfo=UTC))
    assert one.halves() is None
