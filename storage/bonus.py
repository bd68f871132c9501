"""Bonus materials for channel members, attached to a lesson or a series."""

from __future__ import annotations

from storage.driver import Driver


class BonusStore:
    db: Driver
