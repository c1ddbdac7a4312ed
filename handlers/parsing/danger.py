"""The safety net: constructions that mean someone or something is in danger now.

``emergency`` lists the words residents use for emergencies they have named
before. These are the shapes of sentences instead, so that a new verb or place
in a familiar shape still raises the alarm:

- shut in: 被 关/锁/困/卡 (在/到/进) X 里 — a lift, a bathroom, a balcony;
- fire spreading: 烧到 X, 越烧越大, 火往 X 窜, 引燃;
- violence in progress: 还在/正在 砸/打/砍, a drunk or a madman smashing things;
- water reaching electrical rooms and boxes (配电室进水, 水往电井里灌);
- load-bearing parts cracking (承重墙裂了), cracks that grow and scare people out;
- someone at an edge (坐在窗台外, 站在楼顶边), bitten or stung, burning charcoal indoors;
- someone who lives on a machine (制氧机, 呼吸机, 透析) during an outage.

Each cue still goes through ``emergency``'s checks (negated, hypothetical,
figurative, called off), so notices, drills, jokes and past events stay quiet.
"""

from __future__ import annotations

import re

from handlers.categories import EmergencyKind

_GAP = r"[^,。!?;]"
_SHUT = r"(?:关|锁|反锁|困|卡|夹)(?:在|到|进)?"
_INSIDE = r"(?:里|里面|里头|屋|家|厕所|卫生间|洗手间|阳台|车里|楼顶|天台|地下室|仓库|柜子|储藏室|井里)"
_SWALLOWED = r"(?:凝珠|干燥剂|纽扣电池|电池|老鼠药|耗子药|农药|消毒液|84|洗洁精|安眠药|磁铁|硬币)"
_ELECTRICAL_ROOM = r"(?:配电室|配电房|配电间|电房|强电井|电井|配电箱|配电柜|电表箱|电箱|变电箱|变电站|变电所|开关箱|变压器|电闸|插座|插排|电线)"

SHUT_IN = re.compile(
    rf"被(?!领导|老板|老师|工作|作业|客户|甲方|会){_GAP}{{0,2}}{_SHUT}{_GAP}{{0,8}}{_INSIDE}|"
    rf"(?:关|锁|困)在{_GAP}{{0,8}}{_INSIDE}{_GAP}{{0,6}}(?:出不来|出不去|打不开|哭|喊)"
)
"""Shut in somewhere; counts only when a person is the one shut in (not the cat, not the parcel)."""

