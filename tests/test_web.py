"""The web desk over HTTP (in process), on SQLite and PostgreSQL: sign-in, scope,
privacy, CSRF, escaping, filters, and actions that reach the chat."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.database import session_scope
from storage.office_tables import StaffAudit
from storage.tables import OutboxRow, TicketEventRow
from tests.office_fixtures import (
    PHONE,
    login_link,
    morning,
    office_bot,
    seed_tickets,
    sign_in,
    web_client,
)


@pytest.fixture
def bot(settings, engine):  # type: ignore[no-untyped-def]
    bot = office_bot(settings, engine)
    morning(bot)
    return bot


def ticket_id(bot, community: str, code: int) -> int:  # type: ignore[no-untyped-def]
    ticket = bot.ticket(code, community)
    assert ticket is not None and ticket.id is not None
    return ticket.id


def test_without_a_session_every_page_leads_to_the_login_page(settings, bot):
    with web_client(settings, bot) as client:
        for path in ("/tickets", "/tickets/1", "/digest", "/staff", "/export.xlsx"):
            response = client.get(path)
            assert response.status_code == 303 and response.headers["location"] == "/login", path
        page = client.get("/login")
        assert "私聊" in page.text and "网页" in page.text
        refused = client.post("/tickets/1/act", data={"verb": "ack"})
        assert refused.headers["location"] == "/login"


def test_a_login_link_works_once_and_only_for_fifteen_minutes(settings, bot):
    with web_client(settings, bot) as client:
        link = login_link(bot.engine, "wang_fang", bot.now)
        page = client.get(f"/login/{link}")
        assert page.status_code == 200 and "王芳" in page.text
        page = client.get(f"/login/{link}")
        assert page.status_code == 200, "looking at it (a link preview) does not use it"
        nonce = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        session = client.post("/login", data={"token": link, "csrf": nonce})
        assert session.status_code == 303
        cookie = session.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Max-Age=28800" in cookie
        assert "Secure" not in cookie, "plain http on loopback"
        assert client.get("/tickets").status_code == 200

    with web_client(settings, bot) as other:
        used = other.get(f"/login/{link}")
        assert used.status_code == 403 and "已经用过或已过期" in used.text
        old = login_link(bot.engine, "wang_fang", bot.now - timedelta(minutes=16))
        assert other.get(f"/login/{old}").status_code == 403
        other.cookies.set("griddesk_login", "x")
        assert other.post("/login", data={"token": old, "csrf": "x"}).status_code == 403
        assert other.get("/tickets").status_code == 303, "no session was opened"


def test_the_session_ends_after_eight_hours(settings, bot):
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "wang_fang", bot.now)
        bot.now += timedelta(hours=8, minutes=1)
        assert client.get("/tickets").headers["location"] == "/login"


def test_behind_https_the_cookie_is_secure(settings, bot):
    https = settings.model_copy(update={"web": settings.web.model_copy(
        update={"base_url": "https://desk.example.org"})})
    with web_client(https, bot, base_url="https://desk.example.org") as client:
        link = login_link(bot.engine, "wang_fang", bot.now)
        page = client.get(f"/login/{link}")
        nonce = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        response = client.post("/login", data={"token": link, "csrf": nonce})
        assert "Secure" in response.headers["set-cookie"]


def test_a_worker_sees_their_grid_and_is_refused_another(settings, bot):
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "wang_fang", bot.now)
        listing = client.get("/tickets").text
        assert "楼道灯坏了" in listing and "摔倒" not in listing and "下水道" not in listing
        other = client.get(f"/tickets/{ticket_id(bot, 'JL', 2)}")
        assert other.status_code == 403 and "不在您负责的范围内" in other.text
        act = client.post(f"/tickets/{ticket_id(bot, 'JL', 2)}/act",
                          data={"verb": "ack", "csrf": re.search(r'name="csrf" value="([^"]+)"',
                                                                  listing).group(1)})
        assert act.status_code == 403
    assert bot.ticket(2).status.value == "assigned"


def test_leaders_see_their_scope(settings, bot):
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "li_hongmei", bot.now)  # 吉利社区
        listing = client.get("/tickets").text
        assert "楼道灯坏了" in listing and "摔倒" in listing and "下水道" not in listing
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "zheng_guoqiang", bot.now)  # the street
        listing = client.get("/tickets").text
        assert "楼道灯坏了" in listing and "摔倒" in listing and "下水道" in listing
        assert "文化里社区 #0003" in listing and "吉利社区 #0001" in listing


def test_phone_room_and_name_only_for_those_with_the_right(settings, bot):
    jl1 = ticket_id(bot, "JL", 1)
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "wang_fang", bot.now)
        page = client.get(f"/tickets/{jl1}").text
        assert PHONE in page and "601" in page and "张阿姨" in page
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "zheng_guoqiang", bot.now)
        for path in ("/tickets", f"/tickets/{jl1}", "/digest", "/tickets?q=灯"):
            page = client.get(path).text
            assert PHONE not in page and "601" not in page and "张阿姨" not in page, path
        assert "138****5678" in client.get(f"/tickets/{jl1}").text


def test_every_post_needs_the_csrf_token(settings, bot):
    jl1 = ticket_id(bot, "JL", 1)
    with web_client(settings, bot) as client:
        csrf = sign_in(client, bot.engine, "wang_fang", bot.now)
        for data in ({"verb": "ack"}, {"verb": "ack", "csrf": "forged"}):
            refused = client.post(f"/tickets/{jl1}/act", data=data)
            assert refused.status_code == 403 and "页面已过期" in refused.text
        assert bot.ticket(1).status.value == "assigned"
        for path in ("/staff/wang_fang/invite", "/staff/wang_fang/unbind", "/logout"):
            assert client.post(path, data={}).status_code == 403, path
        page = client.get(f"/tickets/{jl1}").text
        forms = page.count("<form method=\"post\"")
        assert forms == page.count(f'name="csrf" value="{csrf}"') and forms >= 5


def test_residents_text_is_shown_as_text(settings, bot):
    bot.say("jl-3", "小明", "<script>alert('x')</script> 4号楼楼道灯不亮 <b>急</b>")
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "wang_fang", bot.now)
        listing = client.get("/tickets").text
        assert "<script>alert" not in listing and "&lt;script&gt;" in listing
        page = client.get(f"/tickets/{ticket_id(bot, 'JL', 4)}").text
        assert "<script>" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
        assert "<b>急</b>" not in page
        assert "script-src 'none'" in client.get("/tickets").headers["content-security-policy"]


def test_filters_search_and_pages(settings, bot):
    seed_tickets(bot.engine, 55, bot.now, text="门口有垃圾 第{n}次")
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "zheng_guoqiang", bot.now)
        first = client.get("/tickets").text
        assert "共 58 件" in first and "第 1 / 2 页" in first
        second = client.get("/tickets?page=2").text
        assert "第 2 / 2 页" in second and second.count("<tr class=") == 8
        only = client.get("/tickets?category=plumbing").text
        assert "共 1 件" in only and "下水道" in only
        emergency = client.get("/tickets?urgency=emergency").text
        assert "共 1 件" in emergency and "摔倒" in emergency
        grid = client.get("/tickets?grid=JL-2").text
        assert "共 1 件" in grid
        building = client.get("/tickets?building=2&category=sanitation").text
        assert "共 14 件" in building
        assert "共 1 件" in client.get("/tickets?q=第17次").text
        assert "共 1 件" in client.get("/tickets?q=%230001").text, "a code names one ticket in the street"
        assert "共 0 件" in client.get("/tickets?from=2026-11-24").text
        assert "共 58 件" in client.get("/tickets?from=2026-11-23&to=2026-11-23").text
        assert "共 0 件" in client.get("/tickets?overdue=1").text
        bot.now += timedelta(days=1)
        sign_in(client, bot.engine, "zheng_guoqiang", bot.now)
        late = client.get("/tickets?overdue=1&status=open").text
        assert "共 58 件" in late and "已超时" in late
        assert client.get("/tickets?status=bogus&page=x&from=yesterday").status_code == 200


def test_a_web_action_goes_through_the_core_and_is_told_in_the_chat(settings, bot):
    jl1 = ticket_id(bot, "JL", 1)
    with web_client(settings, bot) as client:
        csrf = sign_in(client, bot.engine, "wang_fang", bot.now)
        done = client.post(f"/tickets/{jl1}/act", data={"verb": "ack", "csrf": csrf})
        assert done.status_code == 303
        page = client.get(f"/tickets/{jl1}").text
        assert "已接单 #0001" in page and "处理中" in page
        client.post(f"/tickets/{jl1}/act", data={"verb": "resolve", "argument": "换了灯泡",
                                                  "csrf": csrf})
    told = bot.at(bot.now)  # the bot's outbox flush
    group = [text for chat, text in told if chat == "jl-3"]
    assert any("网格员王芳已接单" in t for t in group)
    assert any("已解决" in t and "换了灯泡" in t for t in group)
    assert any("请您评价" in t for t in group)
    assert not [chat for chat, _ in told if chat == "web"], "the actor's answer stays on the page"
    with session_scope(bot.engine) as session:
        events = session.execute(select(TicketEventRow).where(TicketEventRow.ticket_id == jl1)).scalars()
        actors = {e.action: e.actor for e in events}
        audits = [a.action for a in session.execute(select(StaffAudit)).scalars()
                  if a.actor == "wang_fang"]
        pending = session.execute(select(OutboxRow).where(OutboxRow.sent_at.is_(None))).scalars().all()
    assert actors["acknowledged"] == "wang_fang" and actors["resolved"] == "wang_fang"
    assert {"login", "web:ack", "web:resolve"} <= set(audits)
    assert not pending


def test_transfer_escalate_and_note_from_the_web(settings, bot):
    jl1 = ticket_id(bot, "JL", 1)
    with web_client(settings, bot) as client:
        csrf = sign_in(client, bot.engine, "zhang_wei", bot.now)
        client.post(f"/tickets/{jl1}/act", data={"verb": "note", "argument": "已联系物业", "csrf": csrf})
        client.post(f"/tickets/{jl1}/act", data={"verb": "transfer", "argument": "刘洋", "csrf": csrf})
        client.post(f"/tickets/{jl1}/act", data={"verb": "escalate", "argument": "需要社区协调",
                                                  "csrf": csrf})
        empty = client.post(f"/tickets/{jl1}/act", data={"verb": "note", "argument": " ", "csrf": csrf})
        assert empty.status_code == 303
        page = client.get(f"/tickets/{jl1}").text
        assert "请填写内容" in page
        for shown in ("已联系物业", "给 刘洋", "需要社区协调", "已上报"):
            assert shown in page, shown
    told = bot.at(bot.now)
    assert any(chat == "刘洋" and "张伟把工单转给您" in text for chat, text in told)
    assert any(chat == "李红梅" and "上报到社区" in text for chat, text in told)


def test_digest_page_and_chart(settings, bot):
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "li_hongmei", bot.now)
        page = client.get("/digest").text
        assert "吉利社区" in page and "新增 2" in page and "吉利第一网格" in page
        assert "响应率" in page and "/digest/chart.png?period=today" in page
        chart = client.get("/digest/chart.png?period=today")
        assert chart.headers["content-type"] == "image/png" and chart.content[:4] == b"\x89PNG"
        assert "近7天" in client.get("/digest?period=week").text


def test_staff_page_issues_binding_codes_for_those_one_leads(settings, bot):
    with web_client(settings, bot) as client:
        csrf = sign_in(client, bot.engine, "zhang_wei", bot.now)
        page = client.get("/staff").text
        assert "王芳" in page and "刘洋" in page and "赵敏" not in page and "休假" in page
        issued = client.post("/staff/wang_fang/invite", data={"csrf": csrf})
        assert issued.status_code == 303
        code = re.search(r"绑定 (\d{6})", client.get("/staff").text)
        assert code is not None
        assert client.post("/staff/zhao_min/invite", data={"csrf": csrf}).status_code == 403


def test_corrections_from_the_web_go_through_the_core(settings, bot):
    jl1 = ticket_id(bot, "JL", 1)
    with web_client(settings, bot) as client:
        csrf = sign_in(client, bot.engine, "wang_fang", bot.now)
        page = client.get(f"/tickets/{jl1}").text
        assert "不是诉求" in page and "改类别" in page
        client.post(f"/tickets/{jl1}/act", data={"verb": "category", "argument": "燃气", "csrf": csrf})
        client.post(f"/tickets/{jl1}/act", data={"verb": "urgency", "argument": "紧急", "csrf": csrf})
        page = client.get(f"/tickets/{jl1}").text
        assert "已更正" in page
    told = bot.at(bot.now)
    assert bot.ticket(1).category.value == "gas" and bot.ticket(1).urgency.value == "emergency"
    assert any(chat == "jl-3" and "紧急情况" in text for chat, text in told), "the emergency path ran"
    assert any(chat == "张伟" and "紧急" in text for chat, text in told)
    with web_client(settings, bot) as client:
        csrf = sign_in(client, bot.engine, "wang_fang", bot.now)
        client.post(f"/tickets/{jl1}/act", data={"verb": "false_alarm", "csrf": csrf})
    assert bot.ticket(1).status.value == "dismissed"
