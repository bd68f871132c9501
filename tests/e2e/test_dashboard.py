"""The dashboard (a Mini App) end to end: the real bot and its dashboard server against the
stand-in, the page driven in a real browser (Debian's headless Chromium through selenium and
/usr/bin/chromedriver; nothing is downloaded). One browser serves the whole module; every
selenium call runs in a thread, so the bot's event loop keeps serving the page meanwhile.

Without the browser these tests skip, saying why, only when it cannot be installed (not
root); with CI=true, or as root (``make test`` installs it), a missing browser fails them.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode

import aiohttp
import pytest

from bot.services.teams import team_code
from bot.web.dashboard import PUBLIC, make_app
from standin import webapp
from tests.e2e import admins
from tests.e2e.admins import ADMIN, admin, draft, learners, until
from tests.e2e.conftest import TOKEN, Harness

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
HARNESS = admins.HARNESS | {"dashboard_port": 0}
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
).split()


def _missing() -> str | None:
    absent = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    return ", ".join(absent) or None


@pytest.fixture(scope="module")
def driver() -> Iterator[object]:
    """One headless Chromium for the module."""
    missing = _missing()
    if missing:
        why = f"{missing} missing: apt-get install -y chromium chromium-driver (make test does)"
        if os.environ.get("CI") == "true" or os.geteuid() == 0:
            pytest.fail(f"the browser tests need Chromium: {why}")
        pytest.skip(f"no browser and not root, so it cannot be installed: {why}")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in FLAGS:
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="cx-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    try:
        yield browser
    finally:
        browser.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(autouse=True)
def loopback_web_apps(standin) -> None:
    """The dashboard is served on http://127.0.0.1 here: the stand-in's named option lets such
    Mini App URLs through (Telegram takes https only)."""
    standin.loopback_web_apps = True


class Page:
    """The browser, driven from the event loop (each call in a thread)."""

    def __init__(self, driver) -> None:
        self.driver = driver

    def _open(self, url: str, width: int, dark: bool) -> None:
        d = self.driver
        d.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": True},
        )
        d.execute_cdp_cmd(
            "Emulation.setEmulatedMedia",
            {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]},
        )
        d.get("about:blank")  # a new fragment alone would not load the page again
        d.get(url)

    async def open(self, url: str, *, width: int = 360, dark: bool = False, view: str = "me"):
        await asyncio.to_thread(self._open, url, width, dark)
        await self.until(f"document.getElementById('app').dataset.loaded === {view!r}")

    async def js(self, script: str, *args: object) -> object:
        return await asyncio.to_thread(self.driver.execute_script, script, *args)

    async def until(self, condition: str, within: float = 15.0) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        while not await self.js(f"return !!({condition});"):
            if loop.time() > deadline:
                shown = await self.js("return document.body.innerText;")
                raise AssertionError(f"not reached: {condition}\npage:\n{shown}")
            await asyncio.sleep(0.05)

    async def show(self, view: str, team: int | None = None) -> None:
        which = f"[data-view={view}]" + (f"[data-team='{team}']" if team else "")
        await self.js(f'document.querySelector("{which}").click();')
        wanted = view + (f"-{team}" if team else "")
        await self.until(f"document.getElementById('app').dataset.loaded === {wanted!r}")

    async def apply(self, **filters: str) -> None:
        """Set the admin view's filters and apply them; return once the new view is shown."""
        loads = await self.js("return document.getElementById('app').dataset.loads;")
        for name, value in filters.items():
            await self.js(
                "document.querySelector(`[name=${arguments[0]}]`).value = arguments[1];",
                name,
                value,
            )
        await self.js("document.querySelector('#filters button').click();")
        await self.until(f"document.getElementById('app').dataset.loads !== {loads!r}")

    async def figure(self, name: str) -> str:
        found = await self.js(
            'const e = document.querySelector(`[data-figure="${arguments[0]}"]`);'
            "return e ? e.textContent : null;",
            name,
        )
        assert found is not None, f"no figure {name}"
        return str(found)

    async def text(self, selector: str = "#app") -> str:
        return str(
            await self.js("return document.querySelector(arguments[0]).innerText;", selector)
        )


@pytest.fixture
def page(driver) -> Page:
    return Page(driver)


def server_url(h: Harness) -> str:
    server = h.app.bot_data.dashboard
    assert server is not None
    return server.url


