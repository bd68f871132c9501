"""Fixtures for every test: no developer configuration leaks in, and the header says which
PostgreSQL the run uses (and whether its absence fails the run)."""

from __future__ import annotations

import logging
import os

import pytest
from hypothesis import settings

from tests import postgres

# CI runs the same examples every time and keeps no example database between runs, so a
# failure is reproducible from the log; a developer's runs keep exploring (the default).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if postgres.ci():
    settings.load_profile("ci")


def pytest_report_header(config: pytest.Config) -> str:
    return postgres.describe()


@pytest.fixture(autouse=True)
def _no_developer_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    """CXCOACH_* variables of the developer's shell never reach a test (the suite's own
    CXCOACH_TEST_* stay); tests that want one set it themselves."""
    for name in list(os.environ):
        if name.startswith("CXCOACH_") and not name.startswith("CXCOACH_TEST_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _logging_restored():
    """A test that sets up logging (the bot's own ``setup_logging``) does not change it for
    the tests after it: levels, handlers and filters come back as they were."""
    names = ("", "httpx", "httpcore", "apscheduler", "telegram")
    loggers = [logging.getLogger(name) for name in names]
    saved = [(lg, lg.level, list(lg.handlers), list(lg.filters)) for lg in loggers]
    handler_filters = {h: list(h.filters) for lg in loggers for h in lg.handlers}
    yield
    for logger, level, handlers, filters in saved:
        logger.setLevel(level)
        logger.handlers[:] = handlers
        logger.filters[:] = filters
    for handler, filters in handler_filters.items():
        handler.filters[:] = filters
