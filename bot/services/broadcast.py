"""Broadcast rules as plain functions: audiences, schedules, progress, what can be sent."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from datetime import time as dtime

from bot.services.schedule import zone
from domain.records import Audience, QuestionStats

IDLE_STEPS = (None, 7, 14, 30)  # the idle filter cycles through these (days)
LANGUAGE_CODES = ("en", "ru", "uk")
# Message kinds an admin may broadcast (copyMessage keeps their formatting and media).
BROADCASTABLE = (
    "text",
    "photo",
    "video",
    "animation",
    "document",
    "audio",
    "voice",
    "video_note",
)


def toggle_language(audience: Audience, code: str) -> Audience:
    langs = set(audience.languages) ^ {code}
    return replace(audience, languages=tuple(c for c in LANGUAGE_CODES if c in langs))


def toggle_series(audience: Audience, series_id: str, order: list[str]) -> Audience:
    chosen = set(audience.series) ^ {series_id}
    return replace(audience, series=tuple(s for s in order if s in chosen))


def cycle_idle(audience: Audience) -> Audience:
    index = IDLE_STEPS.index(audience.idle_days) if audience.idle_days in IDLE_STEPS else 0
    return replace(audience, idle_days=IDLE_STEPS[(index + 1) % len(IDLE_STEPS)])


def cycle_button(current: str | None, order: list[str]) -> str | None:
    """None -> first series -> ... -> last series -> None."""
    if current not in order:
        return order[0] if order else None
    index = order.index(current) + 1  # type: ignore[arg-type]
    return order[index] if index < len(order) else None


def run_at(arg: str, now: datetime, timezone: str) -> datetime:
    """'60' -> in an hour; 'tm' -> tomorrow 09:00 in the admin's time zone."""
    if arg == "60":
        return now + timedelta(hours=1)
    tz = zone(timezone)  # named zones and fixed offsets (UTC+05:30) alike
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, dtime(9, 0), tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True)
class Progress:
    total: int
    sent: int
    failed: int  # failed + blocked + unconfirmed
    elapsed: float  # seconds since the start of this run

    @property
    def done(self) -> int:
        return self.sent + self.failed

    @property
    def remaining(self) -> int:
        return max(0, self.total - self.done)

    @property
    def rate(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        return self.remaining / self.rate if self.rate > 0 else None

    def bar(self, width: int = 20) -> str:
        filled = round(width * self.done / self.total) if self.total else width
        return "▓" * filled + "░" * (width - filled)


def progress_of(counts: dict[str, int], total: int, elapsed: float) -> Progress:
    failed = sum(counts.get(k, 0) for k in ("failed", "blocked", "unconfirmed"))
    return Progress(total, counts.get("sent", 0), failed, elapsed)


def hardest_questions(stats: list[QuestionStats], minimum: int = 5, top: int = 5):
    """Questions most learners get wrong (with at least ``minimum`` answers), worst first."""
    rated = [q for q in stats if q.answers >= minimum]
    rated.sort(key=lambda q: (q.correct / q.answers, -q.answers))
    return [q for q in rated[:top] if q.correct / q.answers < 0.5]
