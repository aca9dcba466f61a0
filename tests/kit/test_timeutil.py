from __future__ import annotations

from datetime import UTC, date, datetime

from intervals_server.kit.timeutil import local_to_utc


def test_a_local_time_becomes_its_utc_instant() -> None:
    assert local_to_utc(date(2030, 7, 1), "18:30", "America/New_York") == datetime(
        2030, 7, 1, 22, 30, tzinfo=UTC
    )


def test_a_local_time_in_a_spring_forward_gap_moves_forward_by_the_gap() -> None:
    # 02:30 does not exist on 2030-03-10 in New York; 03:30 EDT is 07:30 UTC.
    assert local_to_utc(date(2030, 3, 10), "02:30", "America/New_York") == datetime(
        2030, 3, 10, 7, 30, tzinfo=UTC
    )


def test_an_ambiguous_local_time_is_read_as_its_first_occurrence() -> None:
    # 01:30 happens twice on 2030-11-03 in New York; the first is EDT, 05:30 UTC.
    assert local_to_utc(date(2030, 11, 3), "01:30", "America/New_York") == datetime(
        2030, 11, 3, 5, 30, tzinfo=UTC
    )


def test_a_half_hour_gap_moves_forward_by_half_an_hour() -> None:
    # Lord Howe Island springs forward 30 minutes at 02:00 on 2030-10-06 (+10:30 → +11).
    assert local_to_utc(date(2030, 10, 6), "02:15", "Australia/Lord_Howe") == datetime(
        2030, 10, 5, 15, 45, tzinfo=UTC
    )
