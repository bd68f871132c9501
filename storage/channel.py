"""The channel's posting calendar: planned posts, claimed with leases, sent once."""

from __future__ import annotations

from storage.driver import Driver


class ChannelStore:
    db: Driver
