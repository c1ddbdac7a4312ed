# ruff: noqa: F811  (pytest fixtures are imported by name and then requested as arguments)
"""TelegramPlatform against the loopback Bot API: what users do becomes Inbound /
ButtonPress with the right fields, and what the core says arrives, once, even
through flood control, dropped connections, group migration and restarts."""

from __future__ import annotations

import asyncio

import pytest

from bot.platform import DeliveryError, NotStored
from bot.settings import StartupError
from bot.telegram import TelegramPlatform, WebhookConfig
from bot.telegram_convert import split_text
from handlers.messages import Button, MessageKind, Outbound
from tests.telegram.fixtures import (  # noqa: F401  (pytest fixtures)
    BUILDING_3,
    NEIGHBOUR,
    OLD_GROUP,
    OTHER_BOT,
    RESIDENT,
    WORKER,
    RecordedSleep,
    RecordingSink,
    anyio_backend,
    bot_api,
    make_platform,
    private_chat,
    receipt,
    sink,
    sleeps,
    telegram,
)
from tests.telegram.server import BOT_USER, TOKEN

pytestmark = pytest.mark.anyio

STAFF_BUTTONS = (Button("接单", "ack:17"), Button("已解决", "resolve:17"), Button("上报", "escalate:17"))


async def test_resident_message_in_a_supergroup_becomes_one_inbound(bot_api, sink, telegram):
    posted = bot_api.post(BUILDING_3, RESIDENT, "3号楼2单元楼道灯坏了")

    await bot_api.wait_for(lambda: sink.messages)
    [m] = sink.messages
    assert (m.platform, m.chat_id, m.message_id) == ("telegram", "-1001000000003", str(posted.message_id))
    assert (m.sender_id, m.sender_name, m.text) == ("5001", "张阿姨", "3号楼2单元楼道灯坏了")
    assert m.kind is MessageKind.TEXT and not m.is_private and not m.from_bot
    assert m.reply_to_message_id is None and m.sent_at == posted.date
    assert m.extras["chat_title"] == "吉利花园3号楼" and m.extras["username"] == "zhang_ayi"


async def test_a_receipt_goes_back_into_the_group_as_a_reply(bot_api, sink, telegram):
    sink.reply = receipt
    posted = bot_api.post(BUILDING_3, RESIDENT, "门口有垃圾")

    await bot_api.wait_for(lambda: sink.sent_ids)
    [sent] = bot_api.sent_to(BUILDING_3.id)
    assert sent.text == "已收到:门口有垃圾" and sent.reply_to == posted.message_id
    assert sink.sent_ids == [str(sent.message_id)]


async def test_private_photos_and_voice_keep_their_kind_and_caption(bot_api, sink, telegram):
    bot_api.post(private_chat(RESIDENT), RESIDENT, photo=True, caption="墙皮掉了")
    bot_api.post(BUILDING_3, NEIGHBOUR, voice=True)
    bot_api.post(BUILDING_3, NEIGHBOUR, sticker=None, dice=None)  # a message with nothing we know

    await bot_api.wait_for(lambda: len(sink.messages) == 3)
    photo, voice, other = sink.messages
    assert photo.is_private and photo.chat_id == "5001" and photo.kind is MessageKind.IMAGE
    assert photo.text == "墙皮掉了" and photo.extras["file_id"] == "AgAD-photo"
    assert voice.kind is MessageKind.VOICE and voice.text == "" and voice.sender_name == "李大爷"
    assert other.kind is MessageKind.OTHER


async def test_a_reply_to_the_bots_message_names_it(bot_api, sink, telegram):
    note_id = await telegram.send(Outbound("telegram", "-1001000000003", "#0001 已登记"))
    bot_message = bot_api.sent_to(BUILDING_3.id)[0]
    assert note_id == str(bot_message.message_id)

    bot_api.post(BUILDING_3, WORKER, "收到", reply_to=bot_message)

    await bot_api.wait_for(lambda: sink.messages)
    assert sink.messages[0].reply_to_message_id == note_id


