"""/plan: the 90-day plan built from an assessment and commitments, its screen and its PDF."""

from __future__ import annotations

import functools
import io
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from bot import callbacks as cb
from bot.i18n import translator
from bot.render.plan import pdf_filename, plan_pdf, plan_screen
from bot.services import plan as plans
from bot.services.assessment import obstacles
from bot.services.env import Env
from bot.services.plan import MeasureKind, NinetyDayPlan, PlanOutcome, StepKind, build_plan
from content.loader import load
from content.model import Catalog
from content.telegram_html import parse_html
from domain.records import Assessment, Commitment
from tests.hermetic import HermeticSettings

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
KYIV = ZoneInfo("Europe/Kyiv")
# the three strongest, strongest first (ties keep the content's order): silos, too-big, culture
STRONG = {"silos": 5, "too-big": 5, "culture": 4, "distrust": 3}


@functools.cache
def catalog() -> Catalog:
    return load().catalog


def _assessment(ratings: dict[str, int], lang: str = "en") -> Assessment:
    every = {o.lesson.id: 2 for o in obstacles(catalog(), lang)}
    return Assessment(7, 1, NOW - timedelta(days=3), NOW - timedelta(days=2), {**every, **ratings})


def _commitment(n: int, lesson_id: str, status: str, note: str | None = None) -> Commitment:
    made = NOW - timedelta(days=n)
    return Commitment(n, 1, lesson_id, made, status, None, 0, None, note)


# newest first, as storage returns them
COMMITMENTS = [
    _commitment(1, "all-is-fine", "open"),
    _commitment(2, "fear-of-change", "done", "A weekly call with the branch heads"),
    _commitment(3, "nominal-leader", "failed", "Nobody came to the meeting"),
    _commitment(4, "old-team", "not_yet"),
    _commitment(5, "silos", "done"),  # a focus obstacle's own: told on its focus step
    _commitment(6, "fear-of-change", "failed"),  # older: the newer "done" is where it stands
    _commitment(7, "no-such-lesson", "open"),  # a lesson removed since: left out
    _commitment(8, "culture", "open"),  # the third month's focus, taken on: finished first
]


def _plan(lang: str = "en", ratings=STRONG, commitments=COMMITMENTS) -> NinetyDayPlan:
    return build_plan(obstacles(catalog(), lang), _assessment(ratings, lang), commitments)


def _steps(plan: NinetyDayPlan, phase: int, kind: StepKind) -> list:
    return [s for s in plan.phases[phase].steps if s.kind is kind]


def test_the_strongest_obstacles_take_one_phase_each_with_their_series():
    plan = _plan()
    assert [o.lesson.id for o in plan.strongest] == ["silos", "too-big", "culture"]
    assert [(p.first_day, p.last_day) for p in plan.phases] == [(1, 30), (31, 60), (61, 90)]
    for phase, (lesson, series) in enumerate(
        [("silos", "why-cx-fails"), ("too-big", "prejudices"), ("culture", "org-blockers")]
    ):
        (focus,) = _steps(plan, phase, StepKind.FOCUS)
        assert (focus.lesson_id, focus.rating) == (lesson, STRONG[lesson])
        assert [s.series_id for s in _steps(plan, phase, StepKind.SERIES)] == [series]
    # the focus obstacle's own commitment is said on its step, not repeated in its month
    assert _steps(plan, 0, StepKind.FOCUS)[0].status == "done"
    assert "silos" not in {s.lesson_id for p in plan.phases for s in p.steps
                           if s.kind is not StepKind.FOCUS}  # fmt: skip
    # measures: each focus re-rated a point lower; at the end, the re-take
    first, second, third = (p.measure for p in plan.phases)
    assert (first.kind, first.lesson_id, first.current, first.target) == (
        MeasureKind.RATING, "silos", 5, 4)  # fmt: skip
    assert second.lesson_id == "too-big"
    assert third.kind is MeasureKind.ASSESSMENT
    assert round(third.current, 2) == round((5 + 5 + 4) / 3, 2)
    assert round(third.target, 2) == round(third.current - 1, 2)
    assert _steps(plan, 1, StepKind.REVIEW) and _steps(plan, 2, StepKind.REASSESS)


