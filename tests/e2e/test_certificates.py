"""Certificates end to end: a learner finishes the short series "prejudices", gets the
certificate under a typed name (a PNG and a PDF), another user verifies its code by /verify
and by the v_ deep link; a wrong code is refused politely; /mydata deletion unknows it."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from tests.e2e.clocked import HARNESS, START, newcomer, quiz_then_rating  # noqa: F401
from tests.e2e.steps import labels

SERIES = "prejudices"
GET = "🎓 Get your certificate"


async def finish_series(h, user):
    series = h.catalog.series("en", SERIES)
    result = None
    for lesson in series.lessons:
        result, _ = await quiz_then_rating(h, user, lesson.id, right=True)
        if lesson is not series.lessons[-1]:
            assert GET not in labels(result)
    return result


async def test_finish_get_verify_and_delete(h):
    learner = await newcomer(h, 1001)
    result = await finish_series(h, learner)
    assert GET in labels(result)
    await learner.press(result, GET)
    ask = await learner.next_message()
    assert "Type the name to print" in ask.text
    assert "✅ Olena" in labels(ask)  # the Telegram first name in one tap
    await learner.send("Olena Petrenko")
    png = await learner.next_message()
    assert png.kind == "document" and png.file.file_name.endswith(".png")
    assert png.file_bytes.startswith(b"\x89PNG\r\n\x1a\n")
    pdf = await learner.next_message()
    assert pdf.kind == "document" and pdf.file.file_name.endswith(".pdf")
    text = PdfReader(io.BytesIO(pdf.file_bytes)).pages[0].extract_text()
    assert "Olena Petrenko" in text
    done = await learner.next_message()
    assert "Congratulations" in done.text
    code = re.search(r"Code: ([A-Z2-9]{10})", done.text).group(1)
    assert f"t.me/cxcoach_test_bot?start=v_{code}" in done.text
    assert code in text

    # asking again: the same certificate (same code), the name can change
    await learner.send("/certificates")
    listing = await learner.next_message()
    assert code in listing.text
    await learner.press(listing, labels(listing)[0])
    await learner.next_message()  # png
    await learner.next_message()  # pdf
    again = await learner.next_message()
    assert code in again.text and "Olena Petrenko" in again.text

    other = h.user(2002, "Taras", language="en")
    await other.send(f"/verify {code.lower()[:5]} {code[5:]}")
    checked = await other.next_message()
    assert "✅ Valid: Olena Petrenko finished «" in checked.text
    assert code not in checked.text
    await other.send(f"/start v_{code}")
    linked = await other.next_message()
    assert "✅ Valid: Olena Petrenko" in linked.text
    await other.send("/verify WRONG23456")
    refused = await other.next_message()
    assert "Sorry, there is no certificate with this code" in refused.text

    await learner.send("/mydata")
    mine = await learner.next_message()
    await learner.press(mine, "🗑 Delete all my data")
    await learner.press(await learner.next_edit(), "🗑 Yes, delete everything")
    assert "everything about you is deleted" in (await learner.next_edit()).text
    await other.send(f"/verify {code}")
    assert "no certificate with this code" in (await other.next_message()).text


async def test_a_name_too_long_is_asked_again(h):
    learner = await newcomer(h, 1003)
    result = await finish_series(h, learner)
    await learner.press(result, GET)
    await learner.next_message()
    await learner.send("x" * 65)
    assert "from 1 to 64 characters" in (await learner.next_message()).text
    await learner.press(result, GET)
    again = await learner.next_message()
    await learner.press(again, "✅ Olena")
    assert (await learner.next_message()).kind == "document"
