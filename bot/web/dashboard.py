"""The dashboard's web server: a Telegram Mini App served by the bot process (aiohttp).

It listens on its own port (``CXCOACH_DASHBOARD_PORT`` on ``CXCOACH_DASHBOARD_HOST``), not on
the webhook's (PTB serves that with tornado) nor the metrics' (probes and Prometheus, kept
private): the HTTPS proxy in front of the webhook forwards the dashboard's public URL
(``CXCOACH_DASHBOARD_URL``, e.g. ``https://bot.example.com/dashboard/``) to this port. Paths
in the page are relative, so the proxy may mount it under any prefix.

Routes:

* ``GET /`` — the shell page (no data; its text in the browser's language) and
  ``GET /static/...`` — its script, style sheet and the vendored Chart.js: public, like any
  Mini App's files;
* ``GET /api/...`` — every figure, only with ``Authorization: tma <initData>``: checked on
  every request (``services/dashboard.check_init_data``; 401 when missing, forged, tampered
  with or expired), then the viewer's rights read afresh (403 for a view not theirs). There
  is no cookie and no session.

The bot token signs nothing here and is never written to a page, a response or a log.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web

from bot.i18n import pick_language, translator
from bot.services import dashboard as views
from bot.services.env import Env
from bot.web import pages

log = logging.getLogger(__name__)

STATIC = Path(__file__).with_name("static")
PUBLIC = ("/", "/static/{name}")  # no data: the shell and its files
VIEWER = web.RequestKey("viewer", views.Viewer)
ENV = web.AppKey("env", Env)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _refuse(status: int, error: str) -> web.Response:
    return web.json_response({"error": error}, status=status, headers={"Cache-Control": "no-store"})


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every route but the public ones needs a genuine, fresh initData (else 401); the
    viewer's rights are read for this request only."""
    resource = request.match_info.route.resource
    canonical = resource.canonical if resource is not None else ""
    if canonical in PUBLIC:
        response = await handler(request)
    else:
        env = request.app[ENV]
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        token = env.settings.token or ""
        if scheme.lower() != "tma" or not token:
            return _refuse(401, "unauthorized")
        try:
            who = views.check_init_data(
                raw.strip(), token, env.now(), env.settings.dashboard_max_age
            )
        except views.InitDataError as exc:
            log.info("dashboard request refused: %s", exc.reason)
            return _refuse(401, "unauthorized")
        request[VIEWER] = await views.viewer(env, who)
        response = await handler(request)
        response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


async def shell(request: web.Request) -> web.Response:
    """The page Telegram opens; its text in the browser's language until the viewer's is
    known (the signed requests bring that)."""
    lang = pick_language(request.headers.get("Accept-Language", "").split(",")[0].strip())
    return web.Response(text=pages.shell(translator(lang)), content_type="text/html")


async def static(request: web.Request) -> web.StreamResponse:
    name = request.match_info["name"]
    path = STATIC / name
    if "/" in name or name.startswith(".") or not path.is_file():
        raise web.HTTPNotFound()
    return web.FileResponse(path, headers={"Cache-Control": "public, max-age=3600"})


async def me(request: web.Request) -> web.Response:
    """The viewer's own page, and the views they may open."""
    env, viewer = request.app[ENV], request[VIEWER]
    t = translator(viewer.lang)
    page = await views.learner_view(env, viewer)
    return web.json_response(
        {
            "lang": viewer.lang,
            "nav": pages.nav(t, viewer),
            "html": pages.learner_page(t, viewer, page),
            "charts": [],
        }
    )


async def admin(request: web.Request) -> web.Response:
    """The admins' page with the query's filters (403 for anyone not in CXCOACH_ADMIN_IDS)."""
    env, viewer = request.app[ENV], request[VIEWER]
    if not viewer.admin:
        return _refuse(403, "forbidden")
    view = await views.admin_view(env, viewer.lang, request.query)
    body, charts = pages.admin_page(translator(viewer.lang), view)
    return web.json_response({"lang": viewer.lang, "html": body, "charts": charts})


async def export(request: web.Request) -> web.Response:
    """One of /export's CSV files (admins only)."""
    env, viewer = request.app[ENV], request[VIEWER]
    if not viewer.admin:
        return _refuse(403, "forbidden")
    found = await views.export(env, viewer.lang, request.match_info["kind"])
    if found is None:
        raise web.HTTPNotFound()
    filename = found.filename if found.filename.endswith(".csv") else f"{found.kind}.csv"
    return web.Response(
        body=found.data,
        content_type="text/csv",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def team(request: web.Request) -> web.Response:
    """A team's page, for its managers only (403 for anyone else, or a team that is gone)."""
    env, viewer = request.app[ENV], request[VIEWER]
    try:
        team_id = int(request.match_info["team_id"])
    except ValueError:
        return _refuse(403, "forbidden")
    view = await views.team_view(env, viewer, team_id)
    if view is None:
        return _refuse(403, "forbidden")
    body = pages.team_page(translator(viewer.lang), view)
    return web.json_response({"lang": viewer.lang, "html": body, "charts": []})


def make_app(env: Env) -> web.Application:
    app = web.Application(middlewares=[guard])
    app[ENV] = env
    app.router.add_get("/", shell)
    app.router.add_get("/static/{name}", static)
    app.router.add_get("/api/me", me)
    app.router.add_get("/api/admin", admin)
    app.router.add_get("/api/admin/export/{kind}", export)
    app.router.add_get("/api/team/{team_id}", team)
    return app


class DashboardServer:
    """The dashboard beside the bot, started in post_init and stopped at shutdown."""

    def __init__(self, env: Env, host: str, port: int, public_url: str | None = None) -> None:
        self.env, self.host, self.port, self.public_url = env, host, port, public_url
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """Where a Mini App button points: the public URL, else (the sandbox, the tests)
        this server on loopback. Always with a trailing slash (the page's paths are
        relative)."""
        url = self.public_url or f"http://{self.host}:{self.port}/"
        return url if url.endswith("/") else url + "/"

    async def start(self) -> None:
        self._runner = web.AppRunner(make_app(self.env), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.host, self.port).start()
        if self.port == 0:  # a free port, bound once: what the kernel chose
            self.port = self._runner.addresses[0][1]
        log.info("dashboard on http://%s:%s (opened as %s)", self.host, self.port, self.url)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
