"""Certificates: finishing a series (every lesson's quiz finished, practice series included)
earns one, printed under a name the learner chooses and verifiable by its code.

One certificate per learner and series: asking again gives the same one (same code, the
stored name); changing the name keeps the code. ``/verify <code>`` and the deep link
``v_<code>`` tell anyone the name, the series and the date, nothing else.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import tzinfo

from bot.services.env import Env, Gone
from bot.services.schedule import prefs_of
from content.model import Catalog, SeriesContent
from domain.records import Certificate, User

# No look-alikes: no 0/O, 1/I/L.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
NAME_LIMIT = 64  # characters of the printed name
AWAIT_NAME = "cert"  # users.awaiting = "cert:<series id>": the next text is the name to print
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(text: str) -> str:
    """A code as typed: case and spaces (and dashes) do not matter."""
    return re.sub(r"[\s\-]+", "", text or "").upper()


def clean_name(text: str) -> str | None:
    """The name to print: plain text on one line, 1–64 characters; None if it does not fit."""
    name = " ".join(_CONTROL.sub(" ", text or "").split())
    return name if 1 <= len(name) <= NAME_LIMIT else None


def series_finished(series: SeriesContent, completed: set[str]) -> bool:
    return bool(series.lessons) and all(x.id in completed for x in series.lessons)


def series_title_of(catalog: Catalog, lang: str, cert: Certificate) -> SeriesContent | None:
    """The certificate's series in ``lang`` (else in the language it was issued in)."""
    return catalog.series(lang, cert.series_id) or catalog.series(cert.language, cert.series_id)


@dataclass(frozen=True)
class Issued:
    """A certificate to send (its files), with its series as the learner reads it."""

    certificate: Certificate
    series: SeriesContent
    tz: tzinfo
    new: bool = False  # issued just now
    renamed: bool = False  # its name just changed


@dataclass(frozen=True)
class Request:
    """What the certificate button leads to: the files of the one issued before, a question
    for the name, or (the series is not finished) a pointer back to its lessons."""

    series: SeriesContent
    issued: Issued | None = None  # issued before: sent again
    ask_name: bool = False
    unfinished: bool = False
    rename: bool = False  # asking for a new name for an issued certificate


@dataclass(frozen=True)
class Named:
    """The answer to a typed name: the certificate (issued or renamed), or a refusal."""

    issued: Issued | None = None
    invalid: bool = False  # empty or longer than NAME_LIMIT: asked again
    gone: bool = False  # the series (or its being finished) is no more


@dataclass(frozen=True)
class Verification:
    """What /verify tells: a certificate's name, series and date, or that there is none."""

    code: str
    certificate: Certificate | None
    series: SeriesContent | None
    tz: tzinfo

    @property
    def valid(self) -> bool:
        return self.certificate is not None and self.series is not None


def _series(env: Env, lang: str, series_id: str) -> SeriesContent:
    series = env.catalog.series(lang, series_id)
    if series is None:
        raise Gone("series")
    return series


async def request(env: Env, user: User, lang: str, series_id: str) -> Request:
    """The certificate button: re-sends an issued certificate, else asks for the name (the
    series must be finished)."""
    series = _series(env, lang, series_id)
    tz = prefs_of(user, lang).tz
    found = await env.storage.certificate_of(user.id, series_id)
    if found is not None:
        return Request(series, Issued(found, series, tz))
    if not series_finished(series, await env.storage.completed_lessons(user.id)):
        return Request(series, unfinished=True)
    await env.storage.set_awaiting(user.id, f"{AWAIT_NAME}:{series_id}")
    return Request(series, ask_name=True)


async def ask_rename(env: Env, user: User, lang: str, series_id: str) -> Request:
    """ "Change the name": the next text is the new name (the code stays)."""
    series = _series(env, lang, series_id)
    found = await env.storage.certificate_of(user.id, series_id)
    if found is None:
        return await request(env, user, lang, series_id)
    await env.storage.set_awaiting(user.id, f"{AWAIT_NAME}:{series_id}")
    return Request(series, Issued(found, series, prefs_of(user, lang).tz), ask_name=True,
                   rename=True)  # fmt: skip


async def name_typed(env: Env, user: User, lang: str, text: str) -> Named:
    """The name typed after the question (see :data:`AWAIT_NAME`)."""
    series_id = (user.awaiting or "").partition(":")[2]
    try:
        return await choose_name(env, user, lang, series_id, text)
    except Gone:
        await env.storage.set_awaiting(user.id, None)
        return Named(gone=True)


async def choose_name(env: Env, user: User, lang: str, series_id: str, text: str) -> Named:
    """Issue the series' certificate under ``text`` (typed, or the Telegram first name), or
    rename the one issued before (its code kept). Gone: the series is no more."""
    series = _series(env, lang, series_id)
    name = clean_name(text)
    if name is None:
        return Named(invalid=True)
    await env.storage.set_awaiting(user.id, None)
    tz = prefs_of(user, lang).tz
    found = await env.storage.certificate_of(user.id, series_id)
    if found is not None:
        renamed = await env.storage.rename_certificate(found.code, user.id, name)
        return Named(Issued(renamed or found, series, tz, renamed=True))
    if not series_finished(series, await env.storage.completed_lessons(user.id)):
        raise Gone("series")
    code = new_code()
    while await env.storage.certificate(code) is not None:  # practically never
        code = new_code()
    cert = await env.storage.issue_certificate(code, user.id, series_id, lang, name, env.now())
    return Named(Issued(cert, series, tz, new=cert.code == code))


async def mine(env: Env, user: User, lang: str) -> list[Issued]:
    """/certificates: the learner's certificates whose series still exists."""
    tz = prefs_of(user, lang).tz
    shown = []
    for cert in await env.storage.certificates(user.id):
        series = series_title_of(env.catalog, lang, cert)
        if series is not None:
            shown.append(Issued(cert, series, tz))
    return shown


async def verify(env: Env, user: User, lang: str, code: str) -> Verification:
    """/verify <code> (anyone): the certificate's name, series and date, or none."""
    wanted = normalize_code(code)
    tz = prefs_of(user, lang).tz
    cert = await env.storage.certificate(wanted) if wanted else None
    series = series_title_of(env.catalog, lang, cert) if cert is not None else None
    if series is None:
        cert = None
    return Verification(wanted, cert, series, tz)
