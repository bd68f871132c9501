"""/stats and /export end to end (admins)."""

from __future__ import annotations

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