def launch(h: Harness, user_id: int, theme: dict | None = None, at: datetime | None = None):
    """What Telegram opens when ``user_id`` presses the dashboard's button: initData signed
    by the stand-in, with the harness clock's time."""
    moment = at or h.clock()
    return h.standin.web_app_launch(
        user_id, server_url(h), theme=theme, auth_date=int(moment.timestamp())
    )


def init_data(h: Harness, user_id: int, **kwargs) -> str:
    url = launch(h, user_id, **kwargs)
    return dict(
        pair.split("=", 1) for pair in url.split("#", 1)[1].split("&")
    )["tgWebAppData"]  # fmt: skip


async def get(h: Harness, path: str, header: str | None) -> tuple[int, str]:
    headers = {"Authorization": header} if header is not None else {}
    async with aiohttp.ClientSession() as session:
        async with session.get(server_url(h) + path.lstrip("/"), headers=headers) as response:
            return response.status, await response.text()


def tma(h: Harness, user_id: int, **kwargs) -> str:
    return "tma " + unquote(init_data(h, user_id, **kwargs))


# Seeding, through the bot's flows and its storage ---------------------------------------------
async def answer(h: Harness, user_id: int, lesson: str, rights: list[bool]) -> None:
    storage, now = h.storage, h.clock()
    questions = len(h.catalog.lesson("en", lesson)[1].quiz)
    attempt = await storage.start_attempt(user_id, lesson, questions, now)
    for index, right in enumerate(rights):
        await storage.record_answer(attempt.id, user_id, index, 0 if right else 1, right, now)


async def seed_admin_data(h: Harness):
    """Three learners who started the bot (en, uk, ru) and the admin; five more (ru) who all
    got fear-of-change's first question wrong; silos answered by two; one broadcast sent."""
    en, uk, ru = await learners(h, ["en", "uk", "ru"])
    boss = await admin(h)
    storage, now = h.storage, h.clock()
    controls = await draft(boss)
    await boss.press(controls, "✅ Send now")
    await h.settle()
    await until(lambda: "finished" in admins.live(boss, controls).text)
    await answer(h, 1001, "silos", [True, True])
    await answer(h, 1002, "silos", [False, True])
    for offset in range(5):
        await storage.touch_user(2001 + offset, f"R{offset}", "ru", now)
        await answer(h, 2001 + offset, "fear-of-change", [False])
        await storage.add_activity(2001 + offset, now.date() - timedelta(days=2))
    return en, uk, ru, boss


async def test_an_admin_sees_the_right_numbers_and_charts_and_filters(h, page):
    await seed_admin_data(h)
    sent = (await h.storage.broadcasts(1))[0]
    await page.open(launch(h, ADMIN))
    nav = await page.text("#nav")
    assert "Admin" in nav and "Team" not in nav
    await page.show("admin")
    assert await page.figure("learners") == "9"  # 3 learners, the admin, 5 seeded
    assert await page.figure("new-in-range") == "9"
    assert await page.figure("active-in-range") == "5"  # the seeded activity days
    assert await page.figure("blocked") == "0"
    # silos: first answers 2 + 2, right 1 + 2 = 75 %
    assert await page.figure("first-try-silos") == "75%"
    assert await page.figure("readers-silos") == "2"
    assert await page.figure(f"broadcast-{sent[0].id}-sent") == str(sent[1]["sent"])
    assert sent[1]["sent"] == 4  # every learner and the admin
    confusing = await page.text("[data-list=confusing]")
    assert "right at first try: 0 of 5" in confusing
    question = h.catalog.lesson("en", "fear-of-change")[1].quiz[0].question
    assert question in confusing
    # the chart is drawn in the browser from the page's data
    assert await page.js("return !!Chart.getChart(document.getElementById('chart-activity'));")
    days = await page.js(
        "return Chart.getChart(document.getElementById('chart-activity')).data.datasets[0].data;"
    )
    assert len(days) == 30 and sum(days) == 5
    # filters: Ukrainian learners only, then Russian; the silos series only
    await page.apply(language="uk")
    assert await page.figure("first-try-silos") == "50%"
    assert await page.figure("active-in-range") == "0"
    await page.apply(language="ru")
    assert await page.figure("first-try-fear-of-change") == "0%"
    assert await page.figure("active-in-range") == "5"
    assert await page.figure("first-try-silos") == "–"
    await page.apply(series="why-cx-fails")
    assert await page.js(
        "return !document.querySelector('[data-figure=\"first-try-fear-of-change\"]');"
    )
    assert await page.figure("first-try-silos") == "–"  # still Russian learners only
    assert await page.js("return document.querySelector('[name=language]').value;") == "ru"
    # dates long past: no lesson figure, no broadcast from then
    past = {"from": "2026-01-01", "to": "2026-01-31", "language": "", "series": ""}
    await page.apply(**past)
    assert await page.figure("first-try-silos") == "–" and await page.figure("readers-silos") == "0"
    assert await page.js(
        f"return !document.querySelector('[data-figure^=\"broadcast-{sent[0].id}\"]');"
    )
    html = await page.js("return document.documentElement.outerHTML;")
    assert TOKEN not in str(html) and TOKEN.split(":")[1] not in str(html)
    # an export through the page: a download, no error shown
    await page.js("document.querySelector('[data-export=lessons]').click();")
    await asyncio.sleep(0.3)
    assert "could not" not in await page.text()
    status, body = await get(h, "api/admin/export/lessons", tma(h, ADMIN))
    assert status == 200 and body.startswith("series_id,lesson_id,")
    assert await page.js("return document.documentElement.scrollWidth;") <= 360


