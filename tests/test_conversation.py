"""Conversation rules of the core, with a fake store and a keyword stand-in parser
(the real parser has its own tests), against the bundled config."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.categories import Category, EmergencyKind, Urgency
from handlers.desk import Desk
from handlers.messages import MessageKind, Outbound
from handlers.parsing import Location, ParseContext, ParsedRequest
from handlers.tickets import Status
from tests.factories import MONDAY_9AM, button, group_message, private_message
from tests.fakes import InMemoryTicketStore

PHONE = "13812345678"


def keyword_parser(text: str, context: ParseContext | None = None) -> ParsedRequest | None:
    building = context.default_building if context else None
    for digit in "123456789":
        if f"{digit}号楼" in text:
            building = digit
    room = "601" if "601" in text else None
    phone = PHONE if PHONE in text else None
    if "摔倒" in text:
        return ParsedRequest(Category.ASSISTANCE, Urgency.EMERGENCY, Location(building, room=room),
                             phone, EmergencyKind.FALL)
    if "灯" in text:
        return ParsedRequest(Category.POWER_LIGHTING, Urgency.NORMAL, Location(building, room=room), phone)
    if "水管" in text:
        return ParsedRequest(Category.PLUMBING, Urgency.URGENT, Location(building, room=room), phone)
    return None


@pytest.fixture
def desk(settings) -> Desk:  # type: ignore[no-untyped-def]
    return Desk(settings.directory(), parse=keyword_parser)


@pytest.fixture
def store() -> InMemoryTicketStore:
    return InMemoryTicketStore()


def to(outs: list[Outbound], chat_id: str) -> list[Outbound]:
    return [o for o in outs if o.chat_id == chat_id]


def test_request_gets_a_receipt_in_the_group_and_a_private_notification(desk, store):
    outs = desk.handle_message(store, group_message(f"2单元601楼道灯坏了 电话{PHONE}", sender="张阿姨"), MONDAY_9AM)

    [receipt] = to(outs, "jl-3")
    assert "#0001" in receipt.text and "王芳" in receipt.text and "供电照明" in receipt.text
    assert PHONE not in receipt.text and "601" not in receipt.text and "张阿姨" not in receipt.text
    [note] = to(outs, "王芳")
    assert note.private and PHONE in note.text and "601" in note.text and "3号楼" in note.text
    assert [b.label for b in note.buttons] == ["接单", "已解决", "上报"]
    [ticket] = store.tickets.values()
    assert ticket.status is Status.ASSIGNED and ticket.assignee == "wang_fang"


def test_chatter_makes_no_ticket_and_no_reply(desk, store):
    for text in ["早上好", "谢谢网格员", "收到", "", "   ", "\x00\x07", "😀😀", "x" * 10_000]:
        assert desk.handle_message(store, group_message(text), MONDAY_9AM) == []
    assert store.tickets == {}
    assert len(store.inbound_messages) == 8, "every message is still stored"


def test_redelivered_message_makes_one_ticket(desk, store):
    message = group_message("楼道灯坏了", message_id="same")
    assert desk.handle_message(store, message, MONDAY_9AM)
    assert desk.handle_message(store, message, MONDAY_9AM) == []
    assert len(store.tickets) == 1


def test_unconfigured_group_is_ignored(desk, store):
    assert desk.handle_message(store, group_message("楼道灯坏了", chat_id="elsewhere"), MONDAY_9AM) == []
    assert store.tickets == {}


def test_worker_on_leave_routes_to_backup(desk, store):
    # 陈静 (JL-3: buildings 9-12) is on leave; her backup is 李娜.
    outs = desk.handle_message(store, group_message("9号楼楼道灯坏了"), MONDAY_9AM)
    assert to(outs, "李娜") and not to(outs, "陈静")
    assert "李娜" in to(outs, "jl-3")[0].text


def test_unknown_building_goes_to_the_community_duty_worker(desk, store):
    outs = desk.handle_message(store, group_message("水管爆了", chat_id="jl-staff"), MONDAY_9AM)
    assert to(outs, "李娜")


def test_same_problem_again_counts_households_instead_of_a_new_ticket(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了", sender="张阿姨"), MONDAY_9AM)
    outs = desk.handle_message(store, group_message("我们这楼道灯也坏了", sender="李大爷"),
                               MONDAY_9AM + timedelta(hours=1))
    assert len(store.tickets) == 1
    assert "共2户" in to(outs, "jl-3")[0].text
    assert "共2户" in to(outs, "王芳")[0].text
    outs = desk.handle_message(store, group_message("+1", sender="赵叔"), MONDAY_9AM + timedelta(hours=1))
    assert store.tickets[1].households == 3
    # the same person saying it twice is one household
    desk.handle_message(store, group_message("我家也是", sender="赵叔"), MONDAY_9AM + timedelta(hours=1))
    assert store.tickets[1].households == 3


def test_outside_the_window_it_is_a_new_ticket(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了"), MONDAY_9AM)
    desk.handle_message(store, group_message("楼道灯又坏了"), MONDAY_9AM + timedelta(hours=49))
    assert len(store.tickets) == 2


def test_emergency_alerts_worker_grid_leader_and_community_leader_with_hotline(desk, store):
    outs = desk.handle_message(store, group_message("有老人摔倒了起不来"), MONDAY_9AM)
    receipt = to(outs, "jl-3")[0].text
    assert "120" in receipt and "#0001" in receipt
    for person in ("王芳", "张伟", "李红梅"):
        assert to(outs, person), person


def test_worker_acknowledges_by_saying_received_privately(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了"), MONDAY_9AM)
    outs = desk.handle_message(store, private_message("收到", "王芳"), MONDAY_9AM + timedelta(minutes=3))
    assert store.tickets[1].status is Status.ACKNOWLEDGED
    assert "王芳已接单" in to(outs, "jl-3")[0].text


def test_worker_acknowledges_by_replying_to_the_notification(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了"), MONDAY_9AM)
    store.link_message("console", "王芳", "notif-1", 1)  # what the runtime records on send
    desk.handle_message(store, private_message("好的", "王芳", reply_to="notif-1"), MONDAY_9AM)
    assert store.tickets[1].status is Status.ACKNOWLEDGED


def test_worker_acknowledges_by_quoting_the_notification(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了"), MONDAY_9AM)
    desk.handle_message(store, private_message("收到", "王芳", quoted="【新工单 #0001】供电照明"), MONDAY_9AM)
    assert store.tickets[1].status is Status.ACKNOWLEDGED


def test_resolve_tells_the_group_and_asks_the_reporter_to_rate(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了"), MONDAY_9AM)
    outs = desk.handle_message(store, private_message("#1 已解决 换了灯泡", "王芳"), MONDAY_9AM)
    group = to(outs, "jl-3")
    assert "已解决" in group[0].text and "换了灯泡" in group[0].text
    assert [b.label for b in group[1].buttons] == ["满意", "基本满意", "不满意"]
    assert store.tickets[1].status is Status.RESOLVED


def test_rating_satisfied_closes_and_dissatisfied_reopens(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了", sender="张阿姨"), MONDAY_9AM)
    desk.handle_message(store, private_message("/resolve 1", "王芳"), MONDAY_9AM)
    desk.handle_message(store, group_message("不满意", sender="张阿姨"), MONDAY_9AM)
    assert store.tickets[1].status is Status.REOPENED
    desk.handle_message(store, private_message("#1 已解决 又换了一次", "王芳"), MONDAY_9AM)
    outs, notice = desk.handle_button(store, button("rate:1:satisfied", "张阿姨", "jl-3"), MONDAY_9AM)
    assert store.tickets[1].status is Status.CLOSED and store.tickets[1].rating == "satisfied"


def test_someone_else_cannot_rate(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了", sender="张阿姨"), MONDAY_9AM)
    desk.handle_message(store, private_message("#1 已解决", "王芳"), MONDAY_9AM)
    outs, notice = desk.handle_button(store, button("rate:1:dissatisfied", "路人", "jl-3"), MONDAY_9AM)
    assert outs == [] and notice and store.tickets[1].status is Status.RESOLVED


def test_resident_cannot_use_staff_commands_or_buttons(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了"), MONDAY_9AM)
    for text in ("#1 已解决", "#1 收到", "/resolve 1", "#1 转 刘洋"):
        outs = desk.handle_message(store, group_message(text, sender="赵叔"), MONDAY_9AM)
        assert "只有负责" in outs[0].text
    outs, notice = desk.handle_button(store, button("resolve:1", "赵叔", "jl-3"), MONDAY_9AM)
    assert outs == [] and "只有负责" in (notice or "")
    # a worker of another grid is not responsible either
    desk.handle_message(store, private_message("#1 已解决", "赵敏"), MONDAY_9AM)
    assert store.tickets[1].status is Status.ASSIGNED
    assert [e.action for e in store.event_log] == ["created", "assigned"]


def test_staff_button_acknowledges(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了"), MONDAY_9AM)
    outs, notice = desk.handle_button(store, button("ack:1", "王芳"), MONDAY_9AM)
    assert notice == "已接单" and store.tickets[1].status is Status.ACKNOWLEDGED


def test_transfer_and_escalate(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了"), MONDAY_9AM)
    outs = desk.handle_message(store, private_message("#1 转 刘洋", "王芳"), MONDAY_9AM)
    assert store.tickets[1].assignee == "liu_yang" and to(outs, "刘洋")
    outs = desk.handle_message(store, private_message("#1 上报 需要物业配合", "刘洋"), MONDAY_9AM)
    assert store.tickets[1].status is Status.ESCALATED and store.tickets[1].escalation_level == 1
    assert "需要物业配合" in to(outs, "李红梅")[0].text
    outs = desk.handle_message(store, private_message("#1 转 不存在的人", "刘洋"), MONDAY_9AM)
    assert "没有找到工作人员" in outs[0].text


def test_staff_merge_a_repeated_report_into_the_first(desk, store):
    desk.handle_message(store, group_message("3号楼楼道灯坏了", chat_id="jl-3", sender="张阿姨"), MONDAY_9AM)
    desk.handle_message(store, group_message("3号楼水管爆了", chat_id="jl-3", sender="李大爷"), MONDAY_9AM)
    outs = desk.handle_message(store, private_message("#2 合并 #1", "王芳"), MONDAY_9AM)
    assert store.tickets[2].status is Status.MERGED and store.tickets[1].households == 2
    assert "已合并" in to(outs, "jl-3")[0].text and "共2户" in to(outs, "王芳")[0].text
    outs = desk.handle_message(store, private_message("#1 合并 #9", "王芳"), MONDAY_9AM)
    assert "合并" in outs[0].text and store.tickets[1].status is Status.ASSIGNED


def test_progress_in_the_group_shows_no_private_details(desk, store):
    desk.handle_message(store, group_message(f"601楼道灯坏了{PHONE}"), MONDAY_9AM)
    outs = desk.handle_message(store, group_message("#1 进度", sender="邻居"), MONDAY_9AM)
    assert "已派单" in outs[0].text and "王芳" in outs[0].text
    assert PHONE not in outs[0].text and "601" not in outs[0].text


def test_progress_of_another_groups_ticket_is_refused(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了", chat_id="jl-6"), MONDAY_9AM)
    outs = desk.handle_message(store, group_message("#1 进度", sender="外人"), MONDAY_9AM)
    assert "只有负责" in outs[0].text


def test_only_the_reporter_withdraws(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了", sender="张阿姨"), MONDAY_9AM)
    desk.handle_message(store, group_message("#1 撤销", sender="赵叔"), MONDAY_9AM)
    assert store.tickets[1].status is Status.ASSIGNED
    outs = desk.handle_message(store, group_message("#1 撤销", sender="张阿姨"), MONDAY_9AM)
    assert store.tickets[1].status is Status.WITHDRAWN and to(outs, "王芳")


def test_unknown_code_gets_a_clear_answer(desk, store):
    outs = desk.handle_message(store, group_message("#42 进度"), MONDAY_9AM)
    assert "没有找到工单 #0042" in outs[0].text


def test_image_after_a_request_is_recorded_on_the_ticket(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了"), MONDAY_9AM)
    desk.handle_message(store, group_message("", kind=MessageKind.IMAGE), MONDAY_9AM + timedelta(minutes=1))
    assert store.event_log[-1].action == "attachment"


def test_editing_the_request_updates_the_ticket_text(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了", message_id="src"), MONDAY_9AM)
    desk.handle_message(store, group_message("2单元楼道灯坏了", message_id="src", edited=True), MONDAY_9AM)
    assert store.tickets[1].text == "2单元楼道灯坏了"
    assert store.event_log[-1].action == "edited" and store.event_log[-1].note == "楼道灯坏了"


def test_each_later_edit_counts_once(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了", message_id="src"), MONDAY_9AM)
    for minute, text in ((1, "2单元楼道灯坏了"), (2, "2单元3楼楼道灯坏了"), (2, "2单元3楼楼道灯坏了")):
        edit = group_message(text, message_id="src", edited=True)
        edit.extras["edited_at"] = MONDAY_9AM + timedelta(minutes=minute)
        desk.handle_message(store, edit, MONDAY_9AM + timedelta(minutes=minute))
    assert store.tickets[1].text == "2单元3楼楼道灯坏了"
    assert [e.action for e in store.event_log].count("edited") == 2, "a redelivered edit is not a third"


def test_every_change_is_audited_with_who_and_when(desk, store):
    desk.handle_message(store, group_message("楼道灯坏了"), MONDAY_9AM)
    desk.handle_message(store, private_message("#1 收到", "王芳"), MONDAY_9AM + timedelta(minutes=1))
    desk.handle_message(store, private_message("#1 备注 明天买灯泡", "王芳"), MONDAY_9AM + timedelta(minutes=2))
    desk.handle_message(store, private_message("#1 已解决", "王芳"), MONDAY_9AM + timedelta(minutes=3))
    log = [(e.action, e.actor) for e in store.event_log]
    assert log == [("created", "resident:console:张阿姨"), ("assigned", "system"),
                   ("acknowledged", "wang_fang"), ("note", "wang_fang"), ("resolved", "wang_fang")]
    assert store.event_log[-1].at == MONDAY_9AM + timedelta(minutes=3)


def test_bot_messages_are_ignored(desk, store):
    from dataclasses import replace

    message = replace(group_message("楼道灯坏了"), from_bot=True)
    assert desk.handle_message(store, message, MONDAY_9AM) == []
