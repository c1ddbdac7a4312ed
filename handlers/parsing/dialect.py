"""Dialect, voice-to-text slips and chat shorthand, rewritten into plain Mandarin.

Residents write Cantonese (阿婆喺樓梯跌親咗), northern and south-western speech
(俺家, 屋头, 咋整), Shanghainese (侬, 阿拉), words mangled by voice input
(电题, 水官) and net shorthand (g了). Every later cue is written once, in
Mandarin; this table makes the other spellings look like it. Keys are written
as they look *after* traditional→simplified conversion and lower-casing (𨋢
arrives as 䢂, 係 as 系, 嗰 as 𠮶). To extend: add a pair to the group it
belongs to; longer keys win over the shorter ones inside them.
"""

from __future__ import annotations

import re

_CANTONESE = (
    # grammar words
    ("咗", "了"), ("喺", "在"), ("嚟", "来"), ("唔系", "不是"), ("系咪", "是不是"), ("系唔系", "是不是"),
    ("唔该", "麻烦"), ("唔", "不"), ("冇得", "没有"), ("冇", "没有"), ("佢哋", "他们"), ("我哋", "我们"),
    ("你哋", "你们"), ("哋", "们"), ("佢", "他"), ("嘅", "的"), ("快啲", "快点"), ("啲", "些"),
    ("𠮶度", "那里"), ("𠮶个", "那个"), ("𠮶", "那"), ("呢度", "这里"), ("呢个", "这个"), ("乜嘢", "什么"),
    ("乜", "什么"), ("嘢", "东西"), ("点算", "怎么办"), ("点解", "为什么"), ("点样", "怎样"), ("边个", "谁"),
    ("而家", "现在"), ("好似", "好像"), ("畀", "给"), ("入面", "里面"), ("出面", "外面"), ("屋企", "家"),
    ("睇", "看"), ("揾", "找"), ("冚", "全"),
    # verbs and states; X亲 is "got hurt by X-ing"
    ("郁唔到", "动不了"), ("郁唔郁", "动不动"), ("郁", "动"), ("跌亲", "摔倒"), ("跌低", "摔倒"),
    ("撞亲", "撞伤"), ("烫亲", "烫伤"), ("整亲", "弄伤"), ("𠝹亲", "割伤"), ("电亲", "被电到"),
    ("火烛", "着火"), ("起火烛", "着火"), ("晕低", "晕倒"), ("揼", "砸"), ("扑街", "完蛋"),
    # people and things
    ("阿伯", "大爷"), ("阿婆", "奶奶"), ("阿公", "爷爷"), ("阿嫲", "奶奶"), ("细路", "小孩"),
    ("老豆", "我爸"), ("䢂", "电梯"), ("升降机", "电梯"), ("差佬", "警察"), ("水喉", "水管"),
    ("部较", "部电梯"), ("架较", "架电梯"), ("嘈", "吵"), ("瞓唔着", "睡不着"), ("瞓", "睡"), ("隔离屋", "隔壁"), ("隔篱屋", "隔壁"), ("隔篱", "隔壁"),
    ("打麻雀", "打麻将"), ("屙屎", "拉屎"), ("屙尿", "撒尿"), ("成日", "整天"), ("成晚", "整晚"), ("今日", "今天"),
    ("琴日", "昨天"), ("尋日", "昨天"), ("寻日", "昨天"), ("听日", "明天"), ("边度", "哪里"), ("咁", "这么"),
)
_NORTHERN = (
    ("俺们", "我们"), ("俺家", "我家"), ("俺", "我"), ("咱家", "我家"), ("咋整", "怎么办"), ("咋弄", "怎么办"),
    ("咋办", "怎么办"), ("咋个", "怎么"), ("咋着", "怎么"), ("咋", "怎么"), ("啥子", "什么"), ("啥", "什么"),
    ("嘛时候", "什么时候"), ("嘎哈", "干什么"), ("干哈", "干什么"), ("埋汰", "脏"), ("稀碎", "碎了"),
    ("贼冷", "很冷"), ("贼吵", "很吵"), ("贼臭", "很臭"), ("贼黑", "很黑"), ("贼响", "很响"), ("贼大", "很大"),
    ("贼多", "很多"), ("贼危险", "很危险"), ("贼滑", "很滑"), ("老鼻子", "很多"), ("瞅", "看"),
    ("木有", "没有"), ("没得", "没有"), ("莫得", "没有"), ("么得", "没有"), ("冒得", "没有"),
    ("屋头", "家里"), ("不晓得", "不知道"), ("晓得", "知道"), ("么子", "什么"), ("搞快点", "快点"),
    ("遭了", "糟了"), ("遭淹", "被淹"), ("遭偷", "被偷"), ("遭抢", "被抢"), ("遭打", "被打"),
    ("遭撞", "被撞"), ("遭电", "被电"), ("遭砸", "被砸"), ("遭咬", "被咬"), ("弄啥嘞", "干什么"),
    ("那嘎达", "那里"), ("这嘎达", "这里"), ("老长时间", "很久"), ("中不中", "行不行"), ("不中", "不好使"),
    ("屋里厢", "家里"),     ("侬", "你"), ("阿拉", "我们"), ("伊拉", "他们"), ("覅", "不要"), ("辰光", "时候"),
)
_SLIPS = (
    ("电题", "电梯"), ("电体", "电梯"), ("店梯", "电梯"), ("楼到", "楼道"), ("水官", "水管"),
    ("暖器", "暖气"), ("暖汽", "暖气"), ("卫身间", "卫生间"), ("煤汽", "煤气"), ("燃汽", "燃气"),
    ("天燃气", "天然气"), ("跳匝", "跳闸"), ("下水到", "下水道"), ("物叶", "物业"), ("网格园", "网格员"),
    ("井改", "井盖"),
)
_SHORTHAND = (
    ("gg了", "挂了"), ("g了", "挂了"), ("速来", "快来"), ("急急急", "急"), ("xswl", "笑死了"),
)

TABLE: dict[str, str] = {}
for _group in (_CANTONESE, _NORTHERN, _SLIPS, _SHORTHAND):
    for _old, _new in _group:
        if _old != _new:
            TABLE.setdefault(_old, _new)

_PROTECTED = ("郁闷", "郁金香")
_SCAN = re.compile("|".join(re.escape(w) for w in sorted((*TABLE, *_PROTECTED), key=len, reverse=True)))
_FIRST = frozenset(w[0] for w in TABLE)


def _swap(match: re.Match[str]) -> str:
    word = match.group(0)
    return TABLE.get(word, word)


def to_mandarin(text: str) -> str:
    """One pass over the text; most messages contain none of the keys and return at once."""
    if _FIRST.isdisjoint(text):
        return text
    return _SCAN.sub(_swap, text)