async def team_with(h: Harness, manager: int, name: str, members: list[int], rating: int):
    storage, now = h.storage, h.clock()
    await storage.touch_user(manager, f"M{manager}", "en", now)
    team = await storage.create_team(manager, name, team_code(), now)
    from bot.services.assessment import obstacles

    items = obstacles(h.catalog, "en")
    for member in members:
        await add_member(h, team.id, member, items, rating)
    return team


async def add_member(h: Harness, team_id: int, member: int, items, rating: int) -> None:
    storage, now = h.storage, h.clock()
    await storage.touch_user(member, f"U{member}", "en", now)
    await storage.join_team(team_id, member, now)
    assessment = await storage.start_assessment(member, now)
    for o in items:
        await storage.rate_obstacle(assessment.id, member, o.lesson.id, rating, now)
    assert await storage.finish_assessment(assessment.id, member, now)


async def test_a_manager_sees_only_their_team_and_nothing_per_member_below_three(h, page):
    from bot.services.assessment import obstacles

    items = obstacles(h.catalog, "en")
    north = await team_with(h, 3000, "North", [3001, 3002], 4)
    south = await team_with(h, 3100, "South", [3101, 3102, 3103], 2)
    manager = h.user(3000, "M3000")
    await manager.send("/dashboard")
    shown = await manager.next_message()
    assert "For your teams" in shown.text and "As an admin" not in shown.text
    await page.open(launch(h, 3000))
    nav = await page.text("#nav")
    assert "Team: North" in nav and "South" not in nav and "Admin" not in nav
    await page.show("team", north.id)
    assert await page.figure("members") == "3"
    assert await page.figure("answered") == "2"
    table = await page.text("[data-table=assessment]")
    assert "too few answers" in table and not re.search(r"\d[.,]\d", table)
    assert all([await page.figure(f"mean-{o.lesson.id}") == "too few answers" for o in items])
    # an assignment taken by two others: its shares are "too few answers", never a figure
    assignment, _ = await h.storage.assign(
        north.id, "why-cx-fails", h.clock().date(), 3000, h.clock()
    )
    await page.open(launch(h, 3000))
    await page.show("team", north.id)
    assert await page.figure(f"assignment-{assignment.id}-people") == "2"
    for status in ("done", "on_track", "behind"):
        assert await page.figure(f"assignment-{assignment.id}-{status}") == "too few answers"
    assert await page.figure("week-accuracy") == "too few answers"
    # the manager may not read another team, nor the admins' page
    for path in (f"api/team/{south.id}", "api/admin", "api/admin/export/progress"):
        assert (await get(h, path, tma(h, 3000)))[0] == 403, path
    # a third member: the means appear, from the others only (the manager never rated)
    await add_member(h, north.id, 3003, items, 5)
    await page.open(launch(h, 3000))
    await page.show("team", north.id)
    first = items[0].lesson.id
    assert await page.figure(f"mean-{first}") == "4.3"  # (4 + 4 + 5) / 3
    # ... and the assignment's shares: due today, nobody finished: all behind
    assert await page.figure(f"assignment-{assignment.id}-behind") == "100%"
    assert await page.figure(f"assignment-{assignment.id}-done") == "0%"
    assert await page.js("return document.documentElement.scrollWidth;") <= 360
    # manager rights are read on every request: handed over, the team is gone from them
    assert await h.storage.add_manager(north.id, 3001, 3000, h.clock())
    assert await h.storage.hand_over(north.id, 3000, 3001, stay=False)
    assert (await get(h, f"api/team/{north.id}", tma(h, 3000)))[0] == 403
    assert (await get(h, f"api/team/{north.id}", tma(h, 3001)))[0] == 200


