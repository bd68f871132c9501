"""Scheduled broadcasts: "tomorrow 09:00" is 09:00 in the admin's own zone, offsets included."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services.broadcast import run_at

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("UTC+05:30", datetime(2026, 11, 24, 3, 30, tzinfo=UTC)),  # a typed offset
        ("UTC-03:00", datetime(2026, 11, 24, 12, 0, tzinfo=UTC)),
        ("UTC+00:00", datetime(2026, 11, 24, 9, 0, tzinfo=UTC)),
        ("UTC", datetime(2026, 11, 24, 9, 0, tzinfo=UTC)),
        ("Europe/Kyiv", datetime(2026, 11, 24, 7, 0, tzinfo=UTC)),
        ("Asia/Kolkata", datetime(2026, 11, 24, 3, 30, tzinfo=UTC)),
    ],
)
def test_tomorrow_nine_is_nine_in_the_admins_zone(zone, expected):
    assert run_at("tm", NOW, zone) == expected


def test_tomorrow_is_the_admins_tomorrow_not_utcs():
    late = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)  # already the 24th at UTC+05:30
    assert run_at("tm", late, "UTC+05:30") == datetime(2026, 11, 25, 3, 30, tzinfo=UTC)
