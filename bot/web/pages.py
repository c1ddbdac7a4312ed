"""The pages of the web desk. Each runs in a thread inside one transaction, for a
signed-in ``Viewer`` (see ``bot.web.app.staff_only``)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from urllib.parse import quote, urlencode

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bot.chart import render_digest_chart
from bot.web import actions
from bot.web.export import MAX_DAYS, export_handover
from bot.web.office import Office, Viewer, digest_scope_of
from bot.web.render import refuse, render
from handlers.categories import Category, Urgency
from handlers.digest import Digest, category_label, duration_text, percent, ticket_code
from handlers.digest_build import build_digest
from handlers.directory import Role, Staff
from handlers.handover import place_text, ticket_label
from handlers.office import (
    can_manage,
    in_scope,
    is_overdue,
    mask_name,
    mask_phone,
    next_deadline,
    redact,
)
from handlers.tickets import STATUS_LABELS, Status, Ticket
from storage.digest import digest_facts
from storage.office_tables import StaffAudit
from storage.staff_binding import bindings_of, issue_binding_code, pending_codes, unbind
from storage.web_queries import TicketFilter, list_tickets, ticket_file

PREVIEW_CHARS = 24
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
EVENT_LABELS = {
    "created": "登记", "assigned": "派单", "acknowledged": "接单", "transferred": "转派",
    "escalated": "上报", "resolved": "解决", "reopened": "重新处理", "closed": "办结",
    "merged": "合并", "withdrawn": "撤销", "note": "备注", "return_visit": "回访",
    "rated": "评价", "co_reported": "又有居民反映", "attachment": "图片/附件", "edited": "居民修改原话",
    "merged_in": "并入", "ack_reminder": "接单提醒", "ack_overdue": "接单超时",
    "reassigned": "改派", "resolve_overdue": "办结超时",
}
RATING_TEXT = {"satisfied": "满意", "basically": "基本满意", "dissatisfied": "不满意"}


def _date(value: str | None) -> date | None:
    if not value or not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _int(value: str | None, default: int) -> int:
    try:
        return int(value or default)
    except ValueError:
        return default


def _base(office: Office, request: Request, viewer: Viewer, **context: Any) -> dict[str, Any]:
    return {"viewer": viewer, "me": viewer.staff, "csrf": viewer.csrf,
            "flashes": office.take_flashes(viewer.session_hash), "path": request.url.path,
            **context}


def _staff_name(viewer: Viewer, staff_id: str | None) -> str:
    person = viewer.directory.staff.get(staff_id or "")
    return person.name if person else "未指定"


# --- the ticket list ------------------------------------------------------------
def ticket_filter(request: Request) -> TicketFilter:
    q = request.query_params
    status = q.get("status", "")
    valid_status = status in ("open", "closed") or status in {s.value for s in Status}
    return TicketFilter(
        status=status if valid_status else "",
        category=q.get("category", "") if q.get("category", "") in {c.value for c in Category} else "",
        urgency=q.get("urgency", "") if q.get("urgency", "") in {u.value for u in Urgency} else "",
        grid=q.get("grid", "")[:32],
        building=q.get("building", "")[:16],
        overdue=q.get("overdue") == "1",
        date_from=_date(q.get("from")),
        date_to=_date(q.get("to")),
        q=q.get("q", "")[:100],
        page=_int(q.get("page"), 1),
    )


def _row(office: Office, viewer: Viewer, t: Ticket) -> dict[str, Any]:
    personal = viewer.personal(t)
    text = t.text if personal else redact(t.text)
    due = next_deadline(t.status, t.ack_due, t.resolve_due)
    return {
        "id": t.id, "label": ticket_label(t, viewer.directory), "category": t.category.value,
        "urgency": t.urgency.value, "place": place_text(t, personal),
        "preview": text[:PREVIEW_CHARS] + ("…" if len(text) > PREVIEW_CHARS else ""),
        "status": t.status.value, "worker": _staff_name(viewer, t.assignee),
        "deadline": office.local_text(due),
        "overdue": is_overdue(t.status, t.ack_due, t.resolve_due, office.now()),
    }


def ticket_list(office: Office, request: Request, form: FormData | None, session: Session,
                viewer: Viewer) -> Response:
    f = ticket_filter(request)
    found = list_tickets(session, f, viewer.scope, office.now(), office.tz)
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    pages = {
        "prev": urlencode({**params, "page": found.page - 1}) if found.page > 1 else None,
        "next": urlencode({**params, "page": found.page + 1}) if found.page < found.pages else None,
    }
    export_from = f.date_from or office.today()
    export_to = f.date_to or office.today()
    return render(office, request, "tickets.html", _base(
        office, request, viewer, f=f, rows=[_row(office, viewer, t) for t in found.tickets],
        total=found.total, page=found.page, pages=found.pages, links=pages,
        grids=[(g, viewer.directory.grids[g].name) for g in viewer.grids()],
        buildings=viewer.buildings(), statuses=[(s.value, STATUS_LABELS[s]) for s in Status],
        export_from=export_from.isoformat(), export_to=export_to.isoformat()))


# --- one ticket -------------------------------------------------------------------
def _actor(viewer: Viewer, actor: str, personal: bool) -> str:
    if actor == "system":
        return "系统"
    if actor.startswith("resident:"):
        name = actor.split(":", 2)[-1]
        return f"居民 {name}" if personal else "居民"
    return _staff_name(viewer, actor)


def _event_note(viewer: Viewer, action: str, note: str, personal: bool) -> str:
    if action in ("assigned", "transferred") and note in viewer.directory.staff:
        return f"给 {viewer.directory.staff[note].name}"
    if action == "created":
        return category_label(note)
    if action == "rated":
        return RATING_TEXT.get(note, note)
    return note if personal else redact(note)


def ticket_page(office: Office, request: Request, form: FormData | None, session: Session,
                viewer: Viewer) -> Response:
    found = ticket_file(session, request.path_params["ticket_id"])
    if found is None:
        return refuse(office, request, 404, "没有这个工单", "请核对编号。", viewer)
    t = found.ticket
    if not in_scope(viewer.scope, t.community, t.grid, t.assignee):
        return refuse(office, request, 403, "无权查看", "这个工单不在您负责的范围内。", viewer)
    personal = viewer.personal(t)
    timeline = [{
        "at": office.local_text(e.at, "%Y-%m-%d %H:%M"), "who": _actor(viewer, e.actor, personal),
        "what": EVENT_LABELS.get(e.action, e.action),
        "note": _event_note(viewer, e.action, e.note, personal),
    } for e in found.events]
    photos = [{"at": office.local_text(e.at, "%Y-%m-%d %H:%M"),
               "kind": "图片" if e.note.startswith("image:") else "附件",
               "message": e.note.split(":", 1)[-1]}
              for e in found.events if e.action == "attachment"]
    reporters = [{"name": r.name if personal else mask_name(r.name), "platform": r.platform}
                 for r in found.reporters]
    colleagues = sorted((s for s in viewer.directory.staff.values() if s.id != t.assignee),
                        key=lambda s: (list(Role).index(s.role), s.name))
    return render(office, request, "ticket.html", _base(
        office, request, viewer, t=t, label=ticket_label(t, viewer.directory),
        community=viewer.directory.communities[t.community].name
        if t.community in viewer.directory.communities else t.community,
        grid=viewer.directory.grids[t.grid].name if t.grid in viewer.directory.grids else "未分网格",
        place=place_text(t, personal), personal=personal,
        reporter=(t.reporter.name if personal else mask_name(t.reporter.name)),
        phone=(t.phone or "") if personal else mask_phone(t.phone),
        text=t.text if personal else redact(t.text),
        resolution=t.resolution if personal else redact(t.resolution),
        worker=_staff_name(viewer, t.assignee), timeline=timeline, photos=photos,
        reporters=reporters, can_act=viewer.may_act(t), colleagues=colleagues,
        corrections=actions.CORRECTIONS,
        ack_due=office.local_text(t.ack_due), resolve_due=office.local_text(t.resolve_due),
        overdue=is_overdue(t.status, t.ack_due, t.resolve_due, office.now()),
        rating=RATING_TEXT.get(t.rating or "", "")))


def ticket_action(office: Office, request: Request, form: FormData | None, session: Session,
                  viewer: Viewer) -> Response:
    assert form is not None
    ticket_id = request.path_params["ticket_id"]
    found = ticket_file(session, ticket_id)
    if found is None:
        return refuse(office, request, 404, "没有这个工单", "请核对编号。", viewer)
    t = found.ticket
    if not in_scope(viewer.scope, t.community, t.grid, t.assignee) or not viewer.may_act(t):
        return refuse(office, request, 403, "无权操作", "只有负责这个工单的工作人员可以操作。", viewer)
    verb = str(form.get("verb", ""))
    argument = str(form.get("argument", ""))[:1000]
    if verb not in actions.VERBS and verb not in actions.CORRECTION_VERBS:
        return refuse(office, request, 400, "无法操作", "不认识的操作。", viewer)
    if verb in actions.NEEDS_ARGUMENT and not argument.strip():
        office.flash(viewer.session_hash, "请填写内容后再提交。")
    else:
        for text in actions.act(session, office.desk, viewer.directory, viewer.staff, t, verb,
                                argument, office.now()):
            office.flash(viewer.session_hash, text)
    return RedirectResponse(f"/tickets/{ticket_id}", status_code=303)


# --- the digest -----------------------------------------------------------------
PERIODS = {"today": "今天", "yesterday": "昨天", "week": "近7天"}


def _digest(office: Office, session: Session, viewer: Viewer, which: str) -> Digest | None:
    scope = digest_scope_of(viewer.staff, viewer.directory)
    if scope is None:
        return None
    now = office.now()
    today = office.midnight(office.today())
    start, end = {
        "today": (today, now),
        "yesterday": (today - timedelta(days=1), today),
        "week": (today - timedelta(days=7), today),
    }[which]
    facts = digest_facts(session, scope, start, end, now)
    return build_digest(facts, scope, start, end, now, viewer.directory)


def _which(request: Request) -> str:
    which = request.query_params.get("period", "today")
    return which if which in PERIODS else "today"


def digest_page(office: Office, request: Request, form: FormData | None, session: Session,
                viewer: Viewer) -> Response:
    which = _which(request)
    digest = _digest(office, session, viewer, which)
    return render(office, request, "digest.html", _base(
        office, request, viewer, digest=digest, which=which, periods=PERIODS,
        percent=percent, category_label=category_label, duration_text=duration_text,
        ticket_code=ticket_code))


def digest_chart(office: Office, request: Request, form: FormData | None, session: Session,
                 viewer: Viewer) -> Response:
    which = _which(request)
    digest = _digest(office, session, viewer, which)
    if digest is None:
        return Response(status_code=404)
    title = f"{digest.scope_name} {PERIODS[which]} 网格三率"
    return Response(render_digest_chart(digest, title), media_type="image/png",
                    headers={"Cache-Control": "no-store"})


# --- staff ------------------------------------------------------------------------
def _manageable(viewer: Viewer) -> list[Staff]:
    people = [s for s in viewer.directory.staff.values()
              if can_manage(viewer.staff, s, viewer.directory)]
    return sorted(people, key=lambda s: (list(viewer.directory.staff).index(s.id)))


def staff_page(office: Office, request: Request, form: FormData | None, session: Session,
               viewer: Viewer) -> Response:
    codes = pending_codes(session, office.now())
    configured = office.directory.staff
    people = []
    for person in _manageable(viewer):
        bound = bindings_of(session, person.id)
        backup = viewer.directory.staff.get(person.backup or "")
        people.append({
            "id": person.id, "name": person.name, "role": person.role.value,
            "places": "、".join([viewer.directory.grids[g].name for g in person.grids
                                if g in viewer.directory.grids]
                               + [viewer.directory.communities[c].name for c in person.communities
                                  if c in viewer.directory.communities]) or "—",
            "on_leave": person.on_leave, "backup": backup.name if backup else "—",
            "configured": sorted(configured[person.id].identities) if person.id in configured else [],
            "bound": [{"platform": b.platform, "at": office.local_text(b.bound_at, "%Y-%m-%d %H:%M")}
                      for b in bound],
            "code": codes.get(person.id),
        })
    return render(office, request, "staff.html", _base(office, request, viewer, people=people))


def _managed(viewer: Viewer, request: Request) -> Staff | None:
    person = viewer.directory.staff.get(request.path_params["staff_id"])
    if person is None or not can_manage(viewer.staff, person, viewer.directory):
        return None
    return person


def staff_invite(office: Office, request: Request, form: FormData | None, session: Session,
                 viewer: Viewer) -> Response:
    person = _managed(viewer, request)
    if person is None:
        return refuse(office, request, 403, "无权操作", "您不能为这位工作人员生成绑定码。", viewer)
    code = issue_binding_code(session, person.id, viewer.staff.id, office.now())
    office.flash(viewer.session_hash,
                 f"{person.name}的绑定码:{code}。请让本人私聊网格前台发送“绑定 {code}”(72小时内有效)。")
    return RedirectResponse("/staff", status_code=303)


def staff_unbind(office: Office, request: Request, form: FormData | None, session: Session,
                 viewer: Viewer) -> Response:
    person = _managed(viewer, request)
    if person is None:
        return refuse(office, request, 403, "无权操作", "您不能解除这位工作人员的绑定。", viewer)
    platform = str(form.get("platform", "")) if form is not None else ""
    removed = unbind(session, person.id, platform or None, viewer.staff.id, office.now())
    office.flash(viewer.session_hash, f"已解除{person.name}的{removed}个绑定。" if removed
                 else f"{person.name}没有可解除的绑定(配置文件里的账号请在配置里改)。")
    return RedirectResponse("/staff", status_code=303)


# --- the handover sheet --------------------------------------------------------------
def export_xlsx(office: Office, request: Request, form: FormData | None, session: Session,
                viewer: Viewer) -> Response:
    first = _date(request.query_params.get("from")) or office.today()
    last = _date(request.query_params.get("to")) or first
    if last < first or (last - first).days >= MAX_DAYS:
        return refuse(office, request, 400, "日期不对",
                      f"请选择不超过{MAX_DAYS}天的日期范围(开始不晚于结束)。", viewer)
    data, count = export_handover(session, viewer.directory, viewer.staff,
                                  digest_scope_of(viewer.staff, viewer.directory), first, last,
                                  office.tz, office.now(), viewer.personal_roles)
    session.add(StaffAudit(at=office.now(), actor=viewer.staff.id, action="export",
                           subject=f"{first}..{last}", note=f"{count} rows"))
    name = f"问题交接单_{first}_{last}.xlsx"
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=\"handover_{first}_{last}.xlsx\"; "
                             f"filename*=UTF-8''{quote(name)}",
                             "Cache-Control": "no-store"})

