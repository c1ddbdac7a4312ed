"""Properties over random conversations in several groups (hypothesis): every
request gets exactly one ticket, one household on a matching ticket, or one card;
no later message lowers an emergency; no phone number or room reaches a group or a
digest. Meanings are scripted (tests/readers.py) so the properties test the
conversation, not the model."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given
from hypothesis import settings as run_with
from hypothesis import strategies as st

from handlers.categories import Urgency
from handlers.desk import Desk
from handlers.directory import Role
from tests.factories import MONDAY_9AM, group_message
from tests.fakes import InMemoryTicketStore
from tests.readers import EVERYDAY

CHATS = {"jl-3": "3", "jl-6": "6", "wh-grid-2": None}
PEOPLE = ["张阿姨", "李大爷", "赵叔", "王大妈", "陈姐"]
ROOMS = ["1702", "2503", "1101"]
PHONES = ["13812345678", "13998765432"]
PROBLEMS = ["楼道灯不亮", "配电箱冒火花了", "楼道灯冒烟了", "水管爆了", "下水道堵了", "又停水了", "有老人摔倒了",
            "健身器材坏了", "那个东西又那样了", "煤气味很重"]
CHATTER = ["早上好", "谢谢网格员", "收到", "+1", "我家也是", "满意", "哈哈", "[红包]"]

message = st.tuples(
    st.sampled_from(sorted(CHATS)),
    st.sampled_from(PEOPLE),
    st.one_of(
        st.tuples(st.sampled_from(PROBLEMS), st.sampled_from(["", "2单元", "5单元"]),
                  st.sampled_from([""] + ROOMS), st.sampled_from([""] + PHONES),
                  st.sampled_from(["", "3号楼", "6号楼", "7号楼"])),
        st.sampled_from(CHATTER),
    ),
    st.integers(min_value=0, max_value=90),
)


def text_of(body: object) -> str:
    if isinstance(body, str):
        return body
    problem, unit, room, phone, building = body  # type: ignore[misc]
    where = f"{building}{unit}{room + '室' if room else ''}"
    return f"{where}{problem} {'电话' + phone if phone else ''}".strip()


@run_with(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(message, min_size=1, max_size=25))
def test_every_request_is_answered_once_and_nothing_is_lowered_or_leaked(settings, conversation):  # type: ignore[no-untyped-def]
    directory = settings.directory()
    desk = Desk(directory, read=EVERYDAY)
    store = InMemoryTicketStore()
    now = MONDAY_9AM
    highest: dict[int, Urgency] = {}
    rank = {Urgency.NORMAL: 0, Urgency.URGENT: 1, Urgency.EMERGENCY: 2}
    for chat, who, body, minutes in conversation:
        now += timedelta(minutes=minutes)
        text = text_of(body)
        reading = desk._read_in_chat(text, "console", chat)
        before_tickets = len(store.tickets)
        before_households = sum(t.households for t in store.tickets.values())
        before_reporters = sum(len(store.reporters(i)) for i in store.tickets)
        before_cards = len(store.cards)
        outs = desk.handle_message(store, group_message(text, chat_id=chat, sender=who, at=now), now)

        if reading.worth_a_ticket and text not in CHATTER:
            new = len(store.tickets) - before_tickets
            joined = sum(len(store.reporters(i)) for i in store.tickets) - before_reporters
            same_person_again = new == 0 and joined == 0 and any(
                r.user_id == who for i in store.tickets for r in store.reporters(i))
            assert new == 1 or joined == 1 or same_person_again, (text, new, joined)
            assert new <= 1
            assert sum(t.households for t in store.tickets.values()) >= before_households
        elif reading.worth_a_card:
            assert len(store.cards) == before_cards + 1, text
        for ticket in store.tickets.values():
            assert rank[ticket.urgency] >= rank[highest.get(ticket.id or 0, Urgency.NORMAL)], "lowered"
            highest[ticket.id or 0] = max(ticket.urgency, highest.get(ticket.id or 0, Urgency.NORMAL),
                                          key=rank.__getitem__)
        for out in outs:
            if not out.private:
                assert not any(p in out.text for p in PHONES), out.text
                assert not any(r in out.text for r in ROOMS), out.text
    for leader in directory.staff.values():
        if leader.role is not Role.GRID_WORKER:
            for out in desk.digest_for(store, leader, now + timedelta(days=1), weekly=False):
                assert not any(p in out.text for p in PHONES + ROOMS + PEOPLE), out.text


def test_the_property_test_sees_requests_cards_and_chatter(settings):  # type: ignore[no-untyped-def]
    """The generator covers what the property is about (not a test of the bot)."""
    desk = Desk(settings.directory(), read=EVERYDAY)
    readings = [desk._read_in_chat(text_of((p, "", "", "", "3号楼")), "console", "jl-3") for p in PROBLEMS]
    assert any(r.worth_a_ticket for r in readings) and any(r.worth_a_card for r in readings)
    assert any(r.urgency is Urgency.EMERGENCY for r in readings)
