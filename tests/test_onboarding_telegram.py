# ruff: noqa: F811  (pytest fixtures are imported by name and then requested as arguments)
"""Onboarding on Telegram, end to end: the loopback Bot API ⇄ TelegramPlatform ⇄ Runtime.
A worker whose Telegram id is in no config sends "绑定 123456" privately, is told what
they can do, and from then on gets their tickets on Telegram and acts on them there."""

from __future__ import annotations

import re

import pytest
from telegram import User

from bot.bindings import BindingSync
from bot.bootstrap import build_desk, open_storage
from bot.runtime import Runtime
from storage.database import session_scope
from storage.staff_binding import issue_binding_code
from tests.factories import MONDAY_9AM
from tests.office_fixtures import keyword_parser
from tests.telegram.fixtures import (  # noqa: F401  (pytest fixtures)
    BUILDING_3,
    RESIDENT,
    RecordedSleep,
    anyio_backend,
    bot_api,
    make_platform,
    private_chat,
)

pytestmark = pytest.mark.anyio

NEW_WORKER = User(4242, "小王", is_bot=False)


async def test_a_worker_binds_on_telegram_and_then_works_there(bot_api, settings, tmp_path):
    staff = [s.model_copy(update={"identities": {}}) if s.id == "wang_fang" else s
             for s in settings.staff]
    unbound = settings.model_copy(update={"staff": staff})
    engine = open_storage(f"sqlite:///{tmp_path}/griddesk.db")
    desk = build_desk(unbound, parse=keyword_parser)
    BindingSync(desk, engine).refresh()
    runtime = Runtime(desk, engine, [make_platform(bot_api, RecordedSleep())], lambda: MONDAY_9AM)
    await runtime.start(flush_every=0)
    me = str(NEW_WORKER.id)
    try:
        with session_scope(engine) as session:
            code = issue_binding_code(session, "wang_fang", "zhang_wei", MONDAY_9AM)
        bot_api.post(private_chat(NEW_WORKER), NEW_WORKER, f"绑定 {code}")
        [welcome] = await bot_api.wait_sent(me, 1)
        assert "绑定成功" in welcome.text and "王芳" in welcome.text

        bot_api.post(BUILDING_3, RESIDENT, "3号楼楼道灯坏了")
        cards = await bot_api.wait_sent(me, 2)
        assert "【新工单 #0001】" in cards[1].text and cards[1].labels == ["接单", "已解决", "上报"]
        bot_api.post(private_chat(NEW_WORKER), NEW_WORKER, "网页")
        link = (await bot_api.wait_sent(me, 3))[2].text
        assert re.search(r"http://127\.0\.0\.1:8080/login/\S{40,}", link)
        bot_api.post(private_chat(NEW_WORKER), NEW_WORKER, "#1 收到")
        await bot_api.wait_for(lambda: any("网格员王芳已接单" in t
                                           for t in bot_api.texts_to(str(BUILDING_3.id))))
    finally:
        await runtime.stop()
        engine.dispose()
