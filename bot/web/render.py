"""Rendering a template for the web desk, and the polite refusal page."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from bot.web.office import Office, Viewer


def render(office: Office, request: Request, name: str, context: dict[str, Any],
           status_code: int = 200) -> Response:
    response = office.templates.TemplateResponse(request, name, context, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    return response


def refuse(office: Office, request: Request, status: int, title: str, text: str,
           viewer: Viewer | None = None) -> Response:
    return render(office, request, "message.html",
                  {"title": title, "text": text, "viewer": viewer}, status_code=status)
