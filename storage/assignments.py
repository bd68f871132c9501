"""Team assignments: a series with a due date, its reminders, and co-managers."""

from __future__ import annotations

from storage.driver import Driver


class AssignmentStore:
    db: Driver