CONSTRUCTIONS: tuple[tuple[EmergencyKind, re.Pattern[str]], ...] = (
    (EmergencyKind.TRAPPED, re.compile(
        rf"被{_GAP}{{0,2}}{_SHUT}{_GAP}{{0,4}}(?:电梯|轿厢)|电梯{_GAP}{{0,4}}开着(?:门)?就(?:走|跑|往|动|升|降)")),
    (EmergencyKind.FIRE, re.compile(
        r"烧到(?![\d一二三四五六七八九十]|了?[三四]十|了?\d)|越烧越|火越来越|火越烧|火[^,。!?;]{0,3}(?:窜|蔓延|往[^,。!?;]{0,4}烧|扑不灭|灭不了|控制不住)|"
        r"引燃|引着了|烧过来|蔓延到|烧起来了|放了一把火|点了一把火|冒出[^,。!?;]{0,4}(?:黑|浓)烟|"
        r"(?:轰|砰|嘭|咣)的?一声[^。!?]{0,12}(?:烟|火|炸)")),
    (EmergencyKind.CRIME, re.compile(
        r"(?:还在|正在|一直在|又在|在那)(?:砸(?!墙|地|核桃)|打(?:人|架|起来|他|她|孩子|老人|老婆|我)|砍(?!树|枝|草|价)|"
        r"捅(?!下水|马桶|开|地漏)|抢(?!购|修|救|险|票|红包|车位)|撬|踹|闹事|撒酒疯)|"
        rf"(?:醉汉|酒鬼|喝醉|醉鬼|疯子|精神病|神经病|歹徒){_GAP}{{0,12}}(?:砸|打人|砍|追|拿|闹事|撒酒疯|踹)|"
        r"被(?:人)?(?:砍|捅|扎|刺)(?:了|伤|到)|砍伤|捅伤|刺伤|"
        r"撬[^。]{0,12}(?:有动静|(?:屋|家|里面|里头)[^,。!?;]{0,3}有人|还在里面|不敢(?:进|上|回))|"
        r"(?:玻璃碎|砸东西|摔东西|打人)[^。!?]{0,16}(?:尖叫|惨叫|哭喊|呼救)|(?:尖叫|惨叫|哭喊|呼救)[^。!?]{0,16}(?:玻璃碎|砸东西|摔东西|打人)")),
    (EmergencyKind.ELECTRIC, re.compile(
        rf"水{_GAP}{{0,10}}(?:往|进|灌|流|漫|淹|泡|渗|漏|滴|溅|喷)(?:进|到|入)?{_GAP}{{0,3}}{_ELECTRICAL_ROOM}|"
        rf"{_ELECTRICAL_ROOM}{_GAP}{{0,8}}(?:进水|被淹|淹了|泡水|泡了|全是水|灌水|灌进|有水|渗水|漏水|往里灌)|"
        r"烧电线|电线烧|电线[^,。!?;]{0,4}(?:焦|糊)味")),
    (EmergencyKind.COLLAPSE, re.compile(
        rf"(?:承重墙|承重柱|主梁|大梁|房梁|横梁|圈梁|楼板|顶板|梁柱|柱子|楼梯板){_GAP}{{0,8}}(?:裂|断|塌|变形|露出钢筋|露钢筋|掉块|往下掉)|"
        rf"裂{_GAP}{{0,20}}不敢(?:在|回|进|住|待)|不敢(?:在|回|进|住|待){_GAP}{{0,12}}裂|"
        rf"(?:裂缝|缝){_GAP}{{0,6}}(?:越来越大|越裂越大|还在变大)|越裂越大|"
        rf"(?:倒|压|塌|砸){_GAP}{{0,16}}(?:里|下|底下|下面)(?:面)?(?:好像|可能|还)?(?:有人|压着人)|塌下来|"
        rf"(?:压|砸)(?:到|着|住|伤)了?{_GAP}{{0,3}}(?:人|孩子|小孩|老人)|(?:挂|吊|悬)在(?:空中|半空)|被风(?:刮|吹)(?:掉|下来|飞|歪)")),
    (EmergencyKind.FALL, re.compile(
        rf"(?:站|坐|爬|蹲|挂)(?:在|到|上)?{_GAP}{{0,4}}(?:窗台外|窗户外|窗外|楼顶边|天台边|护栏外|阳台外|栏杆外|楼沿|顶沿|边沿|边缘|屋檐)|"
        rf"(?:楼顶|天台|屋顶|房顶){_GAP}{{0,6}}(?:站|坐|蹲|爬)(?:在|到)?{_GAP}{{0,3}}(?:边|外|沿)|"
        rf"(?:往|朝)(?:水里|河里|湖里|楼下)(?:走|跳)|"
        rf"被{_GAP}{{0,3}}(?:蛇|马蜂|蜂|野狗|狗)(?:咬|蛰|叮)|追着{_GAP}{{0,4}}咬|扑(?:倒|咬)?(?:了)?(?:人|孩子|小孩|老人)|"
        rf"(?:头|手|脚|腿|胳膊|手指){_GAP}{{0,3}}卡在{_GAP}{{0,8}}(?:栏杆|护栏|缝|洞|里)|"
        rf"(?:夹|卡|压)住{_GAP}{{0,6}}(?:拔不出|抽不出|出不来|动不了)|"
        r"羊水破|要生了|快生了|见红了|早产|扶不起|想跳(?!舞|绳|槽)|"
        rf"(?:吃|喝|吞|咽)(?:了|下|进){_GAP}{{0,6}}{_SWALLOWED}|把{_GAP}{{0,4}}{_SWALLOWED}{_GAP}{{0,3}}(?:吃|喝|吞|咽)(?:了|下|进)|"
        rf"胸口{_GAP}{{0,4}}(?:压|闷|疼|痛|堵|绞)|突然{_GAP}{{0,4}}(?:不稳|站不住|说不了话|看不见|抬不起来)|一边{_GAP}{{0,3}}(?:没劲|麻|抬不起)|"
        rf"哭{_GAP}{{0,20}}(?:大人|家长|父母){_GAP}{{0,4}}(?:不在|没在)|(?:大人|家长|父母){_GAP}{{0,4}}(?:不在|没在){_GAP}{{0,20}}哭|"
        rf"(?:老人|老太|大爷|大妈|奶奶|爷爷|独居){_GAP}{{0,12}}(?:报纸|牛奶|快递|外卖){_GAP}{{0,10}}(?:天|周|星期){_GAP}{{0,3}}没(?:拿|收|取)|"
        rf"(?:炭火|烧炭|炭盆|火盆|煤炉|蜂窝煤|炉子){_GAP}{{0,12}}(?:晕|恶心|头疼|吐|叫不醒|不醒|迷糊)")),
    (EmergencyKind.FLOOD, re.compile(
        rf"(?:地库|车库|地下室){_GAP}{{0,8}}(?:淹到|淹了|灌|进水)")),
    (EmergencyKind.OTHER, SHUT_IN),
)

_LIFE_SUPPORT = re.compile(r"制氧机|氧气机|吸氧|呼吸机|透析|吸痰|输液泵|监护仪|胰岛素|离不开[^,。!?;]{0,4}机|靠[^,。!?;]{0,4}机器")
_OUTAGE = re.compile(r"停电|没电|断电|没有电|跳闸|黑了|全黑")


_COPED = re.compile(r"多亏|还好有|幸好有|好在有|才没停|没停|有备用")


def life_support_outage(text: str) -> bool:
    """An outage where someone lives on a machine (制氧机, 呼吸机) is more than urgent."""
    return _LIFE_SUPPORT.search(text) is not None and _OUTAGE.search(text) is not None \
        and _COPED.search(text) is None
