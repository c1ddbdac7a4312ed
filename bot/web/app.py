"""The web desk (``griddesk web``): a server-rendered Starlette app on the bot's
database and core.

Sign-in is by one-time link only (no passwords): the link's page asks for one
click (a POST), so a chat app that previews the link does not use it up. The
session cookie is HttpOnly, SameSite=Lax, Secure when ``web.base_url`` is
https, and lasts 8 hours. Every POST carries the session's CSRF token.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.settings import Settings
from bot.web import pages
from bot.web.office import Office, Viewer
from bot.web.render import refuse, render
from handlers.desk import Desk
from storage.database import session_scope
from storage.web_auth import SESSION_HOURS, login_link_state, redeem_login_link, sign_out, signed_in

log = logging.getLogger(__name__)

SESSION_COOKIE = "griddesk_session"
LOGIN_COOKIE = "griddesk_login"
STATIC = Path(__file__).parent / "static"

Handler = Callable[[Office, Request, FormData | None, Session, Viewer], Response]


def _viewer(office: Office, request: Request, session: Session) -> Viewer | None:
    record = signed_in(session, request.cookies.get(SESSION_COOKIE), office.now())
    if record is None:
        return None
    directory = office.directory_now(session)
    person = directory.staff.get(record.staff_id)
    if person is None:  # removed from the config since
        return None
    return Viewer(person, record.csrf_token, record.session_hash, directory, office.personal_roles)


def staff_only(office: Office, handler: Handler) -> Callable[[Request], Any]:
    """Sign-in, CSRF and one transaction around a page; the page itself runs in a thread."""

    def run(request: Request, form: FormData | None) -> Response:
        with session_scope(office.engine) as session:
            viewer = _viewer(office, request, session)
            if viewer is None:
                return RedirectResponse("/login", status_code=303)
            if request.method == "POST":
                sent = str(form.get("csrf", "")) if form is not None else ""
                if not secrets.compare_digest(sent.encode(), viewer.csrf.encode()):
                    return refuse(office, request, 403, "请求无效",
                                  "页面已过期,请返回刷新后再试。", viewer)
            return handler(office, request, form, session, viewer)

    async def endpoint(request: Request) -> Response:
        form = await request.form() if request.method == "POST" else None
        return await run_in_threadpool(run, request, form)

    return endpoint


def login_help(office: Office, request: Request) -> Response:
    return render(office, request, "login.html", {"viewer": None})


def login_link_page(office: Office, request: Request) -> Response:
    token = request.path_params["token"]
    with session_scope(office.engine) as session:
        staff_id = login_link_state(session, token, office.now())
    if staff_id is None or staff_id not in office.directory.staff:
        return refuse(office, request, 403, "链接已失效",
                      "这个登录链接已经用过或已过期(15分钟内有效,只能用一次)。"
                      "请在微信或Telegram里私聊网格前台,发“网页”获取新链接。")
    nonce = secrets.token_urlsafe(16)
    response = render(office, request, "login_confirm.html", {
        "viewer": None, "token": token, "csrf": nonce,
        "person": office.directory.staff[staff_id]})
    response.set_cookie(LOGIN_COOKIE, nonce, max_age=900, httponly=True, samesite="lax",
                        secure=office.secure_cookies, path="/login")
    return response


def login_submit(office: Office, request: Request, form: FormData) -> Response:
    nonce = request.cookies.get(LOGIN_COOKIE, "")
    sent = str(form.get("csrf", ""))
    if not nonce or not secrets.compare_digest(nonce.encode(), sent.encode()):
        return refuse(office, request, 403, "请求无效", "请重新打开登录链接。")
    with session_scope(office.engine) as session:
        redeemed = redeem_login_link(session, str(form.get("token", "")), office.now())
    if redeemed is None:
        return refuse(office, request, 403, "链接已失效",
                      "这个登录链接已经用过或已过期。请私聊网格前台发“网页”获取新链接。")
    cookie, _ = redeemed
    response = RedirectResponse("/tickets", status_code=303)
    response.set_cookie(SESSION_COOKIE, cookie, max_age=SESSION_HOURS * 3600, httponly=True,
                        samesite="lax", secure=office.secure_cookies, path="/")
    response.delete_cookie(LOGIN_COOKIE, path="/login")
    return response


def logout(office: Office, request: Request, form: FormData | None, session: Session,
           viewer: Viewer) -> Response:
    sign_out(session, request.cookies.get(SESSION_COOKIE, ""), office.now())
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


async def _security_headers(request: Request, call_next: Callable[[Request], Any]) -> Response:
    response: Response = await call_next(request)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
        "form-action 'self'; frame-ancestors 'none'")
    return response


def create_app(settings: Settings, engine: Engine, clock: Callable[[], datetime],
               desk: Desk | None = None) -> Starlette:
    from bot.bootstrap import build_desk

    office = Office(settings, engine, clock, desk or build_desk(settings))

    async def help_page(request: Request) -> Response:
        return await run_in_threadpool(login_help, office, request)

    async def link_page(request: Request) -> Response:
        return await run_in_threadpool(login_link_page, office, request)

    async def submit(request: Request) -> Response:
        form = await request.form()
        return await run_in_threadpool(login_submit, office, request, form)

    async def home(request: Request) -> Response:
        return RedirectResponse("/tickets", status_code=303)

    routes = [
        Route("/", home),
        Route("/login", help_page, methods=["GET"]),
        Route("/login", submit, methods=["POST"]),
        Route("/login/{token}", link_page, methods=["GET"]),
        Route("/logout", staff_only(office, logout), methods=["POST"]),
        Route("/tickets", staff_only(office, pages.ticket_list)),
        Route("/tickets/{ticket_id:int}", staff_only(office, pages.ticket_page)),
        Route("/tickets/{ticket_id:int}/act", staff_only(office, pages.ticket_action),
              methods=["POST"]),
        Route("/digest", staff_only(office, pages.digest_page)),
        Route("/digest/chart.png", staff_only(office, pages.digest_chart)),
        Route("/staff", staff_only(office, pages.staff_page)),
        Route("/staff/{staff_id}/invite", staff_only(office, pages.staff_invite), methods=["POST"]),
        Route("/staff/{staff_id}/unbind", staff_only(office, pages.staff_unbind), methods=["POST"]),
        Route("/export.xlsx", staff_only(office, pages.export_xlsx)),
        Mount("/static", app=StaticFiles(directory=str(STATIC)), name="static"),
    ]
    app = Starlette(routes=routes,
                    middleware=[Middleware(BaseHTTPMiddleware, dispatch=_security_headers)])
    app.state.office = office
    return app
