# ruff: noqa: F811  (pytest fixtures are imported by name and then requested as arguments)
"""WeChatPlatform against the official Wechaty puppet-service gateway (Node, mock
puppet) on loopback: what residents say arrives as ``Inbound``; what the bot sends
reaches the gateway; the connection survives the gateway going away."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta

import pytest

from bot.platform import DeliveryError
from bot.wechat import load_client
from bot.wechat_convert import IMAGE_FALLBACK
from handlers.messages import Button, MessageKind, Outbound
from tests.wechat.fixtures import (  # noqa: F401  (pytest fixtures)
    RecordingSink,
    anyio_backend,
    gateway,
    make_platform,
    receipt,
    sink,
    wechat,
)
from tests.wechat.gateway import (
    BOT,
    BOT_NAME,
    BUILDING_3,
    BUILDING_3_TOPIC,
    DANCE,
    LI,
    TOKEN,
    WANG_FANG,
    WH_6,
    ZHANG,
    Gateway,
)

pytestmark = pytest.mark.anyio


async def test_a_resident_in_a_room_arrives_as_an_inbound(gateway, wechat, sink):
    before = datetime.now(UTC) - timedelta(seconds=5)
    message_id = await gateway.say(ZHANG, "3号楼2单元楼道灯坏了", room=BUILDING_3)

    message = await sink.next_message(0)

    assert message.platform == "wechat"
    assert message.chat_id == BUILDING_3 and message.message_id == message_id
    assert message.sender_id == ZHANG and message.sender_name == "张阿姨"
    assert message.text == "3号楼2单元楼道灯坏了" and message.kind is MessageKind.TEXT
    assert not message.is_private and not message.from_bot and message.quoted_text is None
    assert message.extras["room_topic"] == BUILDING_3_TOPIC
    assert before <= message.sent_at <= datetime.now(UTC) + timedelta(seconds=5)


async def test_a_private_message_uses_the_talker_as_the_chat(gateway, wechat, sink):
    await gateway.say(WANG_FANG, "#1 收到")

    message = await sink.next_message(0)

    assert message.is_private and message.chat_id == WANG_FANG and message.sender_id == WANG_FANG
    assert message.sender_name == "王芳" and message.text == "#1 收到"
    assert "room_topic" not in message.extras


async def test_send_reaches_the_room_and_a_contact(gateway, wechat):
    await wechat.send(Outbound("wechat", BUILDING_3, "已收到,登记为 #0001"))
    await wechat.send(Outbound("wechat", WANG_FANG, "新工单 #0001", private=True))

    [to_room] = await gateway.wait_sent(BUILDING_3)
    [to_worker] = await gateway.wait_sent(WANG_FANG)

    assert to_room.text == "已收到,登记为 #0001" and to_room.room == BUILDING_3
    assert to_worker.text == "新工单 #0001" and to_worker.to == WANG_FANG and to_worker.room is None


async def test_the_bots_own_messages_do_not_come_back(gateway, wechat, sink):
    sink.reply = receipt
    await gateway.say(ZHANG, "楼道灯坏了", room=BUILDING_3)
    await gateway.wait_sent(BUILDING_3)  # the gateway echoes this as a message said by the bot
    await gateway.say(LI, "马上来", room=BUILDING_3)  # a marker handled after the echo

    await gateway.wait_sent(BUILDING_3, 2)

    assert [m.sender_id for m in sink.messages] == [ZHANG, LI]
    assert all(m.sender_id != BOT for m in sink.messages)
    assert gateway.texts_to(BUILDING_3) == ["已收到:楼道灯坏了", "已收到:马上来"]


async def test_an_image_after_a_text_arrives_in_order_as_an_image(gateway, wechat, sink):
    await gateway.say(ZHANG, "楼道漏水了", room=BUILDING_3)
    photo_id = await gateway.file(ZHANG, "leak.jpg", room=BUILDING_3)
    await gateway.file(ZHANG, "voice.sil", room=BUILDING_3)

    await sink.wait_for(lambda: len(sink.messages) >= 3)
    text, photo, voice = sink.messages

    assert text.kind is MessageKind.TEXT
    assert photo.kind is MessageKind.IMAGE and photo.message_id == photo_id and photo.text == ""
    assert photo.chat_id == BUILDING_3 and photo.sender_id == ZHANG
    assert voice.kind is MessageKind.VOICE


async def test_a_quote_is_split_into_the_quoted_text_and_the_reply(gateway, wechat, sink):
    card = await gateway.say(LI, "#0001 楼道灯坏了,请处理", room=BUILDING_3)
    await gateway.quote(WANG_FANG, card, "收到", room=BUILDING_3)

    quote = await sink.next_message(1)

    assert quote.text == "收到"
    assert quote.quoted_text == "#0001 楼道灯坏了,请处理"
    assert quote.extras["quoted_name"] == "李大爷"


async def test_a_mention_of_the_bot_is_stripped(gateway, wechat, sink):
    await gateway.say(ZHANG, f"@{BOT_NAME}\u2005电梯又坏了", room=BUILDING_3, mentions=(BOT,))

    message = await sink.next_message(0)

    assert message.text == "电梯又坏了" and message.extras["mentions_bot"] is True


async def test_buttons_become_a_hint_only_when_the_text_does_not_say_what_to_reply(gateway, wechat):
    buttons = (Button("满意", "rate:1:1"), Button("不满意", "rate:1:3"))
    await wechat.send(Outbound("wechat", BUILDING_3, "问题已处理", buttons=buttons))
    await wechat.send(Outbound("wechat", BUILDING_3, "请评价:回复 1 满意,3 不满意", buttons=buttons))

    first, second = await gateway.wait_sent(BUILDING_3, 2)

    assert first.text == "问题已处理\n可回复:满意 / 不满意"
    assert second.text == "请评价:回复 1 满意,3 不满意"


async def test_a_chart_goes_as_an_image_after_its_text(gateway, wechat):
    png = bytes.fromhex("89504e470d0a1a0a")  # the gateway only looks at the file name
    await wechat.send(Outbound("wechat", WANG_FANG, "今日日报", private=True, image_png=png))

    text, image = await gateway.wait_sent(WANG_FANG, 2)

    assert text.text == "今日日报"
    assert image.type == "Image" and image.name == "chart.png"


async def test_rooms_are_found_by_exact_topic(gateway, wechat):
    found = await wechat.resolve_room_topics([BUILDING_3_TOPIC, "文化里6号楼邻居群", "没有这个群"])

    assert found == {BUILDING_3_TOPIC: BUILDING_3, "文化里6号楼邻居群": WH_6}


async def test_a_room_configured_only_by_topic_can_be_written_to(gateway, wechat):
    await wechat.resolve_room_topics([BUILDING_3_TOPIC])
    await wechat.send(Outbound("wechat", f"topic:{BUILDING_3_TOPIC}", "【上报 #0001】"))
    [to_room] = await gateway.wait_sent(BUILDING_3)
    assert to_room.text == "【上报 #0001】"
    with pytest.raises(DeliveryError):
        await wechat.send(Outbound("wechat", "topic:没有这个群", "x"))


async def test_only_configured_rooms_are_passed_on(gateway):
    sink = RecordingSink()
    platform = make_platform(gateway, room_topics=[BUILDING_3_TOPIC], room_ids=[WH_6])
    await platform.start(sink)
    try:
        await platform.wait_connected(10)
        await sink.wait_for(lambda: platform.rooms_by_topic)
        await gateway.say(ZHANG, "跳舞的音响太吵", room=DANCE)
        await gateway.say(LI, "6号楼门口堆了垃圾", room=WH_6)
        await gateway.say(ZHANG, "3号楼电梯坏了", room=BUILDING_3)
        await gateway.say(WANG_FANG, "收到")

        await sink.wait_for(lambda: len(sink.messages) >= 3)
    finally:
        await platform.stop()

    assert [m.chat_id for m in sink.messages] == [WH_6, BUILDING_3, WANG_FANG]
    assert platform.rooms_by_topic == {BUILDING_3_TOPIC: BUILDING_3}


async def test_the_platform_reconnects_after_the_gateway_is_killed_and_restarted(gateway, wechat, sink):
    sink.reply = receipt
    await gateway.say(ZHANG, "第一条", room=BUILDING_3)
    await gateway.wait_sent(BUILDING_3, 1)
    connections = wechat.connections

    await gateway.kill()
    await sink.wait_for(lambda: not wechat.connected)
    with pytest.raises(DeliveryError):
        await wechat.send(Outbound("wechat", BUILDING_3, "没人听得见"))
    await gateway.start()
    await sink.wait_for(lambda: wechat.connected and wechat.connections > connections)
    await gateway.say(ZHANG, "第二条", room=BUILDING_3)

    await gateway.wait_sent(BUILDING_3, 2)
    assert [m.text for m in sink.messages] == ["第一条", "第二条"]
    assert gateway.texts_to(BUILDING_3)[-1] == "已收到:第二条"


async def test_send_while_the_gateway_is_down_raises_delivery_error(gateway: Gateway):
    await gateway.kill()
    platform = make_platform(gateway, start_timeout=0.2)
    await platform.start(RecordingSink())
    try:
        assert not platform.connected
        with pytest.raises(DeliveryError):
            await platform.send(Outbound("wechat", BUILDING_3, "喂"))
        await gateway.start()
        await platform.wait_connected(10)
        await platform.send(Outbound("wechat", BUILDING_3, "又能发了"))
        await gateway.wait_sent(BUILDING_3)
    finally:
        await platform.stop()


async def test_a_wrong_token_is_not_a_connection(gateway):
    platform = make_platform(gateway, token="insecure_wrong", start_timeout=0.5)
    await platform.start(RecordingSink())
    try:
        assert not platform.connected
        with pytest.raises(DeliveryError):
            await platform.send(Outbound("wechat", BUILDING_3, "喂"))
    finally:
        await platform.stop()


async def test_strange_messages_do_not_stop_the_platform(gateway, wechat, sink):
    await gateway.file(ZHANG, "clip.mp4", room=BUILDING_3)
    await gateway.file(ZHANG, "blob.bin", room=BUILDING_3)
    await gateway.call("add_contact", contact="wxid_stranger", name="")
    await gateway.call("add_room", room="20005555@chatroom", topic="", members=["wxid_stranger"])
    await gateway.say("wxid_stranger", "", room="20005555@chatroom")
    await gateway.say(ZHANG, "还在吗", room=BUILDING_3)

    await sink.wait_for(lambda: any(m.text == "还在吗" for m in sink.messages))

    kinds = [m.kind for m in sink.messages if m.chat_id == BUILDING_3]
    assert kinds == [MessageKind.OTHER, MessageKind.OTHER, MessageKind.TEXT]
    assert wechat.connected


async def test_an_error_from_the_gateway_does_not_stop_the_platform(gateway, wechat, sink, caplog):
    connections = wechat.connections
    await gateway.call("error", data="puppet hiccup")
    await gateway.say(ZHANG, "还在吗", room=BUILDING_3)

    assert (await sink.next_message(0)).text == "还在吗"
    assert wechat.connections == connections, "the event stream was not dropped"
    assert "puppet hiccup" in caplog.text


async def test_a_gateway_that_goes_silent_is_noticed_and_rejoined(gateway, sink):
    platform = make_platform(gateway, keepalive=0.2, request_timeout=0.5)
    await platform.start(sink)
    try:
        connections = platform.connections
        gateway.pause()
        try:
            await sink.wait_for(lambda: not platform.connected)
            with pytest.raises(DeliveryError):
                await platform.send(Outbound("wechat", BUILDING_3, "喂"))
        finally:
            gateway.resume()
        await sink.wait_for(lambda: platform.connected and platform.connections > connections)
        await gateway.say(ZHANG, "又好了", room=BUILDING_3)
        assert (await sink.next_message(0)).text == "又好了"
    finally:
        await platform.stop()


async def test_while_the_account_is_logged_out_sends_fail_and_resume_after_login(gateway, wechat, sink):
    await gateway.call("logout")
    await sink.wait_for(lambda: not wechat.connected)
    with pytest.raises(DeliveryError):
        await wechat.send(Outbound("wechat", BUILDING_3, "喂"))

    await gateway.call("login")
    await sink.wait_for(lambda: wechat.connected)
    await wechat.send(Outbound("wechat", BUILDING_3, "又能发了"))

    assert (await gateway.wait_sent(BUILDING_3))[0].text == "又能发了"


async def test_stop_hands_the_sink_what_was_already_read(gateway):
    release = asyncio.Event()

    class SlowSink(RecordingSink):
        async def on_message(self, message):  # type: ignore[no-untyped-def]
            await super().on_message(message)
            await release.wait()

    slow = SlowSink()
    platform = make_platform(gateway)
    await platform.start(slow)
    for text in ["一", "二", "三"]:
        await gateway.say(ZHANG, text, room=BUILDING_3)
    await slow.wait_for(lambda: slow.messages and platform._pending.qsize() == 2)

    stopping = asyncio.create_task(platform.stop())
    await slow.wait_for(lambda: platform._stopping)
    release.set()
    await stopping

    assert [m.text for m in slow.messages] == ["一", "二", "三"]


async def test_a_gateway_that_cannot_send_files_gets_the_text_and_a_note(gateway, wechat):
    await gateway.call("refuse_files")

    await wechat.send(Outbound("wechat", WANG_FANG, "今日日报", private=True, image_png=b"\x89PNG"))

    text, note = await gateway.wait_sent(WANG_FANG, 2)
    assert text.text == "今日日报" and note.text == IMAGE_FALLBACK


async def test_a_send_the_gateway_refuses_is_a_delivery_error(gateway, wechat):
    with pytest.raises(DeliveryError, match="nobody@chatroom"):
        await wechat.send(Outbound("wechat", "nobody@chatroom", "喂"))
    assert wechat.connected


async def test_connecting_and_reconnecting_leave_the_wechat_account_logged_in(gateway, sink):
    before = await gateway.call("status")
    for _ in range(2):
        platform = make_platform(gateway)
        await platform.start(sink)
        assert platform.connected
        await platform.stop()

    after = await gateway.call("status")
    assert after["logged_in"] and after["logouts"] == before["logouts"] == 0


async def test_a_stream_someone_else_holds_is_taken_over(gateway, sink, caplog):
    service, options = load_client()
    holder = service(options(end_point=gateway.endpoint, token=TOKEN))
    opened: list[object] = []
    holder.on("heartbeat", opened.append)  # the gateway's greeting on a new event stream
    holder._init_puppet()
    holding = asyncio.create_task(holder._listen_for_event())
    platform = make_platform(gateway)
    try:
        await sink.wait_for(lambda: opened)
        await platform.start(sink)

        assert platform.connected and "taking it over" in caplog.text
        await gateway.say(ZHANG, "接管了吗", room=BUILDING_3)
        assert (await sink.next_message(0)).text == "接管了吗"
    finally:
        await platform.stop()
        holding.cancel()
        with contextlib.suppress(BaseException):
            await holding
        holder.channel.close()
