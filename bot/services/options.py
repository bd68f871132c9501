"""The order a question's options are shown in: drawn at random for each attempt and each
review, stored with it, and read back to judge a press (the button names only a position)."""

from __future__ import annotations

import random
from collections.abc import Sequence

_RANDOM = random.SystemRandom()


def new_order(count: int) -> tuple[int, ...]:
    """A random order of ``count`` options (option indexes, as they will be shown)."""
    order = list(range(count))
    _RANDOM.shuffle(order)
    return tuple(order)


def shown_order(stored: Sequence[int] | None, count: int) -> tuple[int, ...] | None:
    """The order a question's options were shown in: the stored one, file order if none was
    stored (attempts and cards from before shuffling), None if it no longer fits the
    question (its options changed since)."""
    if not stored:
        return tuple(range(count))
    order = tuple(stored)
    return order if sorted(order) == list(range(count)) else None