async def test_a_learner_sees_only_themselves_in_their_language(h, page):
    (olena,) = await learners(h, ["uk"])
    await answer(h, 1001, "silos", [True, False])
    await h.storage.commit(1001, "silos", "open", None, h.clock())
    await olena.send("/dashboard")
    message = await olena.next_message()
    assert "Панель" in message.text
    url = next(data for _text, data in message.buttons)
    assert url == server_url(h)
    await h.settle()
    menu = h.standin.menu_buttons[1001]
    assert menu["type"] == "web_app" and menu["web_app"]["url"] == server_url(h)
    await page.open(launch(h, 1001))
    assert await page.js("return document.documentElement.lang;") == "uk"
    nav = await page.text("#nav")
    assert "Мій прогрес" in nav and "Адміністрування" not in nav
    assert await page.figure("my-completed") == "1"
    assert await page.figure("my-accuracy") == "50 %"
    journal = await page.text("[data-list=journal]")  # the action taken, its date in Ukrainian
    silos = h.catalog.lesson("uk", "silos")[1].title
    assert silos in journal and not re.search(r"\d{4}-\d{2}-\d{2}", journal)
    for path in ("api/admin", "api/admin/export/lessons", "api/team/1"):
        assert (await get(h, path, tma(h, 1001)))[0] == 403, path


async def test_every_api_route_refuses_forged_tampered_and_expired_init_data(h):
    """Every route of the app but the public shell and its files, enumerated from the router
    (a new endpoint cannot escape): no initData, a forged, a tampered, an expired or a future
    one, or another scheme, gets 401; the admin's genuine one gets through."""
    await admin(h)
    team = await team_with(h, ADMIN, "Admins", [], 3)
    app = make_app(h.app.bot_data.env)
    canonical = {r.canonical for r in app.router.resources()}
    assert {"/", "/static/{name}"} == set(PUBLIC) <= canonical
    fill = {"kind": "lessons", "team_id": str(team.id), "name": "dashboard.js"}
    paths = []
    for resource in app.router.resources():
        if resource.canonical in PUBLIC:
            continue
        path = resource.canonical
        for key, value in fill.items():
            path = path.replace("{" + key + "}", value)
        assert "{" not in path, f"teach this test the parameter of {resource.canonical}"
        paths.append(path)
    assert len(paths) >= 4
    good = tma(h, ADMIN)
    raw = good.removeprefix("tma ")
    fields = dict(parse_qsl(raw))
    user = json.loads(fields["user"])
    tampered = urlencode({**fields, "user": json.dumps({**user, "id": 1001})})
    other_bot = webapp.init_data("987654321:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", user,
                                 auth_date=int(h.clock().timestamp()))  # fmt: skip
    refused = {
        "none": None,
        "empty": "tma ",
        "garbage": "tma garbage",
        "bearer": "Bearer " + raw,
        "forged": "tma " + webapp.init_data(TOKEN[:-1] + "x", user,
                                            auth_date=int(h.clock().timestamp())),
        "another bot": "tma " + other_bot,
        "tampered": "tma " + tampered,
        "expired": tma(h, ADMIN, at=h.clock() - timedelta(hours=1, seconds=5)),
        "future": tma(h, ADMIN, at=h.clock() + timedelta(minutes=5)),
        "no hash": "tma " + urlencode({k: v for k, v in fields.items() if k != "hash"}),
    }  # fmt: skip
    for path in paths:
        for name, header in refused.items():
            status, body = await get(h, path, header)
            assert status == 401, (path, name, status)
            assert TOKEN not in body
        status, body = await get(h, path, good)
        assert status == 200, (path, status, body[:200])
    for path in ("", "static/dashboard.js", "static/chart.umd.min.js"):  # public, no data
        assert (await get(h, path, None))[0] == 200
    assert (await get(h, "static/..%2Fdashboard.py", None))[0] == 404


