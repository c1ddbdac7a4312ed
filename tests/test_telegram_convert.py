"""Telegram ⇄ neutral translation on PTB objects built in memory (no server)."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import CallbackQuery, Chat, Document, Message, User

from bot.telegram_convert import (
    callback_data,
    chat_ref,
    inbound_from_message,
    keyboard,
    press_from_query,
)
from handlers.messages import Button, MessageKind
from tests.telegram.fixtures import BUILDING_3, RESIDENT

AT = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def message(**fields) -> Message:  # type: ignore[no-untyped-def]
    fields.setdefault("chat", BUILDING_3)
    fields.setdefault("from_user", RESIDENT)
    return Message(fields.pop("message_id", 10), AT, **fields)


def test_in_a_forum_topic_the_topic_root_is_not_a_reply():
    root = message(message_id=5, text="话题")
    in_topic = message(text="灯坏了", message_thread_id=5, is_topic_message=True, reply_to_message=root)
    real_reply = message(text="收到", message_thread_id=5, is_topic_message=True,
                         reply_to_message=message(message_id=7, text="#0001"))

    assert inbound_from_message(in_topic).reply_to_message_id is None
    assert inbound_from_message(in_topic).extras["thread_id"] == 5
    assert inbound_from_message(real_reply).reply_to_message_id == "7"


def test_an_image_sent_as_a_file_is_an_image():
    doc = Document("BQAD-file", "uniq", file_name="漏水.jpg", mime_type="image/jpeg")
    inbound = inbound_from_message(message(document=doc, caption="3号楼漏水"))
    assert inbound.kind is MessageKind.IMAGE and inbound.text == "3号楼漏水"
    assert inbound.extras["file_id"] == "BQAD-file"


def test_an_anonymous_admin_keeps_the_group_as_sender_chat():
    anonymous = User(1087968824, "Group", is_bot=True, username="GroupAnonymousBot")
    inbound = inbound_from_message(message(from_user=anonymous, sender_chat=BUILDING_3, text="通知"))
    assert inbound.from_bot and inbound.extras["sender_chat_id"] == str(BUILDING_3.id)


def test_channel_posts_and_senderless_messages_are_not_inbound():
    channel = Chat(-1002000000000, Chat.CHANNEL, title="社区公告")
    assert inbound_from_message(message(chat=channel, text="公告")) is None
    assert inbound_from_message(message(from_user=None, text="?")) is None


def test_service_messages_pass_as_other_with_their_kind_named():
    joined = inbound_from_message(message(new_chat_members=(User(5003, "新邻居", False),)))
    assert joined.kind is MessageKind.OTHER and joined.text == "" and joined.extras["service"] == "new_chat_members"


def test_buttons_three_to_a_row_and_long_actions_by_digest():
    long_action = "rate:17:" + "x" * 80
    markup, long_actions = keyboard([Button(str(i), f"a:{i}") for i in range(4)] + [Button("长", long_action)])
    assert [len(row) for row in markup.inline_keyboard] == [3, 2]
    assert long_actions == {callback_data(long_action): long_action}
    assert callback_data("ack:17") == "ack:17" and len(callback_data(long_action)) <= 64
    assert keyboard([]) == (None, {})


def test_a_press_on_an_inline_message_has_no_chat():
    query = CallbackQuery("q1", RESIDENT, "ci", data="rate:1:1", inline_message_id="inl-9")
    press = press_from_query(query, AT)
    assert (press.chat_id, press.message_id, press.action) == ("", "inl-9", "rate:1:1")


def test_chat_ids_numeric_or_by_name():
    assert chat_ref("-1001000000003") == -1001000000003 and chat_ref("1001") == 1001
    assert chat_ref("@griddesk_notices") == "@griddesk_notices"
