"""WeChat payload → Inbound, quotes, mentions and button hints: pure, no gateway."""

from __future__ import annotations

import builtins
import sys
from datetime import UTC, datetime

import pytest

from bot.wechat_convert import (
    Payload,
    inbound_from_payload,
    message_kind,
    sent_at,
    split_quote,
    strip_self_mention,
    with_button_hints,
)
from handlers.messages import Button, MessageKind

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
BOT = "wxid_bot"
RULE = "- - - - - - - - - - - - - - -"


def payload(text: str = "楼道灯坏了", **fields: object) -> Payload:
    base: dict[str, object] = {
        "message_id": "m1", "talker_id": "wxid_zhang", "text": text,
        "type_name": "MESSAGE_TYPE_TEXT", "timestamp": 1_772_413_200_000,
        "room_id": "1@chatroom", "room_topic": "吉利花园3号楼业主群", "talker_name": "张阿姨",
    }
    base.update(fields)
    return Payload(**base)  # type: ignore[arg-type]


def test_a_room_text_becomes_an_inbound():
    message = inbound_from_payload(payload(), BOT, "网格前台", NOW)

    assert message is not None
    assert (message.platform, message.chat_id, message.message_id) == ("wechat", "1@chatroom", "m1")
    assert (message.sender_id, message.sender_name, message.text) == ("wxid_zhang", "张阿姨", "楼道灯坏了")
    assert not message.is_private and message.kind is MessageKind.TEXT
    assert message.sent_at == datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
    assert message.extras == {"room_topic": "吉利花园3号楼业主群"}


def test_a_private_message_is_chatted_with_its_talker():
    message = inbound_from_payload(payload(room_id=None, room_topic=None), BOT, "网格前台", NOW)

    assert message is not None and message.is_private and message.chat_id == "wxid_zhang"
    assert "room_topic" not in message.extras


def test_the_bots_own_message_and_a_talkerless_one_are_dropped():
    assert inbound_from_payload(payload(talker_id=BOT), BOT, "网格前台", NOW) is None
    assert inbound_from_payload(payload(talker_id=""), BOT, "网格前台", NOW) is None


@pytest.mark.parametrize(("type_name", "kind"), [
    ("MESSAGE_TYPE_IMAGE", MessageKind.IMAGE),
    ("MESSAGE_TYPE_EMOTICON", MessageKind.IMAGE),
    ("MESSAGE_TYPE_AUDIO", MessageKind.VOICE),
    ("MESSAGE_TYPE_VIDEO", MessageKind.OTHER),
    ("MESSAGE_TYPE_RED_ENVELOPE", MessageKind.OTHER),
    (None, MessageKind.OTHER),
])
def test_kinds(type_name, kind):
    assert message_kind(type_name) is kind


def test_an_image_carries_no_text_and_other_kinds_say_what_they_were():
    image = inbound_from_payload(payload("<img .../>", type_name="MESSAGE_TYPE_IMAGE", filename="a.jpg"),
                                 BOT, None, NOW)
    red = inbound_from_payload(payload("", type_name="MESSAGE_TYPE_RED_ENVELOPE"), BOT, None, NOW)

    assert image is not None and image.kind is MessageKind.IMAGE and image.text == ""
    assert image.extras["filename"] == "a.jpg"
    assert red is not None and red.extras["wechat_type"] == "MESSAGE_TYPE_RED_ENVELOPE"


@pytest.mark.parametrize("text", [
    f"「王芳：#0003 楼道灯坏了」\n{RULE}\n收到",
    f"「王芳:#0003 楼道灯坏了」\r\n{RULE}\r\n收到",
    "「王芳：#0003 楼道灯坏了」\n- - - - - - - - -\n收到",
])
def test_a_quote_is_split(text):
    quote = split_quote(text)

    assert quote is not None
    assert (quote.name, quote.quoted, quote.reply) == ("王芳", "#0003 楼道灯坏了", "收到")


def test_a_quote_of_several_lines_and_brackets_keeps_them():
    quote = split_quote(f"「李大爷：第一行\n「第二行」」\n{RULE}\n好的 已解决")

    assert quote is not None and quote.quoted == "第一行\n「第二行」" and quote.reply == "好的 已解决"