async def test_a_button_press_becomes_a_buttonpress_and_the_notice_is_shown(bot_api, sink, telegram):
    sink.notice = "已接单"
    await telegram.send(Outbound("telegram", "1001", "新工单 #0017", private=True, buttons=STAFF_BUTTONS))
    [card] = await bot_api.wait_sent(WORKER.id)
    assert card.buttons == [("接单", "ack:17"), ("已解决", "resolve:17"), ("上报", "escalate:17")]

    query = bot_api.press(card, WORKER, "接单")

    assert await bot_api.wait_answer(query) == "已接单"
    [press] = sink.presses
    assert (press.platform, press.chat_id, press.message_id) == ("telegram", "1001", str(card.message_id))
    assert (press.sender_id, press.sender_name, press.action) == ("1001", "王芳", "ack:17")


async def test_a_press_without_a_notice_is_still_answered(bot_api, sink, telegram):
    await telegram.send(Outbound("telegram", "1001", "x", private=True, buttons=STAFF_BUTTONS))
    [card] = await bot_api.wait_sent(WORKER.id)

    query = bot_api.press(card, WORKER, "上报")

    assert await bot_api.wait_answer(query) is None
    assert sink.presses[0].action == "escalate:17"


async def test_an_action_longer_than_callback_data_allows_still_comes_back(bot_api, sink, telegram):
    action = "rate:17:" + "满意" * 20
    await telegram.send(Outbound("telegram", "5001", "请评价", private=True, buttons=(Button("满意", action),)))
    [card] = await bot_api.wait_sent(RESIDENT.id)
    assert len(card.buttons[0][1].encode()) <= 64

    bot_api.press(card, RESIDENT, "满意")

    await bot_api.wait_for(lambda: sink.presses)
    assert sink.presses[0].action == action


async def test_an_edited_message_comes_again_marked_edited(bot_api, sink, telegram):
    posted = bot_api.post(BUILDING_3, RESIDENT, "3号楼灯坏了")
    bot_api.edit(posted, "5号楼灯坏了")

    await bot_api.wait_for(lambda: len(sink.messages) == 2)
    first, edited = sink.messages
    assert edited.message_id == first.message_id and edited.text == "5号楼灯坏了"
    assert edited.extras["edited"] is True and "edited" not in first.extras


async def test_the_bots_own_messages_are_dropped_and_other_bots_are_flagged(bot_api, sink, telegram):
    bot_api.post(BUILDING_3, BOT_USER, "我自己说的")
    bot_api.post(BUILDING_3, OTHER_BOT, "优惠券")
    bot_api.post(BUILDING_3, RESIDENT, "谢谢")

    await bot_api.wait_for(lambda: any(m.text == "谢谢" for m in sink.messages))
    assert [(m.text, m.from_bot) for m in sink.messages] == [("优惠券", True), ("谢谢", False)]


async def test_flood_control_is_honoured_and_the_message_arrives_once(bot_api, sleeps, telegram):
    bot_api.fail_next("sendMessage", 2, retry_after=7)

    await telegram.send(Outbound("telegram", "-1001000000003", "通知"))

    assert bot_api.texts_to(BUILDING_3.id) == ["通知"]
    assert len(bot_api.calls_of("sendMessage")) == 3
    assert sleeps.calls == [7.0, 7.0]


async def test_a_long_flood_wait_is_left_to_the_outbox_rather_than_sat_out(bot_api, sleeps, telegram):
    bot_api.fail_next("sendMessage", 1, retry_after=3600)

    with pytest.raises(DeliveryError):
        await telegram.send(Outbound("telegram", "-1001000000003", "通知"))

    assert sleeps.calls == [] and bot_api.texts_to(BUILDING_3.id) == []


async def test_a_dropped_connection_is_retried_with_backoff(bot_api, sleeps, telegram):
    bot_api.drop_next("sendMessage", 2)

    await telegram.send(Outbound("telegram", "-1001000000003", "通知"))

    assert bot_api.texts_to(BUILDING_3.id) == ["通知"]
    assert sleeps.calls == [0.5, 1.0]


