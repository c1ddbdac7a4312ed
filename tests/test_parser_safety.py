"""Emergencies the safety net must not let relief words, distance or people getting
out talk it out of — and the look-alikes that must stay quiet."""

from __future__ import annotations

import pytest

from handlers.categories import Urgency
from handlers.parsing import parse_message


@pytest.mark.parametrize("text", [
    "我妈在家摔倒了爬不起来 我人在外地赶不回去 谁能去看一眼 5-2-301",   # the family is away
    "楼道吊顶掉下来一块 幸好没砸着人 可上面还有一片悬着呢 7号楼",          # relief, then the danger
    "厨房液化气罐一直嘶嘶漏 我们已经跑出来了 9号楼",                      # people out, hazard on
    "车库里的水越来越高了 好几辆车还停在下面",
    "六楼阳台的护栏松了 风一吹就要掉下去 底下是小孩玩的地方",
    "刚看见有人从窗户翻进了一楼 人好像还在里面",
    "隔壁独居的李大爷电话一直没人接 平常他都接的",
    "救护车在北门开不进来 被车堵了",
])
def test_danger_stays_an_emergency(text):
    parsed = parse_message(text)
    assert parsed is not None and parsed.urgency is Urgency.EMERGENCY, text


@pytest.mark.parametrize("text", [
    "烟雾报警器没电了就会滴滴响 换个电池就好",
    "昨天电梯困人了 后来怎么样了 还好没事",
    "煤气泄漏演练明天上午九点 请大家配合",
])
def test_look_alikes_stay_calm(text):
    parsed = parse_message(text)
    assert parsed is None or parsed.urgency is not Urgency.EMERGENCY, text


@pytest.mark.parametrize(("text", "category"), [
    ("屋里一点水都没有了 一上午了 6栋1门", "plumbing"),
    ("我们家整个没电了 一晚上了 3号楼", "power_lighting"),
])
def test_a_supply_gone_at_home_is_an_urgent_request_unasked(text, category):
    parsed = parse_message(text)
    assert parsed is not None and parsed.category.value == category
    assert parsed.urgency is Urgency.URGENT