@pytest.mark.parametrize("text", ["「通知」今晚停水", "收到", f"「没有冒号」\n{RULE}\n收到", "「王芳：x」收到"])
def test_brackets_that_are_not_a_quote_are_left_alone(text):
    assert split_quote(text) is None


def test_the_inbound_of_a_quote():
    message = inbound_from_payload(payload(f"「网格前台：#0003 已登记」\n{RULE}\n@网格前台\u2005收到"),
                                   BOT, "网格前台", NOW)

    assert message is not None
    assert message.text == "收到" and message.quoted_text == "#0003 已登记"
    assert message.extras["quoted_name"] == "网格前台"


def test_mentions_of_the_bot_are_stripped_and_others_kept():
    assert strip_self_mention("@网格前台\u2005电梯坏了", "网格前台") == "电梯坏了"
    assert strip_self_mention("电梯坏了 @网格前台", "网格前台") == "电梯坏了"
    assert strip_self_mention("@王芳\u2005电梯坏了", "网格前台") == "@王芳\u2005电梯坏了"
    assert strip_self_mention("@网格前台x 不是我", "网格前台") == "@网格前台x 不是我"
    message = inbound_from_payload(payload("@网格前台\u2005电梯坏了", mention_ids=(BOT,)), BOT, "网格前台", NOW)
    assert message is not None and message.text == "电梯坏了" and message.extras["mentions_bot"] is True


def test_sent_at_takes_seconds_or_milliseconds_and_survives_nonsense():
    assert sent_at(1_772_413_200, NOW) == sent_at(1_772_413_200_000, NOW) == NOW
    assert sent_at(None, NOW) == sent_at(0, NOW) == sent_at(-5, NOW) == NOW
    assert sent_at(10**30, NOW) == NOW


def test_button_hints():
    buttons = (Button("接单", "ack:1"), Button("已解决", "resolve:1"))
    assert with_button_hints("新工单 #0001", buttons) == "新工单 #0001\n可回复:接单 / 已解决"
    assert with_button_hints("回复“收到”接单", buttons) == "回复“收到”接单"
    assert with_button_hints("可点 接单 或 已解决", buttons) == "可点 接单 或 已解决"
    assert with_button_hints("没有按钮", ()) == "没有按钮"


def test_a_python_without_the_client_gets_an_error_naming_its_version(monkeypatch):
    from bot import wechat

    real_import = builtins.__import__

    def fail(name, *args, **kwargs):  # type: ignore[no-untyped-def]
        if name.startswith("wechaty_puppet"):
            raise ModuleNotFoundError("No module named 'telnetlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fail)
    with pytest.raises(wechat.WeChatUnavailable) as caught:
        wechat.WeChatPlatform("127.0.0.1:1", "insecure_x")

    version = ".".join(map(str, sys.version_info[:3]))
    assert f"Python {version}" in str(caught.value) and "telnetlib" in str(caught.value)


def test_endpoint_and_token_are_required(monkeypatch):
    from bot.wechat import WeChatPlatform

    monkeypatch.delenv("WECHATY_PUPPET_SERVICE_ENDPOINT", raising=False)
    monkeypatch.delenv("WECHATY_PUPPET_SERVICE_TOKEN", raising=False)
    with pytest.raises(ValueError, match="WECHATY_PUPPET_SERVICE_ENDPOINT"):
        WeChatPlatform(token="insecure_x")
    with pytest.raises(ValueError, match="WECHATY_PUPPET_SERVICE_TOKEN"):
        WeChatPlatform("127.0.0.1:1")
    with pytest.raises(ValueError, match="host:port"):
        WeChatPlatform("localhost", "insecure_x")


@pytest.mark.skipif(sys.version_info >= (3, 13), reason="the Wechaty client needs telnetlib (< 3.13)")
def test_from_settings_takes_the_wechat_rooms_by_id_and_topic(settings, monkeypatch):
    from bot.wechat import WeChatPlatform

    monkeypatch.setenv("WECHATY_PUPPET_SERVICE_ENDPOINT", "127.0.0.1:1")
    monkeypatch.setenv("WECHATY_PUPPET_SERVICE_TOKEN", "insecure_x")
    platform = WeChatPlatform.from_settings(settings)

    assert platform.endpoint == "127.0.0.1:1" and platform.name == "wechat"
    assert "吉利花园3号楼业主群" in platform.room_topics and platform.room_ids == set()
