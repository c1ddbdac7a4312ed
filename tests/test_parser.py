"""Behaviour of the reading that must never change: places and numbers, the
safety cases, the look-alikes that stay quiet, and the messy forms residents type.
Scores live in `griddesk train` (cross-validation, test split) and
bench/parser_report.py (blind sets), not here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from handlers.categories import Category, EmergencyKind, Urgency
from handlers.parsing import Location, ParseContext, ParsedRequest, parse_message

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "data" / "corpus" / "legacy-dev.jsonl"


def parse(text: str, **context: object) -> ParsedRequest | None:
    return parse_message(text, ParseContext(**context))  # type: ignore[arg-type]


def request(text: str, **context: object) -> ParsedRequest:
    parsed = parse(text, **context)
    assert parsed is not None, f"not recognised as a request: {text!r}"
    return parsed


def corpus_texts() -> list[str]:
    with CORPUS.open(encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


# --- numbers and places ---------------------------------------------------------

@pytest.mark.parametrize(("text", "building", "unit", "room"), [
    ("三号楼电梯坏了", "3", None, None),
    ("十六号楼没水了", "16", None, None),
    ("二十三栋楼道灯坏了", "23", None, None),
    ("3号楼二单元六零一水管爆了", "3", "2", "601"),
    ("3-2-601 水管爆了", "3", "2", "601"),
    ("3号楼2单元601暖气不热", "3", "2", "601"),
    ("16#楼电梯坏了", "16", None, None),
    ("16#2单元电梯坏了", "16", "2", None),
    ("7栋2门楼道灯坏了", "7", "2", None),
    ("3号楼2-601水管漏得厉害", "3", "2", "601"),
    ("5楼电梯坏了", "5", None, None),            # alone, N楼 names a building
    ("3号楼5楼楼道灯不亮", "3", None, None),       # after a building it is a floor
    ("5楼2单元垃圾没人收", "5", "2", None),
    ("拾號樓電梯壞了", "10", None, None),
    ("电梯又停了 14-3", "14", "3", None),           # a bare building-unit signature
    ("14-3 电梯又停了", "14", "3", None),
    ("电梯停了3-4天了", None, None, None),            # a range of days is no address
    ("３号楼２单元电梯坏了", "3", "2", None),
])
def test_building_unit_room(text: str, building: str | None, unit: str | None, room: str | None) -> None:
    loc = request(text).location
    assert (loc.building, loc.unit, loc.room) == (building, unit, room)


def test_default_building_fills_in_and_bare_floor_is_a_floor() -> None:
    assert request("电梯又坏了", default_building="9").location.building == "9"
    assert request("5楼楼道灯不亮", default_building="9").location.building == "9"
    assert request("3号楼电梯坏了", default_building="9").location.building == "3"


def test_compound_names_are_stripped() -> None:
    loc = request("吉利花园1号楼门口一堆垃圾", compound_names=frozenset({"吉利花园"})).location
    assert loc.building == "1"


def test_landmarks_generic_and_local() -> None:
    assert request("社区进大门的地方有些垃圾,得清理一下了").location.landmark == "大门"
    assert request("车棚里的灯坏了").location.landmark == "车棚"
    local = request("老菜市场那边的路灯不亮", landmarks=frozenset({"老菜市场"}))
    assert local.location.landmark == "老菜市场"


def test_phone_numbers_are_captured_not_taken_for_rooms() -> None:
    parsed = request("5号楼电梯坏了 有事打我电话138 1234 5678")
    assert parsed.phone == "13812345678"
    assert parsed.location == Location(building="5")
    assert request("楼道灯坏了 座机022-23456789").phone == "02223456789"
    assert request("五号楼着火了 快打119").location.room is None


# --- what residents write -------------------------------------------------------

@pytest.mark.parametrize(("text", "category"), [
    ("電梯壞了", Category.ELEVATOR),
    ("樓道燈壞了好幾天", Category.POWER_LIGHTING),
    ("請問老年證怎麼辦理", Category.CONSULTATION),
    ("俺家木有水咋整", Category.PLUMBING),
    ("停气了", Category.GAS),
    ("俺们楼那个电梯咋又趴窝了", Category.ELEVATOR),
    ("@网格员王芳 3号楼电梯坏了", Category.ELEVATOR),
    ("３号楼电梯坏了😭😭", Category.ELEVATOR),
    ("老年证怎么办", Category.CONSULTATION),
    ("楼上漏水到我家", Category.NEIGHBOR_NOISE),
    ("楼道里有人给电动车充电", Category.FIRE_SAFETY),
    ("三号楼一单元门口那个垃圾桶都满出来好几天了也没人来收一下麻烦网格员跟物业说说", Category.SANITATION),
])
def test_messy_requests(text: str, category: Category) -> None:
    assert request(text).category is category


@pytest.mark.parametrize(("text", "kind"), [
    ("五号楼有个老人摔倒了起不来", EmergencyKind.FALL),
    ("对门的老大爷三天没出门了 敲门没动静", EmergencyKind.FALL),
    ("着火了 6号楼 快来人", EmergencyKind.FIRE),
    ("著火了!5號樓", EmergencyKind.FIRE),
    ("家里闻到燃气味了 怎么办", EmergencyKind.GAS),
    ("厨房里嘶嘶地响 一股臭鸡蛋味", EmergencyKind.GAS),
    ("3号楼2单元电梯里困了人 快来", EmergencyKind.TRAPPED),
    ("8号楼电梯停在两层中间了 我妈在里面", EmergencyKind.TRAPPED),
    ("老房子后墙裂开一个大口子 是不是要塌了", EmergencyKind.COLLAPSE),
    ("楼上阳台的花盆掉下来了 差点砸到人", EmergencyKind.COLLAPSE),
    ("7栋2单元的电表箱在冒火花", EmergencyKind.ELECTRIC),
    ("有人在撬我家隔壁的门", EmergencyKind.CRIME),
    ("下暴雨 地下室进水了 水都到膝盖了", EmergencyKind.FLOOD),
    ("救命", EmergencyKind.OTHER),
    ("快来人啊!!!", EmergencyKind.OTHER),
    ("救命啊 我家停电了 我妈用呼吸机", EmergencyKind.OTHER),
    ("谢谢 快来人 我妈晕倒了", EmergencyKind.FALL),         # thanks never hides an emergency
    ("@网格员王芳楼道里一股煤气味 很冲", EmergencyKind.GAS),  # mention without a space
    ("我奶奶吃饭噎着了 脸都憋紫了", EmergencyKind.FALL),
    ("孩子误吃了药 现在一直吐", EmergencyKind.FALL),
    ("热水器那边一股怪味 头晕恶心", EmergencyKind.GAS),
    ("楼上外墙的空调架锈断了 外机悬在半空晃", EmergencyKind.COLLAPSE),
    ("有个男的在小区里拿砖头砸人", EmergencyKind.CRIME),
    ("电梯门关不上 还一直上下跑 里面有小孩", EmergencyKind.TRAPPED),
])
def test_emergencies(text: str, kind: EmergencyKind) -> None:
    parsed = request(text)
    assert parsed.urgency is Urgency.EMERGENCY
    assert parsed.emergency_kind is kind


@pytest.mark.parametrize("text", [
    "3-2-601 水管爆了 水喷得到处都是", "16号楼从早上开始就没水了", "12号楼突然停电了",
    "家里暖气冰凉 冻得睡不着", "2单元下水道返水了 一楼地面全是污水",
])
def test_basic_living_broken_is_urgent(text: str) -> None:
    parsed = request(text)
    assert parsed.urgency is Urgency.URGENT
    assert parsed.emergency_kind is None


@pytest.mark.parametrize("text", [
    "楼道灯坏了", "垃圾桶满了好几天没人收", "楼上半夜一直跺脚 吵得睡不着", "六号楼门口的台阶坏了 老人差点摔倒",
])
def test_the_rest_is_normal(text: str) -> None:
    assert request(text).urgency is Urgency.NORMAL


@pytest.mark.parametrize("text", [
    "消防通道被车堵死了 万一着火消防车进不来",   # hypothetical
    "没有煤气味了 应该没事",                       # negated
    "燃气灶打不着火",                               # stove fault, not a fire
    "我家天然气突然没气了",                         # no gas, not "no breath"
])
def test_no_false_alarm(text: str) -> None:
    parsed = parse(text)
    assert parsed is None or parsed.urgency is not Urgency.EMERGENCY


# --- not requests ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "收到", "好的", "谢谢网格员", "[红包]", "[红包]恭喜发财,大吉大利", "👍👍👍", "早上好",
    "感谢网格员,水管已经修好了", "感謝網格員,電梯已經修好了", "电梯修好了 谢谢物业",
    "【通知】明天停水",
    "【通知】因管网维修,明天上午9点至下午5点3号楼、5号楼停水,请提前做好储水准备。",
    "温馨提示:近期天气干燥,请各位居民注意用火用电安全,楼道内不要堆放杂物。",
    "明天上午9点停水", "明天几点停电啊",
    "消防演练通知:本周五下午3点在小区广场进行消防演练,届时会有烟雾,请大家不要惊慌。",
    "刚刚群里说的着火是演练 大家别慌",
    "马上联系物业", "收到,马上联系物业工作人员收拾", "好的,已通知维修师傅,下午过去",
    "出售九成新婴儿车一辆 价格可议 有需要的私聊", "专业疏通下水道 马桶 地漏 随叫随到 电话13912345678",
    "捡到一串钥匙 放在门卫了 失主来认领", "谁家丢了一只白色的猫 在3号楼楼下",
    "我的心着火了哈哈哈", "今天热得我都要晕倒了哈哈", "我被困在工作里出不来了😂",
    "有人知道附近哪家超市今天开门吗", "今天天气真好 出去晒太阳了",
    "谢谢张书记,我家老人已经送医院了,没事了",
    "新闻说隔壁小区着火了 大家注意安全啊", "刚看了个视频 电梯里有人被困 太吓人了",
    "孩子考试考砸了 我血压都上来了 快晕过去了", "救命 今天又胖了三斤",
    "不好意思 刚才说着火是我看错了 是人家在烧烤", "物业说明天来修电梯 大家再坚持一下",
    "这天儿太冷了 出门冻手", "转发一篇文章:老人防跌倒的十个小窍门",
])
def test_not_requests(text: str) -> None:
    assert parse(text) is None


@pytest.mark.parametrize("text", [
    "", " ", "\n\t", "😀😀😀", "\x00\x01\x02", "<script>alert(1)</script>", "'; DROP TABLE tickets; --",
    "\ud800\udfff孤立代理", "a" * 10_000, "电梯" * 5_000, "🔥" * 3000, "\u200b\u200b", "[捂脸]",
    "１２３４５", "。。。。", "null", "{}",
])
def test_bad_input_never_raises_and_is_not_a_request(text: str) -> None:
    parsed = parse(text)
    if text.startswith("电梯"):
        return  # a wall of one word may or may not read as a report; it must just not crash
    assert parsed is None


def test_non_string_input_is_not_a_request() -> None:
    assert parse_message(None) is None  # type: ignore[arg-type]
    assert parse_message(b"\xe7\x94\xb5\xe6\xa2\xaf") is None  # type: ignore[arg-type]


def test_surrogates_are_dropped_but_the_request_survives() -> None:
    assert request("3号楼电梯坏了\ud83d").category is Category.ELEVATOR


def test_parser_loads_nothing_heavy() -> None:
    """No chat SDK, DB or scheduler; and neither cn2an nor opencc, which are slow to import."""
    code = "import sys, handlers.parsing; print(' '.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True, cwd=ROOT).stdout.split())
    banned = {"telegram", "wechaty", "sqlmodel", "sqlalchemy", "apscheduler", "cn2an", "opencc",
              "pydantic", "yaml", "psycopg"}
    assert not banned & {name.split(".")[0] for name in loaded}


# --- robustness: the same message typed differently gets the same answer ---------

_FULL_WIDTH = str.maketrans("0123456789-#", "０１２３４５６７８９－＃")


def _variants(text: str, to_traditional: object) -> list[str]:
    return [
        to_traditional.convert(text),  # type: ignore[attr-defined]
        "@网格员王芳 " + text,
        "@网格员王芳" + text,
        "@李姐\u2005" + text,
        text + "😭😭",
        text.translate(_FULL_WIDTH),
        text.replace(" ", ""),      # voice-to-text: no pauses
        text.replace(" ", ","),
    ]


def test_clear_decisions_survive_script_width_mentions_emoji_and_punctuation() -> None:
    """A message the reading is clear about (well away from the thresholds) keeps its
    decision however it is typed; near a threshold a learned reading may tip."""
    from handlers.parsing import read_message
    from handlers.parsing.understanding import default_understanding

    opencc = pytest.importorskip("opencc")
    to_traditional = opencc.OpenCC("s2t")
    u = default_understanding()
    flips, checked = [], 0
    for text in corpus_texts():
        base = read_message(text)
        clear_request = abs(base.confidence - u.request_at) >= 0.25
        clear_danger = base.emergency_score >= 3 * u.emergency_at or base.emergency_score <= u.emergency_at / 3
        if not (clear_request and clear_danger):
            continue
        for variant in _variants(text, to_traditional):
            checked += 1
            got = read_message(variant)
            emergency = got.is_request and got.urgency is Urgency.EMERGENCY
            if got.is_request != base.is_request or emergency != (base.is_request and base.urgency is Urgency.EMERGENCY):
                flips.append(variant)
    assert checked > 5_000
    assert len(flips) <= checked // 1000, flips


def test_cue_patterns_were_not_mangled_by_f_string_braces() -> None:
    """rf-strings turn a bare {0,6} into the text "(0, 6)"; quantifiers must be doubled."""
    import re as _re

    from handlers.parsing import danger, dialect, emergency, intent, lexicon, location

    for module in (danger, dialect, emergency, intent, lexicon, location):
        for value in vars(module).values():
            patterns = [value] if isinstance(value, _re.Pattern) else []
            if isinstance(value, tuple):
                patterns = [p for _, p in value if isinstance(p, _re.Pattern)] if all(
                    isinstance(v, tuple) for v in value) else []
            for pattern in patterns:
                assert _re.search(r"\(\d+, \d+\)", pattern.pattern) is None, pattern.pattern[:80]


# --- dialect, voice slips and shorthand -------------------------------------------

@pytest.mark.parametrize(("raw", "mandarin"), [
    ("佢喺屋企跌親咗", "他在家摔倒了"),
    ("部𨋢壞咗 冇人理", "部电梯坏了 没有人理"),
    ("快啲嚟睇下 點算", "快点来看下 怎么办"),
    ("俺家屋头木有水", "我家家里没有水"),
    ("侬晓得伐", "你知道伐"),
    ("电题g了", "电梯挂了"),
    ("水官爆了", "水管爆了"),
    ("心里郁闷", "心里郁闷"),                           # Mandarin 郁 stays
])
def test_dialect_becomes_mandarin(raw: str, mandarin: str) -> None:
    from handlers.parsing.normalize import normalize

    assert normalize(raw).text == mandarin


@pytest.mark.parametrize(("text", "category"), [
    ("我哋單元啲燈冇晒 黑蚊蚊 麻煩搵人整下", Category.POWER_LIGHTING),
    ("屋头的下水到堵了 臭得很 搞快点", Category.PLUMBING),
    ("阿拉楼下的垃圾桶满了 好几天没人收", Category.SANITATION),
    ("贼吵 楼上半夜蹦迪 俺们咋整", Category.NEIGHBOR_NOISE),
    ("升降機成日壞 今日又停咗", Category.ELEVATOR),
    ("隔籬屋啲狗成晚吠 好嘈", Category.NEIGHBOR_NOISE),
])
def test_dialect_requests(text: str, category: Category) -> None:
    assert request(text).category is category


@pytest.mark.parametrize(("text", "is_request"), [
    ("单元门又没人修[捂脸] 天天关不上", True),          # a facepalm on a complaint
    ("今天的饺子包得真好看[捂脸]", False),               # a facepalm on chat
    ("哈哈哈 又停电了 正好早睡", False),                  # laughing it off
])
def test_facepalm_is_not_a_laugh(text: str, is_request: bool) -> None:
    assert (parse(text) is not None) is is_request


# --- the safety net: shapes of danger, not lists of sentences ---------------------

@pytest.mark.parametrize(("text", "category"), [
    ("我女儿被反锁在储藏室里 敲门直哭", Category.ASSISTANCE),                # shut in
    ("有个老人被关在单元门禁里面了 出不来", Category.ASSISTANCE),
    ("两个孩子被困在轿厢里 按铃没人应", Category.ELEVATOR),
    ("阳台晾的被子着了 火往楼上窜", Category.FIRE_SAFETY),                    # fire spreading
    ("草地上的火烧过来了 快到车棚了", Category.FIRE_SAFETY),
    ("一楼那家两口子正在打架 女的被砍伤了", Category.SECURITY),             # violence now
    ("有个酒鬼在楼道里拿酒瓶砸门 还在砸", Category.SECURITY),
    ("雨水往强电井里灌 3号楼", Category.POWER_LIGHTING),                      # water meets power
    ("柱子裂开了 能看到钢筋 楼里人都不敢回去", Category.HOUSING),            # load-bearing
    ("一个孩子爬到护栏外面了 就在8楼", Category.ASSISTANCE),                 # at an edge
    ("停电了 我爸每天要做腹膜透析 机器停了", Category.POWER_LIGHTING),       # life support
    ("阿婆喺廁所跌低咗 郁唔到", Category.ASSISTANCE),                          # Cantonese fall
    ("有个男孩站在楼顶沿上 一直往下看", Category.ASSISTANCE),                  # at an edge
    ("孩子的脚卡在护栏缝里了 出不来", Category.ASSISTANCE),                    # stuck limb
    ("楼下小卖部的门被撬开了 里面好像有人", Category.SECURITY),               # break-in now
    ("车库里水已经淹到轮胎了 3号楼", Category.PLUMBING),                       # flooded garage
    ("空调外机被风吹歪了 挂在半空 底下是人行道", Category.HOUSING),           # about to fall
    ("邻居大姐要生了 羊水已经破了 车堵在门口出不去", Category.ASSISTANCE),   # labour
    ("小孙子把干燥剂吃了 嘴里都是", Category.ASSISTANCE),                     # swallowed
    ("我爸突然站不住 一边胳膊发麻", Category.ASSISTANCE),                     # stroke signs
    ("广告牌塌下来 下面好像压着人", Category.PUBLIC_FACILITIES),             # someone under
    ("车库里嘭的一声 然后到处是烟", Category.FIRE_SAFETY),                    # bang then smoke
    ("楼到里有个老人晕到了", Category.ASSISTANCE),                            # voice slips
    ("我奶奶在厕所扶不起来了", Category.ASSISTANCE),
])
def test_danger_is_an_emergency(text: str, category: Category) -> None:
    parsed = request(text)
    assert parsed.urgency is Urgency.EMERGENCY, text
    assert parsed.category is category


@pytest.mark.parametrize("text", [
    "通知:如遇电梯被困 请按警铃等待救援",                    # notice
    "前天5号楼那场火 后来怎么样了",                           # past, asking after it
    "昨晚有人在停车场砸车 幸好没伤到人 已经被带走了",          # past and over
    "楼上正在砸墙装修 吵死了",                                 # renovation, not violence
    "物业的人正在捅下水道",                                   # unclogging
    "发烧烧到三十八度五 吃了药",                               # fever
    "滑梯松了 小孩摔了可怎么办",                               # a worry about a fault
    "今天停电了一下 电脑重启了",                               # an outage blip is not a shock
    "如果家里燃气泄漏 应该先开窗还是先关阀门",                 # a safety question
    "请问老人噎住了应该怎么急救",
    "上周车库进水的事 物业已经处理完了",                       # past, handled
    "加班被老板关在办公室里 救命",                              # figurative
    "沙发太沉 两个人都抬不起来",                                  # heavy furniture
    "快递被锁在柜子里了 取不出来",                                # a parcel is not a person
    "多亏物业送来发电机 停电时我爸的制氧机没停",                   # coped with
])
def test_danger_look_alikes_stay_quiet(text: str) -> None:
    parsed = parse(text)
    assert parsed is None or parsed.urgency is not Urgency.EMERGENCY, text