def test_commitments_land_where_they_help():
    plan = _plan()
    # open ones are finished in the first month; what worked is kept from day one
    assert [s.lesson_id for s in _steps(plan, 0, StepKind.FINISH)] == ["all-is-fine", "culture"]
    assert _steps(plan, 2, StepKind.FOCUS)[0].status == "open"
    (keep,) = _steps(plan, 0, StepKind.KEEP)
    assert (keep.lesson_id, keep.note) == ("fear-of-change", "A weekly call with the branch heads")
    # what failed gets its lesson re-read, what was put off a date: the second month
    (reread,) = _steps(plan, 1, StepKind.REREAD)
    assert (reread.lesson_id, reread.note) == ("nominal-leader", "Nobody came to the meeting")
    assert [s.lesson_id for s in _steps(plan, 1, StepKind.RETRY)] == ["old-team"]
    assert not _steps(plan, 2, StepKind.FINISH) and not _steps(plan, 2, StepKind.REREAD)
    # the journal, newest first, without the removed lesson
    assert [c.lesson_id for c in plan.commitments] == [
        "all-is-fine", "fear-of-change", "nominal-leader", "old-team", "silos", "fear-of-change",
        "culture",
    ]  # fmt: skip


def test_without_a_strong_obstacle_the_plan_still_has_three_phases():
    plan = _plan(ratings={}, commitments=[])
    assert plan.strongest == []
    assert [s.kind for s in plan.phases[0].steps] == [StepKind.EXPLORE]
    assert plan.phases[0].measure.kind is MeasureKind.ACTIONS
    assert plan.phases[0].measure.target == 1
    assert [s.kind for s in plan.phases[2].steps] == [StepKind.REASSESS]
    assert plan.phases[2].measure.current == 2  # every obstacle rated 2


def test_the_screen_names_each_phase_and_fits_a_message():
    t = translator("en")
    screen = plan_screen(t, catalog(), PlanOutcome(_plan(), NOW, KYIV))
    text = parse_html(screen.text).text
    phase1, rest = text.split("Days 31–60", 1)
    phase2, phase3 = rest.split("Days 61–90", 1)
    assert "Read “Departments at war” (5/5)" in phase1
    assert "Its action worked for you: keep it as a routine." in phase1
    assert "Carry out what you took on: “Everything is fine as it is”." in phase1
    assert "It worked: keep “Fear of change” as a weekly routine." in phase1
    assert "Re-read “A leader in name only” and try its action another way." in phase2
    assert "Your note: Nobody came to the meeting" in phase2
    assert "Follow the series “Prejudices about customer processes”" in phase2
    assert "Read “Culture eats CX too” (4/5)" in phase3
    assert "take the self-assessment again" in phase3 and "from 4.7 to 3.7 or lower" in phase3
    assert "Measure: on day 30, rate “Departments at war” again: from 5 to 4 or lower." in text
    labels = [(b.text, b.callback_data) for row in screen.keyboard.inline_keyboard for b in row]
    assert labels[-2:] == [("📄 PDF", cb.PlanPdf().encode()), ("🏠 Menu", "menu")]
    assert ("📖 Departments at war", "l:silos") in labels


def test_a_long_journal_still_fits_one_message_and_the_rest_is_in_the_pdf():
    lessons = [o.lesson.id for o in obstacles(catalog(), "uk")]
    statuses = ("open", "done", "failed", "not_yet", "later")
    many = [
        _commitment(n, lesson, statuses[n % 5], "Ми спробували, і ось що вийшло: " * 20)
        for n, lesson in enumerate(lessons)
    ]
    t = translator("uk")
    screen = plan_screen(t, catalog(), PlanOutcome(_plan("uk", commitments=many), NOW, KYIV))
    text = parse_html(screen.text).text
    assert len(text) <= 4096
    assert "… і ще" in text and "у PDF" in text


