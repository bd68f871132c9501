"""/stats and /export end to end (admins)."""

from __future__ import annotations

import csv
import io

from tests.e2e import admins
from tests.e2e.admins import admin, learners

START, HARNESS = admins.START, admins.HARNESS  # the clock and settings of the fixture h


async def test_stats_chart_and_export(h):
    learner, _ = await learners(h, ["en", "uk"])
    await learner.send("/start l_silos")
    lesson = await learner.next_message()
    await learner.press(lesson, "📝 Take the quiz")
    await learner.next_message()
    boss = await admin(h)
    await boss.send("/stats")
    text = await boss.next_message()
    assert "Learners: 3" in text.text and "en 2" in text.text and "uk 1" in text.text
    chart = await boss.next_message()
    assert chart.kind == "photo" and chart.file_bytes.startswith(b"\x89PNG")
    await boss.send("/export")
    export = await boss.next_message()
    assert export.kind == "document" and export.file.file_name.endswith(".csv")
    rows = export.file_bytes.decode().splitlines()
    assert rows[0].startswith("user_id,") and len(rows) == 4
    assert any(row.startswith("1001,") for row in rows)


async def _seed_feedback(h, users: list[int]) -> None:
    """Through the real storage: ``users`` read silos and took its quiz (the first one's
    first answer wrong), rated it 4 and 2, the first wrote what was unclear (HTML-looking
    text), and both took on its action (one done)."""
    storage, now = h.storage, h.clock()
    for user_id, rating, right in zip(users, (4, 2), (False, True), strict=True):
        attempt = await storage.start_attempt(user_id, "silos", 2, now)
        await storage.record_answer(attempt.id, user_id, 0, 0, right, now)
        await storage.record_answer(attempt.id, user_id, 1, 0, True, now)
        assert await storage.rate_lesson(user_id, "silos", attempt.id, rating, now)
        made, _ = await storage.commit(user_id, "silos", "open", None, now)
        if rating == 4:
            assert await storage.answer_commitment(made.id, user_id, "done", None, now)
    assert await storage.note_unclear(users[0], "silos", "<b>x</b> & y", now)


async def test_lessons_their_figures_a_comment_the_chart_and_the_csv_files(h):
    learner, other = await learners(h, ["en", "uk"])
    await _seed_feedback(h, [1001, 1002])
    title = h.catalog.lesson("en", "silos")[1].title
    boss = await admin(h)
    await boss.send("/stats")
    report = await boss.next_message()
    await boss.next_message()  # the 30-day chart
    await boss.press(report, "📚 Lessons")
    listing = await boss.next_message()  # the /stats message stays
    assert "Lessons, all learners" in listing.text and "Page 1 of" in listing.text
    lines = listing.text.splitlines()
    figures = lines[lines.index(title) + 1]
    assert figures == "👁 2 · 🏁 2 · ⭐ 3.0 (2) · 🎯 75% · 🤝 2/0"
    await boss.press(listing, f"📖 {title}")
    detail = await boss.next_edit()
    text = detail.text
    assert "Opened: 2 · 🏁 completed: 2 (100%)" in text
    assert "Usefulness: 3.0 of 5, from 2 ratings" in text
    assert "— 50% of 2 learners" in text and "— 100% of 2 learners" in text
    assert "2 taken, 0 declined; of those taken: done 1" in text and "still open 1" in text
    assert "• <b>x</b> & y (Nov 2026)" in text  # shown as written: escaped, not bold
    assert not [e for e in detail.entities if e["type"] == "bold" and e["length"] == 1]
    assert "1001" not in text and "L0" not in text  # nothing says who wrote it
    await boss.press(detail, "⬅️ Lessons")
    back = await boss.next_edit()
    await boss.press(back, "📈 Chart")
    chart = await boss.next_message()
    assert chart.kind == "photo" and chart.file_bytes.startswith(b"\x89PNG")
    assert "mean usefulness" in chart.caption

    await boss.send("/export")
    files = [await boss.next_message() for _ in range(3)]
    assert [f.file.file_name for f in files[1:]] == ["lessons.csv", "comments.csv"]
    rows = {r["lesson_id"]: r for r in csv.DictReader(io.StringIO(files[1].file_bytes.decode()))}
    silos = rows["silos"]
    assert (silos["lesson_title"], silos["readers"], silos["ratings"]) == (title, "2", "2")
    assert (silos["usefulness_mean"], silos["q1_first_accuracy"]) == ("3.00", "0.500")
    assert (silos["commitments_taken"], silos["commitments_done"], silos["comments"]) == (
        "2", "1", "1",
    )  # fmt: skip
    assert rows["culture"]["readers"] == "0" and "lessons" in files[1].caption
    comments = list(csv.DictReader(io.StringIO(files[2].file_bytes.decode())))
    assert comments == [
        {"lesson_id": "silos", "lesson_title": title, "month": "2026-11",
         "comment": "<b>x</b> & y"},
    ]  # fmt: skip
    learner.skip_pending()
    other.skip_pending()


async def test_a_learner_pressing_forged_analytics_buttons_gets_nothing(h):
    (learner,) = await learners(h, ["en"])
    menu = learner.bot_messages()[-1]
    for data in ("al:0", "al:0:n", "ald:silos:0", "alc"):
        await learner.press_raw(menu, data)
        answer = await learner.next_event(kinds=("callback_answer",))
        assert not answer.callback.answer.get("text"), data  # silence
    await h.settle()
    learner.assert_no_event()  # no screen, no chart