async def test_after_the_last_attempt_the_send_raises_delivery_error(bot_api, sleeps, telegram):
    bot_api.drop_next("sendMessage", 5)

    with pytest.raises(DeliveryError):
        await telegram.send(Outbound("telegram", "-1001000000003", "通知"))

    assert bot_api.texts_to(BUILDING_3.id) == []
    assert sleeps.calls == [0.5, 1.0, 2.0, 4.0]


async def test_a_refused_send_is_not_retried(bot_api, sleeps, telegram):
    with pytest.raises(DeliveryError):
        await telegram.send(Outbound("telegram", "-1001000000003", "   "))
    assert len(bot_api.calls_of("sendMessage")) == 1 and sleeps.calls == []


async def test_a_text_over_4096_is_split_on_lines_and_buttons_go_last(bot_api, telegram):
    lines = [f"{i:04d} 号 工单 摘要 ......" for i in range(600)]
    text = "\n".join(lines)
    assert len(text) > 2 * 4096

    first_id = await telegram.send(Outbound("telegram", "1001", text, private=True, buttons=STAFF_BUTTONS))

    parts = bot_api.sent_to(WORKER.id)
    assert len(parts) == 3 and first_id == str(parts[0].message_id)
    assert all(len(p.text) <= 4096 for p in parts)
    assert "\n".join(p.text for p in parts) == text
    assert [bool(p.buttons) for p in parts] == [False, False, True]