def test_without_an_assessment_the_screen_points_to_it():
    t = translator("ru")
    screen = plan_screen(t, catalog(), PlanOutcome(None, NOW, KYIV))
    assert "самооценке" in screen.text and "/plan" in screen.text
    labels = [(b.text, b.callback_data) for row in screen.keyboard.inline_keyboard for b in row]
    assert labels == [("📋 Самооценка", cb.AssessIntro().encode()), ("🏠 Меню", "menu")]


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_opens_and_holds_the_plan_in_cyrillic():
    t = translator("ru")
    outcome = PlanOutcome(_plan("ru"), NOW, KYIV)
    data = plan_pdf(t, catalog(), outcome, "Олена")
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == "Ваш CX-план на 90 дней"
    text = " ".join(pdf_text(data).split())  # lines rejoined
    for expected in (
        "Ваш CX-план на 90 дней",
        "Подготовлено 1 дек. 2026 · Олена",
        "По вашей самооценке от 29 нояб. 2026.",
        "Что мешает сильнее всего",
        "Отделы на тропе войны — 5/5",
        "Дни 1–30: начните с того, что мешает сильнее всего",
        "Дни 31–60",
        "Дни 61–90: закрепите и измерьте",
        "Перечитайте «Номинальный лидер»",
        "Ваша заметка: Nobody came to the meeting",
        "Ваши обязательства",
        "сделано, и это сработало",
        "Пригласите коллегу из соседнего отдела",  # the focus lesson's action, in full
        "CX Coach",
    ):
        assert expected in text, expected
    assert pdf_filename(t) == "cx-план-на-90-дней.pdf"


async def test_the_use_case_reads_the_latest_assessment_and_the_journal(db):
    env = Env(HermeticSettings(), db, catalog(), lambda: NOW)
    user, _ = await db.touch_user(1, "Ann", "en", NOW)
    empty = await plans.plan(env, user, "en")
    assert empty.plan is None and empty.made_at == NOW

    assessment = await db.start_assessment(1, NOW - timedelta(days=1))
    for lesson, rating in {"silos": 4, "too-big": 5, "culture": 3}.items():
        await db.rate_obstacle(assessment.id, 1, lesson, rating, NOW - timedelta(days=1))
    await db.finish_assessment(assessment.id, 1, NOW - timedelta(days=1))
    done, _ = await db.commit(1, "fear-of-change", "open", None, NOW - timedelta(hours=3))
    await db.answer_commitment(done.id, 1, "done", None, NOW - timedelta(hours=2))
    failed, _ = await db.commit(1, "nominal-leader", "open", None, NOW - timedelta(hours=2))
    await db.answer_commitment(failed.id, 1, "failed", None, NOW - timedelta(hours=1))
    await db.commit(1, "all-is-fine", "open", None, NOW - timedelta(hours=1))

    made = (await plans.plan(env, user, "en")).plan
    assert made is not None
    assert [o.lesson.id for o in made.strongest] == ["too-big", "silos", "culture"]
    assert made.assessed_at == NOW - timedelta(days=1)
    assert [s.lesson_id for s in _steps(made, 0, StepKind.FINISH)] == ["all-is-fine"]
    assert [s.lesson_id for s in _steps(made, 0, StepKind.KEEP)] == ["fear-of-change"]
    assert [s.lesson_id for s in _steps(made, 1, StepKind.REREAD)] == ["nominal-leader"]


def test_what_the_font_cannot_draw_is_left_out_of_the_pdf():
    t = translator("uk")
    data = plan_pdf(t, catalog(), PlanOutcome(_plan("uk"), NOW, KYIV), "Олена 🌻 <b>&")
    text = " ".join(pdf_text(data).split())
    assert "Олена <b>&" in text and "🌻" not in text
