"""A team's lessons under the privacy rule, on both databases: only members other than the
manager count, each figure only from at least MIN_TEAM (3) of them, comments likewise and
without their months; only the manager may look."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.services import teams
from bot.services.env import Env
from bot.services.stats import Accuracy
from bot.services.teams import MIN_TEAM, Step
from content.model import Catalog
from domain.records import LessonTally, QuestionStats
from tests import lessons
from tests.hermetic import HermeticSettings

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
MANAGER, OUTSIDER = 100, 200


def _catalog() -> Catalog:
    return lessons.catalog({"en": [lessons.lesson("silos"), lessons.lesson("culture")]})


def _env(db) -> Env:
    return Env(HermeticSettings(), db, _catalog(), lambda: NOW)


async def _learner(db, user_id: int, rating: int, right: bool, comment: str) -> None:
    """A learner who read silos, took its quiz, rated it, wrote what was unclear and took
    on its action."""
    await db.touch_user(user_id, f"L{user_id}", "en", NOW)
    attempt = await db.start_attempt(user_id, "silos", 2, NOW)
    await db.record_answer(attempt.id, user_id, 0, 0, right, NOW)
    await db.record_answer(attempt.id, user_id, 1, 0, True, NOW)
    assert await db.rate_lesson(user_id, "silos", attempt.id, rating, NOW)
    assert await db.note_unclear(user_id, "silos", comment, NOW)
    made, _ = await db.commit(user_id, "silos", "open", None, NOW)
    assert await db.answer_commitment(made.id, user_id, "done", None, NOW)


async def _team(db, members: int):
    """A team whose manager did everything too (1s, wrong answers, a comment), with
    ``members`` others who did as well, and an outsider who is in no team."""
    await _learner(db, MANAGER, 1, False, "manager's own words")
    await _learner(db, OUTSIDER, 1, False, "outsider")
    team = await db.create_team(MANAGER, "Front office", "code123456", NOW)
    for i in range(members):
        user_id = 101 + i
        await _learner(db, user_id, 4 + i % 2, True, f"comment {chr(ord('c') - i)}")
        assert await db.join_team(team.id, user_id, NOW)
    return team


async def test_the_storage_counts_the_members_but_the_viewer(db):
    team = await _team(db, 2)
    tallies = {t.lesson_id: t for t in await db.team_lesson_tallies(team.id, MANAGER)}
    assert tallies == {
        "silos": LessonTally(
            "silos", readers=2, finishers=2, raters=2, usefulness_sum=9, commenters=2,
            first_answers=(QuestionStats("silos", 0, 2, 2), QuestionStats("silos", 1, 2, 2)),
            committers=2, done=2,
        )
    }  # fmt: skip
    assert await db.team_lesson_tallies(team.id, MANAGER, "silos") == [tallies["silos"]]
    assert await db.team_lesson_tallies(team.id, MANAGER, "culture") == []
    # a member looking (were they allowed) would not count themselves but would the manager
    member_view = {t.lesson_id: t for t in await db.team_lesson_tallies(team.id, 101)}
    assert member_view["silos"].raters == 2 and member_view["silos"].usefulness_sum == 6
    assert not hasattr(db, "team_lesson_comments")  # members' words never reach a manager


async def test_two_other_members_show_nothing(db):
    team = await _team(db, MIN_TEAM - 1)
    manager, _ = await db.touch_user(MANAGER, "M", "en", NOW)
    seen = await teams.team_lessons(_env(db), manager, "en", team.id, "silos")
    assert seen.step is Step.RESULTS and seen.lessons is not None
    silos = seen.lessons[0]
    assert (silos.readers, silos.finishers, silos.raters, silos.usefulness) == (None,) * 4
    assert silos.questions == (None, None) and silos.commitments is None
    assert not silos.comments and silos.first_try is None and silos.flags == ()


async def test_three_other_members_show_figures_without_the_managers_own(db):
    team = await _team(db, MIN_TEAM)
    manager, _ = await db.touch_user(MANAGER, "M", "en", NOW)
    env = _env(db)
    listed = await teams.team_lessons(env, manager, "en", team.id)
    assert listed.lessons is not None
    assert [f.lesson.id for f in listed.lessons] == ["silos", "culture"]
    assert listed.lessons[1].readers is None  # nobody read it: not enough, like any other
    silos = (await teams.team_lessons(env, manager, "en", team.id, "silos")).lessons[0]
    assert (silos.readers, silos.finishers, silos.raters) == (3, 3, 3)
    assert silos.usefulness == (4 + 5 + 4) / 3  # the manager's 1 left out (it would be 3.5)
    assert silos.questions == (Accuracy(0, 3, 3), Accuracy(1, 3, 3))  # their wrong one too
    assert silos.commitments is not None and silos.commitments.done == 3
    # what was unclear is the members' own words: the admins' (without names), not a manager's
    assert not silos.comments


async def test_only_the_manager_sees_a_teams_lessons(db):
    team = await _team(db, MIN_TEAM)
    env = _env(db)
    member, _ = await db.touch_user(101, "L101", "en", NOW)
    outsider, _ = await db.touch_user(OUTSIDER, "O", "en", NOW)
    for someone in (member, outsider):
        refused = await teams.team_lessons(env, someone, "en", team.id)
        assert refused.step is Step.NOT_MANAGER and refused.lessons is None
    manager, _ = await db.touch_user(MANAGER, "M", "en", NOW)
    await db.delete_team(team.id, MANAGER)
    gone = await teams.team_lessons(env, manager, "en", team.id)
    assert gone.step is Step.GONE and gone.teams == []


# Co-managers, hand-over and progress shared by name ------------------------------------------
async def _people(db):
    """A team owned by MANAGER with members 101 (Anna) and 102 (Boris); OUTSIDER in none."""
    for user_id, name in ((MANAGER, "Maria"), (101, "Anna"), (102, "Boris"), (OUTSIDER, "Oleg")):
        await db.touch_user(user_id, name, "en", NOW)
    team = await db.create_team(MANAGER, "Front office", "code123456", NOW)
    for user_id in (101, 102):
        assert await db.join_team(team.id, user_id, NOW)
    return team


async def test_managers_rights_owner_co_manager_member_stranger(db):
    team = await _people(db)
    env = _env(db)
    assert await db.is_manager(team.id, MANAGER)  # the creator is in team_managers
    assert not await db.add_manager(team.id, OUTSIDER, MANAGER, NOW)  # not a member
    user = {i: (await db.touch_user(i, "x", "en", NOW))[0] for i in (MANAGER, 101, 102, OUTSIDER)}
    # only the owner may add one
    assert (await teams.manage(env, user[102], team.id, "a", 102)).step is Step.REFUSED
    added = await teams.manage(env, user[MANAGER], team.id, "a", 101)
    assert added.notice == "added" and await db.is_manager(team.id, 101)
    assert await db.managed_teams(101) == {team.id}
    for someone, allowed in ((MANAGER, True), (101, True), (102, False), (OUTSIDER, False)):
        seen = await teams.act(env, user[someone], "en", team.id, "r")
        assert (seen.step is Step.RESULTS) is allowed, someone
        lessons_seen = await teams.team_lessons(env, user[someone], "en", team.id)
        assert (lessons_seen.step is Step.RESULTS) is allowed, someone
    # a co-manager cannot delete, hand over or add anyone; the owner cannot be removed
    assert (await teams.act(env, user[101], "en", team.id, "dd")).step is Step.REFUSED
    assert (await teams.manage(env, user[101], team.id, "hs", 101)).step is Step.REFUSED
    assert (await teams.manage(env, user[101], team.id, "x", MANAGER)).step is Step.REFUSED
    assert not await db.remove_manager(team.id, MANAGER)
    # the owner's list names the members; a co-manager's screen never does
    listed = await teams.manage(env, user[MANAGER], team.id, "m", 0)
    assert listed.members == [(MANAGER, "x", True), (101, "x", True), (102, "x", False)]
    assert (await teams.view(env, user[101], team.id)).members is None
    assert (await teams.view(env, user[OUTSIDER], team.id)).step is Step.REFUSED
    # removed: the rights go with it, at the next press
    removed = await teams.manage(env, user[MANAGER], team.id, "x", 101)
    assert removed.notice == "removed" and not await db.is_manager(team.id, 101)
    assert (await teams.act(env, user[101], "en", team.id, "r")).step is Step.NOT_MANAGER
    # a co-manager who leaves the team stops managing it
    await teams.manage(env, user[MANAGER], team.id, "a", 102)
    assert (await teams.act(env, user[102], "en", team.id, "ll")).changed
    assert not await db.is_manager(team.id, 102)


async def test_hand_over_to_a_co_manager(db):
    team = await _people(db)
    env = _env(db)
    owner, _ = await db.touch_user(MANAGER, "Maria", "en", NOW)
    anna, _ = await db.touch_user(101, "Anna", "en", NOW)
    assert not await db.hand_over(team.id, MANAGER, 102, stay=True)  # not a co-manager
    await teams.manage(env, owner, team.id, "a", 101)
    asked = await teams.manage(env, owner, team.id, "h", 101)
    assert asked.notice == "ask hand-over" and asked.target == (101, "Anna")
    assert (await db.get_team(team.id)).manager_id == MANAGER  # asked first: nothing yet
    handed = await teams.manage(env, owner, team.id, "hs", 101)
    assert handed.notice == "handed over"
    assert (await db.get_team(team.id)).manager_id == 101
    assert await db.is_manager(team.id, MANAGER)  # stays a co-manager
    assert (await teams.manage(env, owner, team.id, "hs", MANAGER)).step is Step.REFUSED
    # and back, this time the old owner stops managing (a member still)
    await teams.manage(env, anna, team.id, "hl", MANAGER)
    assert (await db.get_team(team.id)).manager_id == MANAGER
    assert not await db.is_manager(team.id, 101) and await db.is_member(team.id, 101)


async def test_sharing_progress_is_opt_in_and_revocable(db):
    team = await _people(db)
    env = _env(db)
    anna, _ = await db.touch_user(101, "Anna", "en", NOW)
    stranger, _ = await db.touch_user(OUTSIDER, "Oleg", "en", NOW)
    owner, _ = await db.touch_user(MANAGER, "Maria", "en", NOW)
    await db.start_attempt(101, "silos", 2, NOW)
    assert await db.shared_progress(team.id) == []  # off by default
    shared = await teams.share(env, anna, team.id, True)
    assert shared.notice == "shared" and shared.sharing and shared.sharers is None
    assert (await teams.share(env, stranger, team.id, True)).step is Step.REFUSED
    seen = await teams.view(env, owner, team.id)
    assert [name for name, _ in seen.sharers or []] == ["Anna"]  # Boris did not opt in
    assert (await teams.share(env, anna, team.id, False)).notice == "unshared"
    assert (await teams.view(env, owner, team.id)).sharers == []
    await teams.share(env, anna, team.id, True)
    await db.leave_team(team.id, 101)  # leaving ends sharing
    assert await db.shared_progress(team.id) == []