def test_split_text_cuts_a_line_too_long_by_itself_without_breaking_an_emoji():
    text = "短\n" + "😀" * 3000 + "\n尾"
    parts = split_text(text)
    assert all(len(p.encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


async def test_a_chart_goes_as_a_photo_with_its_caption(bot_api, telegram):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2048

    await telegram.send(Outbound("telegram", "1020", "本周工单统计", private=True, image_png=png))

    [sent] = bot_api.sent_to(1020)
    assert sent.photo == png and sent.text == "本周工单统计"


async def test_a_migrated_group_is_reported_and_sends_follow_it(bot_api, sink, telegram):
    bot_api.migrate(OLD_GROUP, BUILDING_3, RESIDENT)
    await bot_api.wait_for(lambda: sink.migrations)
    assert sink.migrations == [("telegram", str(OLD_GROUP.id), str(BUILDING_3.id))]
    assert sink.messages == [], "the service messages are not residents' messages"

    await telegram.send(Outbound("telegram", str(OLD_GROUP.id), "通知"))

    assert bot_api.texts_to(BUILDING_3.id) == ["通知"] and bot_api.texts_to(OLD_GROUP.id) == []


async def test_a_send_to_a_migrated_group_follows_the_error_it_gets(bot_api, sink, telegram):
    bot_api.migrate(OLD_GROUP, BUILDING_3, RESIDENT, announce=False)

    await telegram.send(Outbound("telegram", str(OLD_GROUP.id), "通知"))
    await telegram.send(Outbound("telegram", str(OLD_GROUP.id), "再通知"))

    assert bot_api.texts_to(BUILDING_3.id) == ["通知", "再通知"]
    assert sink.migrations == [("telegram", str(OLD_GROUP.id), str(BUILDING_3.id))]
    assert len(bot_api.calls_of("sendMessage")) == 3, "only the first send hit the old id"


async def test_a_dropped_long_poll_loses_nothing(bot_api, sink, sleeps):
    bot_api.drop_next("getUpdates", 2)
    platform = make_platform(bot_api, sleeps)
    await platform.start(sink)
    try:
        bot_api.post(BUILDING_3, RESIDENT, "一")
        await bot_api.wait_for(lambda: sink.messages)
    finally:
        await platform.stop()
    assert [m.text for m in sink.messages] == ["一"]
    assert sleeps.calls[:2] == [0.5, 1.0]


async def test_a_redelivered_update_is_handled_once(bot_api, sink, telegram):
    bot_api.post(BUILDING_3, RESIDENT, "一")
    await bot_api.wait_for(lambda: sink.messages)
    bot_api.redeliver(1)
    bot_api.post(BUILDING_3, RESIDENT, "二")

    await bot_api.wait_for(lambda: len(sink.messages) == 2)
    await bot_api.wait_acknowledged()
    assert [m.text for m in sink.messages] == ["一", "二"]


async def test_stopped_mid_batch_and_restarted_nothing_is_lost_or_doubled(bot_api, sleeps):
    gate = asyncio.Event()
    first = RecordingSink()

    async def slow(message):  # type: ignore[no-untyped-def]
        first.messages.append(message)
        if message.text == "2":
            await gate.wait()

    first.on_message = slow  # type: ignore[method-assign]
    platform = make_platform(bot_api, sleeps)
    await platform.start(first)
    for i in range(1, 6):
        bot_api.post(BUILDING_3, RESIDENT, str(i))
    await bot_api.wait_for(lambda: len(first.messages) == 2)

    stopping = asyncio.create_task(platform.stop())
    await asyncio.sleep(0)
    for i in range(6, 9):
        bot_api.post(BUILDING_3, RESIDENT, str(i))  # while the bot is going down
    gate.set()
    await asyncio.wait_for(stopping, 5)
    for i in range(9, 11):
        bot_api.post(BUILDING_3, RESIDENT, str(i))  # while the bot is down

    second = RecordingSink()
    restarted = make_platform(bot_api, sleeps)  # a new process: nothing remembered
    await restarted.start(second)
    try:
        await bot_api.wait_for(lambda: len(first.messages) + len(second.messages) >= 10)
        await bot_api.wait_acknowledged()
    finally:
        await restarted.stop()
    got = [m.text for m in first.messages + second.messages]
    assert got == [str(i) for i in range(1, 11)]


async def test_the_same_platform_can_be_stopped_and_started_again(bot_api, sink, telegram):
    bot_api.post(BUILDING_3, RESIDENT, "一")
    await bot_api.wait_for(lambda: sink.messages)
    await telegram.stop()
    bot_api.post(BUILDING_3, RESIDENT, "二")
    await telegram.start(sink)

    await bot_api.wait_for(lambda: len(sink.messages) == 2)
    assert [m.text for m in sink.messages] == ["一", "二"]


async def test_sending_before_start_is_a_delivery_error(bot_api):
    with pytest.raises(DeliveryError):
        await make_platform(bot_api).send(Outbound("telegram", "1", "x"))


def test_the_token_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    assert TelegramPlatform()._token == TOKEN
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN")
    with pytest.raises(ValueError, match="TELEGRAM_BOT_TOKEN"):
        TelegramPlatform()


def test_settings_section_wires_straight_in(settings):
    platform = TelegramPlatform.from_settings(settings.telegram, TOKEN)
    assert platform.api_url == settings.telegram.api_url and platform.webhook is None
    assert platform.poll_timeout == settings.telegram.poll_timeout
    whole = TelegramPlatform.from_settings(settings, TOKEN)  # as bot/serve.py calls it
    assert whole.api_url == platform.api_url
    hooked = TelegramPlatform(TOKEN, webhook={"url": "https://bot.example.org/tg", "secret_token": "s"})
    assert hooked.webhook == WebhookConfig("https://bot.example.org/tg", secret_token="s")


async def test_webhook_mode_without_tornado_says_what_to_install(bot_api, sink):
    try:
        import tornado  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("tornado is installed")
    platform = make_platform(bot_api, webhook=WebhookConfig("https://bot.example.org/tg", port=0))
    with pytest.raises(StartupError, match=r"python-telegram-bot\[webhooks\]"):
        await platform.start(sink)
    await platform.stop()


async def test_a_wrong_token_fails_at_start(bot_api, sink):
    platform = TelegramPlatform("999:WRONG", api_url=bot_api.url, sleep=RecordedSleep())
    with pytest.raises(Exception, match="(?i)token|unauthorized"):
        await platform.start(sink)



async def test_an_update_the_sink_could_not_store_is_not_acknowledged_and_comes_again(
        bot_api, sink, sleeps, telegram):
    calls: list[str] = []

    async def fragile(message):  # type: ignore[no-untyped-def]
        calls.append(message.text)
        if message.text == "坏" and calls.count("坏") < 3:
            assert bot_api.acknowledged_up_to < int(message.extras["update_id"])
            raise NotStored("the database is down")

    sink.on_message = fragile  # type: ignore[method-assign]
    bot_api.post(BUILDING_3, RESIDENT, "坏")
    bot_api.post(BUILDING_3, RESIDENT, "好")

    await bot_api.wait_for(lambda: calls[-1:] == ["好"])
    await bot_api.wait_acknowledged()
    assert calls == ["坏", "坏", "坏", "好"], "in order, the failed one first, none skipped"
    assert sleeps.calls[-2:] == [0.5, 1.0], "a pause before each new offer"


async def test_stop_does_not_hang_on_a_sink_that_never_returns(bot_api, sleeps):
    stuck = RecordingSink()
    entered = asyncio.Event()

    async def never(message):  # type: ignore[no-untyped-def]
        entered.set()
        await asyncio.Event().wait()

    stuck.on_message = never  # type: ignore[method-assign]
    platform = make_platform(bot_api, sleeps, stop_timeout=0.05)
    await platform.start(stuck)
    bot_api.post(BUILDING_3, RESIDENT, "一")
    await asyncio.wait_for(entered.wait(), 5)

    await asyncio.wait_for(platform.stop(), 5)

    assert bot_api.pending_updates == 1, "not handled, so not acknowledged: a restart gets it"


async def test_webhook_mode_hands_what_telegram_posts_to_the_sink_once(bot_api, sink, monkeypatch):
    """PTB's webhook server needs tornado; here its place is taken by a stand-in that
    posts into the Application's update queue exactly as the webhook handler does."""
    from telegram import Update
    from telegram.ext import Updater

    started: dict[str, object] = {}

    async def fake_start_webhook(self, **kwargs):  # type: ignore[no-untyped-def]
        started.update(kwargs)
        return self.update_queue

    monkeypatch.setattr(Updater, "start_webhook", fake_start_webhook)
    hook = WebhookConfig("https://bot.example.org/griddesk/tg", listen="0.0.0.0", port=8443, secret_token="s3")
    platform = make_platform(bot_api, webhook=hook)
    await platform.start(sink)
    try:
        assert started["listen"] == "0.0.0.0" and started["port"] == 8443
        assert started["url_path"] == "griddesk/tg" and started["secret_token"] == "s3"
        assert started["webhook_url"] == hook.url and started["drop_pending_updates"] is False
        bot_api.post(BUILDING_3, RESIDENT, "楼道灯坏了")
        [payload] = bot_api.queued()
        app = platform._app
        assert app is not None
        for _ in range(2):  # Telegram posts it again when our answer was lost
            await app.update_queue.put(Update.de_json(payload, app.bot))
        await bot_api.wait_for(lambda: sink.messages)
        await asyncio.wait_for(app.update_queue.join(), 5)
    finally:
        await platform.stop()
    assert [m.text for m in sink.messages] == ["楼道灯坏了"]
    assert bot_api.calls_of("getUpdates") == [], "no polling in webhook mode"


async def test_start_rides_out_a_server_that_is_not_answering_yet(bot_api, sink, sleeps):
    bot_api.drop_next("getMe", 2)
    platform = make_platform(bot_api, sleeps)

    await platform.start(sink)
    try:
        bot_api.post(BUILDING_3, RESIDENT, "一")
        await bot_api.wait_for(lambda: sink.messages)
    finally:
        await platform.stop()
    assert sleeps.calls[:2] == [0.5, 1.0]