DARK = webapp.DARK_THEME


async def test_the_page_fits_360_px_in_light_and_dark(h, page):
    await seed_admin_data(h)
    # Telegram's dark theme, passed in the launch fragment
    await page.open(launch(h, ADMIN, theme=DARK), width=360, dark=True)
    await page.show("admin")
    background = await page.js("return getComputedStyle(document.body).backgroundColor;")
    color = await page.js("return getComputedStyle(document.body).color;")
    assert (background, color) == ("rgb(33, 33, 33)", "rgb(255, 255, 255)")
    assert await page.js("return document.documentElement.scrollWidth;") <= 360
    # Telegram's light theme
    await page.open(launch(h, ADMIN, theme=webapp.LIGHT_THEME), width=360)
    await page.show("admin")
    background = await page.js("return getComputedStyle(document.body).backgroundColor;")
    assert background == "rgb(255, 255, 255)"
    assert await page.js("return document.documentElement.scrollWidth;") <= 360
    # no theme at all (a browser): the fallbacks follow prefers-color-scheme
    url = launch(h, ADMIN).replace("tgWebAppThemeParams", "x")
    await page.open(url, width=360, dark=True)
    background = await page.js("return getComputedStyle(document.body).backgroundColor;")
    assert background == "rgb(23, 33, 43)"
    await page.show("admin")
    assert await page.js("return document.documentElement.scrollWidth;") <= 360
    # an expired launch: the page says so (in the browser's language) and shows nothing
    old = launch(h, ADMIN, at=h.clock() - timedelta(hours=2))
    await asyncio.to_thread(page._open, old, 360, False)
    await page.until("document.querySelector('[role=alert]')")
    assert "expired" in await page.text()


async def test_the_sandbox_prints_a_signed_link_that_opens_the_dashboard(tmp_path, page):
    """`cxcoach-dev sandbox`: /dashboard prints the link a Telegram client would open (initData
    signed by the stand-in); a plain browser opens it."""
    from bot.config import Settings
    from standin.sandbox import run_sandbox

    out = io.StringIO()
    seen: dict[str, object] = {}
    lines = iter(["/dashboard"])

    async def read_line() -> str | None:
        line = next(lines, None)
        if line is not None:
            return line
        link = re.search(r"open in your browser →\n(http://127\.0\.0\.1:\d+/#\S+)", out.getvalue())
        assert link, out.getvalue()
        await page.open(link.group(1))
        seen["nav"] = await page.text("#nav")
        seen["hello"] = await page.text("h1")
        return "/quit"

    settings = Settings(database=tmp_path / "cx.sqlite3")
    code = await run_sandbox(settings, first_name="Oksana", read_line=read_line, out=out)
    assert code == 0
    assert "/dashboard gives a link" in out.getvalue()
    assert "My progress" in str(seen["nav"]) and "Oksana" in str(seen["hello"])


async def test_with_a_public_url_every_chat_s_menu_button_opens_it(standin, tmp_path, clock):
    """CXCOACH_DASHBOARD_URL: the default menu button (no chat) opens the public https URL
    at start-up, and /dashboard's button too; the server still listens on its own port."""
    public = "https://bot.example.com/dashboard/"
    standin.loopback_web_apps = False  # Telegram's rule: https only
    h = admins.make(standin, tmp_path, clock, dashboard_port=0, dashboard_url=public)
    await h.start()
    try:
        assert standin.menu_buttons[None] == {
            "type": "web_app", "text": "📊 Dashboard", "web_app": {"url": public},
        }  # fmt: skip
        learner = h.user(1001, "Olena")
        await learner.send("/dashboard")
        message = await learner.next_message()
        assert [data for _text, data in message.buttons] == [public]
        port = h.app.bot_data.dashboard.port
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/api/me") as response:
                assert response.status == 401
    finally:
        await h.stop()


async def test_refusals_leave_no_token_in_the_logs(h, caplog):
    caplog.set_level("DEBUG")
    forged = webapp.init_data("987654321:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", {"id": 1})
    assert (await get(h, "api/me", "tma " + forged))[0] == 401
    assert (await get(h, "api/me", tma(h, 1001)))[0] == 200  # an unknown user: an empty page
    assert "dashboard request refused: bad hash" in caplog.text
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text
