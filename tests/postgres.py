"""The PostgreSQL server the tests use, and when its absence is allowed.

``CXCOACH_TEST_POSTGRES`` names the server (default: the development and CI machines' local
one). A test that needs it calls :func:`postgres_dsn`:

* no server answers (connection refused, no such host, nothing listening): the test is
  *skipped*, saying so — unless PostgreSQL is required, then it *fails* with the same reason;
* anything else (a missing database, wrong credentials, a missing driver, a server that does
  not answer in time): the test *fails*. A misconfigured server is a broken set-up, not an
  absent one, and must never turn into a quiet skip.

PostgreSQL is required when ``CI`` is true (``.ci/run`` sets it) or when
``CXCOACH_TEST_POSTGRES`` is set explicitly: then nobody can mistake a green run for one that
covered both backends. The first probe's outcome is kept for the whole session.
"""

from __future__ import annotations

import errno
import os
import socket

import pytest

DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
DSN = os.environ.get("CXCOACH_TEST_POSTGRES", DEFAULT)
PROBE_TIMEOUT = 5.0

_ABSENT_ERRNOS = {errno.ECONNREFUSED, errno.ENOENT, errno.EHOSTUNREACH, errno.ENETUNREACH}


def ci() -> bool:
    """Whether this run is CI's (``CI`` set to a true value, as ``.ci/run`` does)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


def required() -> bool:
    """Whether a missing PostgreSQL fails the run instead of skipping its tests."""
    return ci() or "CXCOACH_TEST_POSTGRES" in os.environ


def _absent(exc: BaseException) -> bool:
    """True when nothing answers at all (as opposed to a server that refuses us)."""
    if isinstance(exc, socket.gaierror):
        return True
    if isinstance(exc, ConnectionRefusedError):
        return True
    if isinstance(exc, OSError) and exc.errno in _ABSENT_ERRNOS:
        return True
    # asyncpg tries every address of a host name and raises an OSError listing them
    causes = [c for c in (exc.__cause__, exc.__context__) if c is not None]
    return bool(causes) and all(_absent(c) for c in causes)


# (dsn, None) when reachable; (None, reason, absent) when not
_probe: tuple[str | None, str | None, bool] | None = None


async def probe() -> tuple[str | None, str | None, bool]:
    try:
        import asyncpg
    except ImportError as exc:  # a hard dependency: its absence is a broken install
        return None, f"asyncpg cannot be imported: {exc}", False
    try:
        connection = await asyncpg.connect(DSN, timeout=PROBE_TIMEOUT)
    except Exception as exc:
        return None, f"{type(exc).__name__}: {exc}", _absent(exc)
    try:
        await connection.fetchval("SELECT 1")
    finally:
        await connection.close()
    return DSN, None, False


async def postgres_dsn() -> str:
    """The server's DSN, or skip (no server, not required) / fail (anything else)."""
    global _probe
    if _probe is None:
        _probe = await probe()
    dsn, reason, absent = _probe
    if dsn is not None:
        return dsn
    where = f"PostgreSQL at {DSN}"
    if absent and not required():
        pytest.skip(f"{where}: no server answers ({reason}); set CI=true to require it")
    why = "no server answers" if absent else "the server is there but unusable"
    need = " (required: CI or CXCOACH_TEST_POSTGRES is set)" if absent else ""
    pytest.fail(f"{where}: {why}{need}: {reason}", pytrace=False)


def describe() -> str:
    """One line for pytest's header: which server, and whether it is required."""
    return f"postgres: {DSN} ({'required' if required() else 'optional: skipped if absent'})"
