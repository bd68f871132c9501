"""The dashboard without Telegram: the initData check (against the stand-in's own signing,
written apart from the bot's), the filters, the assignments hook, its storage queries on both
backends, and the stand-in's Mini App rules."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qsl, quote, urlencode

import pytest

from bot.services import dashboard
from bot.services.dashboard import InitDataError, check_init_data, parse_filters
from standin import webapp
from standin.params import ApiError
from standin.validation import validate_reply_markup, validate_web_app

TOKEN = "123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0"
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
USER = {"id": 4242, "first_name": "Олена", "language_code": "uk"}


def signed(auth_date: datetime = NOW, token: str = TOKEN, **extra: str) -> str:
    return webapp.init_data(token, USER, auth_date=int(auth_date.timestamp()), **extra)


def fields(raw: str) -> dict[str, str]:
    return dict(parse_qsl(raw, keep_blank_values=True))


def check(raw: str, now: datetime = NOW, max_age: float = 3600) -> dashboard.WebAppUser:
    return check_init_data(raw, TOKEN, now, max_age)


def test_genuine_init_data_gives_its_user():
    who = check(signed())
    assert (who.id, who.first_name, who.language_code) == (4242, "Олена", "uk")
    assert who.auth_date == NOW
    # signed by the bot's own helper too (the sandbox's and the tests' links)
    mine = dashboard.sign_init_data({"auth_date": str(int(NOW.timestamp())),
                                     "user": json.dumps(USER)}, TOKEN)  # fmt: skip
    assert check(mine).id == 4242


def reason(raw: str, **kwargs: object) -> str:
    with pytest.raises(InitDataError) as caught:
        check(raw, **kwargs)  # type: ignore[arg-type]
    return caught.value.reason


def test_a_tampered_hash_a_tampered_field_or_another_token_is_refused():
    raw = signed()
    data = fields(raw)
    flipped = data["hash"][:-1] + ("0" if data["hash"][-1] != "0" else "1")
    assert reason(urlencode({**data, "hash": flipped}, quote_via=quote)) == "bad hash"
    other = json.dumps({**USER, "id": 1}, separators=(",", ":"))
    assert reason(urlencode({**data, "user": other}, quote_via=quote)) == "bad hash"
    assert reason(urlencode({**data, "auth_date": str(int(NOW.timestamp()) + 1)})) == "bad hash"
    assert reason(signed(token="987654321:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")) == "bad hash"
    extra = raw + "&is_admin=1"  # a field added after signing
    assert reason(extra) == "bad hash"


def test_expired_future_missing_and_malformed_init_data_is_refused():
    assert reason(signed(NOW - timedelta(seconds=3601))) == "expired"
    assert check(signed(NOW - timedelta(seconds=3599))).id == 4242
    assert reason(signed(NOW - timedelta(minutes=10)), max_age=300) == "expired"
    assert reason(signed(NOW + timedelta(seconds=dashboard.SKEW + 5))) == "in the future"
    assert check(signed(NOW + timedelta(seconds=dashboard.SKEW - 5))).id == 4242
    data = fields(signed())
    without_hash = {k: v for k, v in data.items() if k != "hash"}
    assert reason(urlencode(without_hash)) == "no hash"
    assert reason(urlencode({**without_hash, "hash": ""})) == "no hash"
    assert reason("") == "missing"
    assert reason("x" * 9000) == "missing"
    assert reason("a=1&&=") == "malformed"
    assert reason(signed() + "&user=" + quote(json.dumps(USER))) == "repeated field"


def test_a_signed_init_data_without_a_user_or_date_is_refused():
    no_user = dashboard.sign_init_data({"auth_date": str(int(NOW.timestamp()))}, TOKEN)
    assert reason(no_user) == "no user"
    bad_user = dashboard.sign_init_data(
        {"auth_date": str(int(NOW.timestamp())), "user": '{"id": "1"}'}, TOKEN
    )
    assert reason(bad_user) == "no user"
    no_date = dashboard.sign_init_data({"user": json.dumps(USER)}, TOKEN)
    assert reason(no_date) == "no auth_date"


def test_filters_fall_back_to_the_last_30_days_and_known_values():
    today = date(2026, 11, 23)
    plain = parse_filters({}, today, ["silos"])
    assert (plain.start, plain.end, plain.language, plain.series) == (
        date(2026, 10, 25), today, None, None,
    )  # fmt: skip
    chosen = parse_filters(
        {"from": "2026-11-01", "to": "2026-11-10", "language": "uk", "series": "silos"},
        today,
        ["silos"],
    )
    assert (chosen.start, chosen.end, chosen.language, chosen.series) == (
        date(2026, 11, 1), date(2026, 11, 10), "uk", "silos",
    )  # fmt: skip
    assert chosen.query() == {"from": "2026-11-01", "to": "2026-11-10", "language": "uk",
                              "series": "silos"}  # fmt: skip
    odd = parse_filters(
        {"from": "nope", "to": "2030-01-01", "language": "de", "series": "x; DROP"},
        today,
        ["silos"],
    )
    assert (odd.end, odd.language, odd.series) == (today, None, None)  # never past today
    swapped = parse_filters({"from": "2026-11-10", "to": "2026-11-01"}, today, [])
    assert (swapped.start, swapped.end) == (date(2026, 11, 1), date(2026, 11, 10))
    long = parse_filters({"from": "2020-01-01"}, today, [])
    assert (long.end - long.start).days == dashboard.MAX_RANGE_DAYS - 1
    days = dashboard.every_day(date(2026, 11, 1), date(2026, 11, 3), [(date(2026, 11, 2), 4, 1)])
    assert days == ((date(2026, 11, 1), 0, 0), (date(2026, 11, 2), 4, 1), (date(2026, 11, 3), 0, 0))


# storage: both backends -----------------------------------------------------------------
TODAY = NOW.date()


async def _seed(db) -> None:
    """Three learners: uk (chosen), ru (Telegram), German (the default applies); activity
    and completions on two days."""
    await db.touch_user(1, "Uk", "en", NOW - timedelta(days=1))
    await db.set_language(1, "uk")
    await db.touch_user(2, "Ru", "ru-RU", NOW - timedelta(days=10))
    await db.touch_user(3, "De", "de", NOW)
    for user, lesson, when in ((1, "silos", NOW - timedelta(days=1)), (2, "silos", NOW),
                               (3, "complacency", NOW)):  # fmt: skip
        attempt = await db.start_attempt(user, lesson, 1, when)
        await db.record_answer(attempt.id, user, 0, 0, user != 2, when)
    await db.add_activity(1, TODAY - timedelta(days=1))
    await db.add_activity(2, TODAY)
    await db.add_activity(3, TODAY)
    await db.add_activity(2, TODAY - timedelta(days=20))


async def test_range_activity_with_language_and_lesson_filters(db):
    await _seed(db)
    week = await db.dashboard_activity(TODAY - timedelta(days=6), TODAY, "en")
    assert (week.new_learners, week.active_learners, week.completed) == (2, 3, 3)
    assert week.days == ((TODAY - timedelta(days=1), 1, 1), (TODAY, 2, 2))
    ru = await db.dashboard_activity(TODAY - timedelta(days=29), TODAY, "en", "ru")
    assert (ru.new_learners, ru.active_learners, ru.completed) == (1, 1, 1)
    assert ru.days == ((TODAY - timedelta(days=20), 1, 0), (TODAY, 1, 1))
    english = await db.dashboard_activity(TODAY, TODAY, "en", "en")  # German -> the default
    assert (english.active_learners, english.completed) == (1, 1)
    silos = await db.dashboard_activity(TODAY - timedelta(days=6), TODAY, "en", None, ["silos"])
    assert silos.completed == 2
    none = await db.dashboard_activity(TODAY - timedelta(days=6), TODAY, "en", "uk", [])
    assert (none.active_learners, none.completed) == (1, 0)


async def test_lesson_tallies_of_one_language_and_a_date_range(db):
    await _seed(db)
    week = (TODAY - timedelta(days=6), TODAY)

    async def tallies(language, default="en", since=week[0], until=week[1]):
        found = await db.dashboard_lesson_tallies(language, default, since, until)
        return {t.lesson_id: t for t in found}

    uk = await tallies("uk")
    assert list(uk) == ["silos"]
    assert (uk["silos"].readers, uk["silos"].finishers) == (1, 1)
    assert [(q.answers, q.correct) for q in uk["silos"].first_answers] == [(1, 1)]
    ru = await tallies("ru")
    assert [(q.answers, q.correct) for q in ru["silos"].first_answers] == [(1, 0)]
    assert list(await tallies("ru", "ru")) != []  # German counts as ru
    assert list(await tallies("en")) == ["complacency"]
    everyone = await tallies(None)
    assert [(q.answers, q.correct) for q in everyone["silos"].first_answers] == [(2, 1)]
    # only what happened in the range: today alone leaves yesterday's Ukrainian answer out
    today = await tallies(None, since=TODAY, until=TODAY)
    assert [(q.answers, q.correct) for q in today["silos"].first_answers] == [(1, 0)]
    assert await tallies(None, since=TODAY - timedelta(days=60), until=TODAY - timedelta(40)) == {}


# the stand-in: Mini App buttons and the menu button ---------------------------------------
def test_web_app_urls_must_be_https_unless_the_stand_in_allows_loopback():
    validate_web_app({"url": "https://bot.example.com/dashboard/"}, "menu button")
    for bad in ({"url": "http://bot.example.com/"}, {"url": "http://127.0.0.1:8080/"}, {}, "x"):
        with pytest.raises(ApiError):
            validate_web_app(bad, "menu button")
    validate_web_app({"url": "http://127.0.0.1:8080/"}, "menu button", loopback_web_apps=True)
    with pytest.raises(ApiError):  # only loopback, and only by IP
        validate_web_app({"url": "http://127.0.0.1.evil.com/"}, "x", loopback_web_apps=True)
    with pytest.raises(ApiError):
        validate_web_app({"url": "http://localhost/"}, "x", loopback_web_apps=True)
    keyboard = {"inline_keyboard": [[{"text": "Open", "web_app": {"url": "https://a.b/"}}]]}
    assert validate_reply_markup(keyboard) == keyboard
    with pytest.raises(ApiError, match="BUTTON_TYPE_INVALID"):  # private chats only
        validate_reply_markup(keyboard, "group")
    plain = {"inline_keyboard": [[{"text": "Open", "web_app": {"url": "http://a.b/"}}]]}
    with pytest.raises(ApiError, match="Only HTTPS"):
        validate_reply_markup(plain)


def test_only_an_https_url_is_offered_to_telegram():
    assert dashboard.openable("https://a.b/", "https://api.telegram.org") == "https://a.b/"
    assert dashboard.openable("http://127.0.0.1:1/", "https://api.telegram.org") is None
    assert dashboard.openable("http://127.0.0.1:1/", "http://127.0.0.1:2") == "http://127.0.0.1:1/"
    assert dashboard.openable(None, "http://127.0.0.1:2") is None


def test_the_launch_url_carries_init_data_and_theme_in_its_fragment():
    url = webapp.launch_url("http://127.0.0.1:1/", signed(), webapp.DARK_THEME)
    base, _, fragment = url.partition("#")
    params = dict(parse_qsl(fragment))
    assert base == "http://127.0.0.1:1/"
    assert check(params["tgWebAppData"]).id == 4242
    assert json.loads(params["tgWebAppThemeParams"])["bg_color"] == "#212121"


def test_the_dashboard_settings_are_checked(monkeypatch):
    from bot.config import ConfigError, load_settings

    for name in ("DASHBOARD_URL", "DASHBOARD_PORT", "DASHBOARD_MAX_AGE"):
        monkeypatch.delenv(f"CXCOACH_{name}", raising=False)
    assert load_settings().dashboard_max_age == 3600 and load_settings().dashboard_port is None
    monkeypatch.setenv("CXCOACH_DASHBOARD_URL", "http://bot.example.com/dashboard/")
    monkeypatch.setenv("CXCOACH_DASHBOARD_PORT", "8444")
    with pytest.raises(ConfigError, match=r"CXCOACH_DASHBOARD_URL: .*https"):
        load_settings()
    monkeypatch.setenv("CXCOACH_DASHBOARD_URL", "https://bot.example.com/dashboard/")
    assert load_settings().dashboard_url == "https://bot.example.com/dashboard/"
    monkeypatch.delenv("CXCOACH_DASHBOARD_PORT")
    with pytest.raises(ConfigError, match="CXCOACH_DASHBOARD_PORT is required"):
        load_settings()
    monkeypatch.setenv("CXCOACH_DASHBOARD_PORT", "8444")
    monkeypatch.setenv("CXCOACH_DASHBOARD_MAX_AGE", "0")
    with pytest.raises(ConfigError, match="CXCOACH_DASHBOARD_MAX_AGE"):
        load_settings()


def test_a_shared_name_on_the_team_page_is_escaped_once():
    from bot.i18n import translator
    from bot.services.assignments import AssignmentFigures, Status, TeamReport
    from bot.web import pages
    from domain.records import Assignment, Team, WeekFigures

    assignment = Assignment(3, 7, "silos", date(2026, 12, 1), NOW)
    item = AssignmentFigures(assignment, None, 4, 2, None, [("<b>Ann & Co", 1, Status.BEHIND)])
    team = Team(7, "North", 1, "abc", NOW, 4)
    report = TeamReport(team, [item], WeekFigures(), [], NOW, NOW.date())
    shown = pages._assignments(translator("en"), report)
    assert "&lt;b&gt;Ann &amp; Co: 1 of 4, falling behind" in shown
    assert "&amp;amp;" not in shown and "<b>Ann" not in shown
    assert 'data-figure="assignment-3-done">too few answers<' in shown
