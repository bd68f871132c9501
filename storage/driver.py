"""One SQL text, two databases: the interface every query runs through.

Every query is written once, with named parameters (``:name``), in the module of its
aggregate (``storage/users.py``, ``quiz.py``, ``broadcast.py`` ...). A :class:`Driver` runs it
on its database — :class:`storage.sqlite.SQLiteDriver` or
:class:`storage.postgres.PostgresDriver` — and takes care of what the two do not share:

* parameters: ``:name`` as SQLite takes it, or ``$n`` for asyncpg (translated once per
  query and cached); Python values in, the database's values out (times are aware UTC
  ``datetime`` objects on both sides, ``day`` columns are ``date``);
* the few places where the dialects really differ, each one method of :class:`Dialect`:
  claiming rows with ``FOR UPDATE SKIP LOCKED``, a parameter holding a list, a UTC date
  from a time, an explicitly typed parameter;
* connections: SQLite's inline writer and reader plus aiosqlite for bulk work, PostgreSQL's
  pool; ``transaction()`` is one transaction on either.
"""

from __future__ import annotations

import dataclasses
import functools
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any, ParamSpec, TypeVar

Row = Mapping[str, Any]
_P = ParamSpec("_P")
_R = TypeVar("_R")
_T = TypeVar("_T")

# Every timestamp column of the schema (TIMESTAMPTZ in PostgreSQL, ISO text in SQLite); a
# test checks this list against the PostgreSQL schema.
TIME_COLUMNS = frozenset(
    "added_at answered_at arrived_at asked_at blocked_at cancelled_at changed_at claimed_at "
    "completed_at created_at due_at finished_at first_seen follow_up_at issued_at joined_at "
    "last_nudge_at last_review_at last_seen last_slot_at left_at made_at next_digest_at "
    "next_slot_at opened_at reminded_at retake_offered_at reviewed_at run_at sent_at shared_at "
    "slot_at started_at subscribed_at unsubscribed_at".split()
)
DATE_COLUMNS = frozenset({"day", "due_on"})

# set while an @offloaded operation runs: SQLite then runs its statements off the event loop
OFFLOADED: ContextVar[bool] = ContextVar("storage_offloaded", default=False)


def offloaded(method: Callable[_P, Awaitable[_R]]) -> Callable[_P, Awaitable[_R]]:
    """Mark an operation whose cost grows with the number of learners (it may take tens of
    milliseconds): SQLite runs its statements on a worker thread, not on the event loop.
    PostgreSQL's driver is asynchronous anyway and ignores the mark."""

    @functools.wraps(method)
    async def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        token = OFFLOADED.set(True)
        try:
            return await method(*args, **kwargs)
        finally:
            OFFLOADED.reset(token)

    return run


def aware(value: datetime) -> datetime:
    """A time for the database: refused when naive (always UTC-aware in this codebase)."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to storage; use timezone-aware UTC")
    return value


def iso(value: datetime) -> str:
    """The text form of a stored time (fixed width, so text order is time order): SQLite
    keeps times this way, and /mydata and /export show this form on both backends."""
    if value.tzinfo is not UTC:  # most are UTC already: read back, or the clock's now
        value = aware(value).astimezone(UTC)
    return value.isoformat(timespec="microseconds")


_ABSENT = object()


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, bool], ...]:
    return tuple((f.name, f.type == "bool") for f in dataclasses.fields(cls))


def record(cls: type[_T], row: Row, /, **values: Any) -> _T:
    """A domain record from a row whose columns carry its fields' names (``bool`` fields
    made bool: SQLite keeps 0/1); ``values`` give the fields that are not plain columns."""
    found = dict(values)
    for name, is_bool in _fields(cls):
        if name not in found and (value := row.get(name, _ABSENT)) is not _ABSENT:
            found[name] = bool(value) if is_bool else value
    return cls(**found)


@dataclass(frozen=True)
class Dialect:
    """What SQLite and PostgreSQL spell differently — everything else is written once."""

    name: str
    skip_locked: str  # appended to a SELECT that claims rows ("" where one writer at a time)
    for_update: str  # appended to a SELECT that locks a row against a concurrent writer
    _any: str  # a column matching any element of a list parameter
    _utc_date: str  # the UTC calendar date of a time column
    _typed: str  # a parameter of an explicit SQL type (where the type cannot be inferred)
    _pairs: str  # the (key, value) rows of a JSON object parameter (values as text)

    def any(self, column: str, param: str) -> str:
        return self._any.format(column=column, param=param)

    def utc_date(self, column: str) -> str:
        return self._utc_date.format(column=column)

    def typed(self, param: str, sql_type: str) -> str:
        return self._typed.format(param=param, type=sql_type)

    def pairs(self, param: str) -> str:
        return self._pairs.format(param=param)


class Executor(ABC):
    """Runs statements: on the whole database (a driver) or inside one transaction."""

    @abstractmethod
    async def fetch(self, sql: str, /, **params: Any) -> list[Row]: ...

    async def fetchrow(self, sql: str, /, **params: Any) -> Row | None:
        rows = await self.fetch(sql, **params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, /, **params: Any) -> Any:
        row = await self.fetchrow(sql, **params)
        return next(iter(row.values())) if row else None

    @abstractmethod
    async def write(self, sql: str, /, **params: Any) -> list[Row]:
        """One statement that changes data (atomic on its own); its RETURNING rows."""

    @abstractmethod
    async def write_many(self, sql: str, rows: Iterable[Mapping[str, Any]], /) -> None:
        """The same statement for each parameter set."""


class Driver(Executor):
    """A database: statements outside a transaction, and :meth:`transaction`."""

    dialect: Dialect

    @abstractmethod
    async def open(self) -> None:
        """Connect and apply the migrations not applied yet."""

    @abstractmethod
    async def close(self) -> None:
        """Release connections; safe to call twice."""

    @abstractmethod
    async def schema_version(self) -> int: ...

    @abstractmethod
    def transaction(self) -> Any:
        """``async with driver.transaction() as tx``: one transaction; rolled back whole on
        any error or cancellation, committed otherwise."""


def migrations(backend: str) -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped for ``backend``, in order."""
    folder = resources.files("storage") / "migrations" / backend
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise RuntimeError(f"migrations for {backend} are not numbered 1..n: {versions}")
    return found
