"""/plan end to end: the pointer to /assess first; then, from a finished self-assessment and
the learner's commitments (seeded through the real storage), the plan and its PDF."""

from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader

from tests.e2e.assessing import greeted
from tests.e2e.steps import labels, plain


async def seed(harness, user_id: int) -> None:
    """A finished assessment (silos 5, too-big 4, culture 3, the rest 1) and a journal: an
    open commitment, one that worked (with a note) and one that did not."""
    storage, now = harness.storage, harness.clock()
    earlier = now - timedelta(days=2)
    assessment = await storage.start_assessment(user_id, earlier)
    ratings = {lesson: 1 for lesson in harness.catalog.lesson_ids("en")}
    ratings.update({"silos": 5, "too-big": 4, "culture": 3})
    for lesson, rating in ratings.items():
        assert await storage.rate_obstacle(assessment.id, user_id, lesson, rating, earlier)
    assert await storage.finish_assessment(assessment.id, user_id, earlier)
    await storage.commit(user_id, "all-is-fine", "open", None, earlier)
    worked, _ = await storage.commit(user_id, "fear-of-change", "open", None, earlier)
    await storage.answer_commitment(worked.id, user_id, "done", None, now)
    await storage.note_commitment(worked.id, user_id, "Weekly call with the branch heads")
    failed, _ = await storage.commit(user_id, "nominal-leader", "open", None, earlier)
    await storage.answer_commitment(failed.id, user_id, "failed", None, now)


async def test_without_an_assessment_plan_points_to_it(harness):
    user = await greeted(harness, 4001)
    await user.send("/plan")
    pointer = await user.next_message()
    assert "built from your self-assessment" in pointer.text
    assert labels(pointer) == ["📋 Self-assessment", "🏠 Menu"]
    await user.press(pointer, "📋 Self-assessment")
    intro = await user.next_edit()  # the assessment's intro, in place
    assert "You will see" in intro.text and labels(intro)[0] == "▶️ Start"


async def test_the_plan_and_its_pdf(harness):
    user = await greeted(harness, 4002, "Olena")
    await seed(harness, 4002)
    await user.send("/plan")
    shown = await user.next_message()
    text = shown.text
    assert "Your 90-day plan" in text
    assert "1. Departments at war — 5/5" in text
    assert text.index("Days 1–30") < text.index("Read “Departments at war” (5/5)")
    assert text.index("Days 31–60") < text.index("Read “Too big for personal service?” (4/5)")
    assert text.index("Days 61–90") < text.index("Read “Culture eats CX too” (3/5)")
    first_month = text[text.index("Days 1–30") : text.index("Days 31–60")]
    assert "Carry out what you took on: “Everything is fine as it is”." in first_month
    assert "keep “Fear of change” as a weekly routine" in first_month
    assert "Your note: Weekly call with the branch heads" in first_month
    second_month = text[text.index("Days 31–60") : text.index("Days 61–90")]
    assert "Re-read “A leader in name only”" in second_month
    assert labels(shown)[-2:] == ["📄 PDF", "🏠 Menu"]
    assert "📖 Departments at war" in labels(shown)

    await user.press(shown, "📄 PDF")
    document = await user.next_message()
    assert document.kind == "document"
    assert document.file.file_name == "cx-90-day-plan.pdf"
    assert document.caption == plain("📄 Your 90-day plan: print it, or share it with your team.")
    assert document.file_bytes.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(document.file_bytes)).pages
    pdf = " ".join(" ".join(page.extract_text() for page in pages).split())
    for expected in ("Your 90-day CX plan", "Olena", "Departments at war — 5/5",
                     "Your commitments", "done, and it worked", "CX Coach"):  # fmt: skip
        assert expected in pdf, expected
    await harness.settle()
    user.assert_no_event()


async def test_the_pdf_in_ukrainian_has_a_ukrainian_file_name(harness):
    user = await greeted(harness, 4003, "Олена", language="uk")
    await seed(harness, 4003)
    await user.send("/plan")
    shown = await user.next_message()
    assert "Ваш план на 90 днів" in shown.text and "Відділи на стежці війни" in shown.text
    await user.press(shown, "📄 PDF")
    document = await user.next_message()
    assert document.file.file_name == "cx-план-на-90-днів.pdf"
    pages = PdfReader(io.BytesIO(document.file_bytes)).pages
    pdf = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Ваш CX-план на 90 днів" in pdf and "Олена" in pdf
