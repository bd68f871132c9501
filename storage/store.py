"""The storage: every aggregate's queries (written once) over one driver.

A service depends on the part it uses — ``QuizStore``, ``ScheduleStore`` … (each in the module
of its name) — and gets this whole :class:`Storage`. The backends only add their driver (with
its :class:`~storage.driver.Dialect`): see ``storage/sqlite.py`` and ``storage/postgres.py``.
"""

from __future__ import annotations

from datetime import date

from storage.assessment import AssessmentStore
from storage.assignments import AssignmentStore
from storage.attribution import AttributionStore
from storage.bonus import BonusStore
from storage.broadcast import BroadcastStore
from storage.certificates import CertificateStore
from storage.channel import ChannelStore
from storage.commitments import CommitmentStore
from storage.dashboard import DashboardStore
from storage.digest import DigestStore
from storage.driver import Driver
from storage.feedback import FeedbackStore
from storage.lessons import LessonStore
from storage.mydata import MyDataStore
from storage.quiz import QuizStore
from storage.review import ReviewStore
from storage.schedule import ScheduleStore
from storage.stats import StatsStore
from storage.subscriptions import SubscriptionStore
from storage.teams import TeamStore
from storage.users import UserStore


class Storage(
    UserStore,
    SubscriptionStore,
    ScheduleStore,
    LessonStore,
    QuizStore,
    FeedbackStore,
    CommitmentStore,
    ReviewStore,
    BroadcastStore,
    AssessmentStore,
    TeamStore,
    MyDataStore,
    StatsStore,
    ChannelStore,
    AttributionStore,
    BonusStore,
    AssignmentStore,
    CertificateStore,
    DashboardStore,
    DigestStore,
):
    """Persistence for CX Coach. Every method is one transaction: it happens whole or not at
    all; times are aware UTC ``datetime`` objects."""

    def __init__(self, driver: Driver) -> None:
        self.db = driver
        self._days: dict[int, date] = {}  # last activity day written, per user (this process)

    async def open(self) -> None:
        """Connect and apply pending migrations."""
        await self.db.open()

    async def close(self) -> None:
        """Release connections; safe to call twice."""
        await self.db.close()

    async def schema_version(self) -> int:
        return await self.db.schema_version()
