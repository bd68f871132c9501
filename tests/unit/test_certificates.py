"""Certificates: issued only for a finished series, one per series, renamed under the same
code, verified by code (any case, spaces); the PDF and the PNG."""

from __future__ import annotations

import functools
import io
import struct
from datetime import UTC, datetime

import pytest
from pypdf import PdfReader

from bot.i18n import translator
from bot.render.certificates import certificate_pdf, certificate_png, verification_screen
from bot.services import certificates
from bot.services.certificates import CODE_ALPHABET, Issued, clean_name, normalize_code
from bot.services.env import Env, Gone
from content.loader import load
from content.model import Catalog
from tests.hermetic import Clock, HermeticSettings

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
SERIES = "prejudices"


@functools.cache
def catalog() -> Catalog:
    return load().catalog


async def _setup(db, lang: str = "en"):
    env = Env(HermeticSettings(), db, catalog(), Clock(NOW))
    user, _ = await db.touch_user(1, "Ann", lang, NOW)
    return env, user


async def _finish(db, user_id: int = 1) -> None:
    for lesson in catalog().series("en", SERIES).lessons:
        await db.mark_completed(user_id, lesson.id, NOW)


async def _me(db, user_id: int = 1):
    return await db.get_user(user_id)


def test_codes_names_and_normalizing():
    code = certificates.new_code()
    assert len(code) == 10 and set(code) <= set(CODE_ALPHABET)
    assert not set("01IOL") & set(CODE_ALPHABET)
    assert normalize_code(" abcd 234 xyz ") == "ABCD234XYZ"
    assert clean_name("  Олена   Петренко ") == "Олена Петренко"
    assert clean_name("   ") is None and clean_name("x" * 65) is None
    assert clean_name("x" * 64) == "x" * 64


async def test_only_a_finished_series_earns_one_and_only_one(db):
    env, user = await _setup(db)
    request = await certificates.request(env, user, "en", SERIES)
    assert request.unfinished and not request.ask_name
    with pytest.raises(Gone):  # a name sent anyway issues nothing
        await certificates.choose_name(env, user, "en", SERIES, "Ann Lee")
    assert await db.certificates(1) == []
    await _finish(db)
    request = await certificates.request(env, user, "en", SERIES)
    assert request.ask_name and request.issued is None
    me = await _me(db)
    assert me.awaiting == f"cert:{SERIES}"
    named = await certificates.name_typed(env, me, "en", "  Ann   Lee ")
    assert named.issued is not None and named.issued.new
    cert = named.issued.certificate
    assert (cert.name, cert.series_id, cert.language) == ("Ann Lee", SERIES, "en")
    assert (await _me(db)).awaiting is None
    again = await certificates.request(env, await _me(db), "en", SERIES)
    assert again.issued is not None and again.issued.certificate.code == cert.code
    # even a second issue (a double tap) keeps the first one
    twice = await certificates.choose_name(env, await _me(db), "en", SERIES, "Other")
    assert twice.issued.certificate.code == cert.code
    assert len(await db.certificates(1)) == 1


async def test_invalid_name_is_asked_again_and_rename_keeps_the_code(db):
    env, user = await _setup(db)
    await _finish(db)
    await certificates.request(env, user, "en", SERIES)
    invalid = await certificates.name_typed(env, await _me(db), "en", "x" * 65)
    assert invalid.invalid and (await _me(db)).awaiting == f"cert:{SERIES}"
    first = (await certificates.name_typed(env, await _me(db), "en", "Ann")).issued
    asked = await certificates.ask_rename(env, await _me(db), "en", SERIES)
    assert asked.rename and asked.ask_name
    renamed = (await certificates.name_typed(env, await _me(db), "en", "Ann Lee")).issued
    assert renamed.renamed
    assert renamed.certificate.code == first.certificate.code
    assert (await db.certificate(first.certificate.code)).name == "Ann Lee"


async def test_verify_by_code_any_case_and_spaces(db):
    env, user = await _setup(db)
    await _finish(db)
    await certificates.request(env, user, "en", SERIES)
    cert = (await certificates.name_typed(env, await _me(db), "en", "Ann Lee")).issued.certificate
    other, _ = await db.touch_user(2, "Bob", "ru", NOW)
    typed = " ".join([cert.code[:4].lower(), cert.code[4:]])
    found = await certificates.verify(env, other, "ru", typed)
    assert found.valid and found.certificate.code == cert.code
    text = verification_screen(translator("en"), found).text
    assert "✅ Valid: Ann Lee finished «" in text and cert.code not in text
    missing = await certificates.verify(env, other, "en", "NOPE234XYZ")
    assert not missing.valid
    assert "no certificate with this code" in verification_screen(translator("en"), missing).text
    mine = await certificates.mine(env, await _me(db), "en")
    assert [i.certificate.code for i in mine] == [cert.code]


def _issued(lang: str) -> Issued:
    from zoneinfo import ZoneInfo

    from domain.records import Certificate

    series = catalog().series(lang, SERIES)
    cert = Certificate("ABCD234XYZ", 1, SERIES, lang, "Олена Петренко", NOW)
    return Issued(cert, series, ZoneInfo("Europe/Kyiv"), new=True)


def test_the_pdf_holds_name_series_and_code_in_russian():
    issued = _issued("ru")
    data = certificate_pdf(translator("ru"), issued, "cxcoach_bot")
    assert data.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) == 1
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert width > height
    text = " ".join(pages[0].extract_text().split())
    assert "Олена Петренко" in text
    title = issued.series.series.title.strip('«»“”"')
    assert " ".join(title.split()) in text
    assert "ABCD234XYZ" in text
    assert "t.me/cxcoach_bot?start=v_ABCD234XYZ" in text


def test_the_png_is_a4_landscape():
    data = certificate_png(translator("uk"), _issued("uk"), None)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    assert abs(width / height - 297 / 210) < 0.01
