"""Onboarding through the chat: binding codes, "网页" login links, unbinding — on the
real core and storage (console platform), SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.cli import main
from storage.database import session_scope
from storage.office_tables import StaffAudit, StaffBinding
from storage.staff_binding import issue_binding_code, unbind
from tests.office_fixtures import office_bot, web_client


@pytest.fixture
def unbound(settings):  # type: ignore[no-untyped-def]
    """The bundled config, but 王芳 and 张伟 have no chat identities written down."""
    staff = [s.model_copy(update={"identities": {}}) if s.id in ("wang_fang", "zhang_wei") else s
             for s in settings.staff]
    return settings.model_copy(update={"staff": staff})


def code_for(bot, staff_id: str, by: str = "admin") -> str:  # type: ignore[no-untyped-def]
    with session_scope(bot.engine) as session:
        return issue_binding_code(session, staff_id, by, bot.now)


def test_a_person_binds_by_code_and_is_then_staff_in_the_chat(unbound, engine):
    bot = office_bot(unbound, engine)
    before = bot.say("jl-3", "张阿姨", "3号楼楼道灯坏了")
    assert not [chat for chat, _ in before if chat == "小王"]

    code = code_for(bot, "wang_fang")
    [(chat, welcome)] = bot.say("小王", "小王", f"绑定 {code}", private=True)
    assert chat == "小王" and "绑定成功" in welcome and "王芳" in welcome
    assert "吉利第一网格的网格员" in welcome and "收到" in welcome and "网页" in welcome

    told = bot.say("小王", "小王", "#1 收到", private=True)
    assert any(chat == "jl-3" and "网格员王芳已接单" in text for chat, text in told)
    later = bot.say("jl-3", "李大爷", "2号楼门口有垃圾", at=bot.now + timedelta(minutes=3))
    assert any(chat == "小王" and "【新工单 #0002】" in text for chat, text in later)

    with session_scope(engine) as session:
        [binding] = session.execute(select(StaffBinding)).scalars().all()
        audits = [(a.actor, a.action) for a in session.execute(select(StaffAudit)).scalars()]
    assert (binding.platform, binding.user_id, binding.staff_id) == ("console", "小王", "wang_fang")
    assert ("wang_fang", "bound") in audits and ("admin", "binding_code") in audits


def test_a_code_works_once_in_private_and_not_after_it_expires(unbound, engine):
    bot = office_bot(unbound, engine)
    code = code_for(bot, "zhang_wei")
    [(_, burnt)] = bot.say("jl-3", "张伟", f"绑定 {code}")
    assert "私聊" in burnt and "作废" in burnt
    [(_, refused)] = bot.say("张伟", "张伟", f"绑定 {code}", private=True)
    assert "不对或已过期" in refused

    fresh = code_for(bot, "zhang_wei")
    [(_, ok)] = bot.say("老张", "老张", f"/bind {fresh}", private=True)
    assert "网格长" in ok and "日报" in ok
    [(_, again)] = bot.say("别人", "别人", f"绑定 {fresh}", private=True)
    assert "不对或已过期" in again

    late = code_for(bot, "wang_fang")
    bot.now += timedelta(hours=73)
    [(_, expired)] = bot.say("小王", "小王", f"绑定 {late}", private=True)
    assert "不对或已过期" in expired


def test_guessing_codes_is_stopped(unbound, engine):
    bot = office_bot(unbound, engine)
    code = code_for(bot, "wang_fang")
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        bot.say("猜", "猜", f"绑定 {wrong}", private=True)
    [(_, stopped)] = bot.say("猜", "猜", f"绑定 {code}", private=True)
    assert "次数太多" in stopped
    [(_, later)] = bot.say("猜", "猜", f"绑定 {code}", private=True, at=bot.now + timedelta(hours=2))
    assert "绑定成功" in later


def test_configured_identities_keep_working_and_an_admin_can_unbind(settings, engine):
    bot = office_bot(settings, engine)
    code = code_for(bot, "wang_fang")
    [(_, ok)] = bot.say("wx-wang", "wx-wang", f"绑定 {code}", private=True)
    assert "绑定成功" in ok
    bot.say("jl-3", "张阿姨", "3号楼楼道灯坏了")
    old = bot.say("王芳", "王芳", "#1 收到", private=True)  # the name written in config.yaml
    assert any("网格员王芳已接单" in text for _, text in old)
    [(_, already)] = bot.say("wx-wang", "wx-wang", f"绑定 {code}", private=True)
    assert "已经绑定为王芳" in already

    with session_scope(engine) as session:
        assert unbind(session, "wang_fang", None, "zhang_wei", bot.now) == 1
    bot.bindings.refresh()
    [(_, stranger)] = bot.say("wx-wang", "wx-wang", "#1 已解决", private=True)
    assert "只有负责这个工单的工作人员" in stranger


def test_staff_ask_for_a_login_link_in_private(settings, engine):
    bot = office_bot(settings, engine)
    [(_, group)] = bot.say("jl-3", "王芳", "网页")
    assert "私聊" in group and "http" not in group
    [(chat, reply)] = bot.say("王芳", "王芳", "网页", private=True)
    link = re.search(r"http://127\.0\.0\.1:8080/login/(\S+)", reply)
    assert chat == "王芳" and link and "15分钟" in reply
    with web_client(settings, bot) as client:
        page = client.get(f"/login/{link.group(1)}")
        assert page.status_code == 200 and "王芳" in page.text
    resident = bot.say("张阿姨", "张阿姨", "网页", private=True)
    assert all("login" not in text for _, text in resident)


def test_the_cli_invites_lists_unbinds_and_prints_login_links(tmp_path, capsys):
    config = tmp_path / "config.yaml"
    from bot.settings import BUNDLED_CONFIG

    config.write_text(BUNDLED_CONFIG.read_text(encoding="utf-8").replace(
        "sqlite:///griddesk.db", f"sqlite:///{tmp_path}/desk.db"), encoding="utf-8")
    assert main(["staff", "invite", "wang_fang", "--config", str(config)]) == 0
    code = re.match(r"(\d{6})", capsys.readouterr().out).group(1)
    assert main(["staff", "list", "--config", str(config)]) == 0
    assert f"pending code {code}" in capsys.readouterr().out
    assert main(["login-link", "zhang_wei", "--config", str(config)]) == 0
    assert re.match(r"http://127\.0\.0\.1:8080/login/[\w-]{40,}\n", capsys.readouterr().out)
    assert main(["staff", "invite", "nobody", "--config", str(config)]) == 2
    assert "no staff member with id 'nobody'" in capsys.readouterr().err
    assert main(["staff", "unbind", "wang_fang", "--config", str(config)]) == 0
    assert "unbound 0 identities" in capsys.readouterr().out
