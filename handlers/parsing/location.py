"""Where: building / unit / room / landmark, and a phone number if one is written.

Works on normalised text (Arabic digits already). "N楼" is ambiguous in 小区
talk: after a building (3号楼5楼) or in a building's own chat it is a floor and
is ignored; alone (5楼电梯坏了) it names building N, which is how residents of a
multi-building compound refer to blocks. "N层" is always a floor, and so is
"N楼" after 到/在/住 (电梯一到5楼就…) or after a unit (2单元…1楼). Lettered
blocks (A座, B栋) give the letter as the building. A landmark is the first
place name in the text, the chat's own lexicon first (小区门口 is reported as 大门).
"""

from __future__ import annotations

import re

from handlers.parsing.model import Location, ParseContext

_ANY_DIGIT = re.compile(r"\d")
_SEVEN_DIGITS = re.compile(r"\d[\d -]{6}")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
_LANDLINE = re.compile(r"(?<![\d-])(0\d{2,3})[ -]?(\d{7,8})(?!\d)")
_LOCAL_PHONE = re.compile(r"(?:电话|座机|手机|联系|tel)[::是为]?\s*(\d{7,8})(?!\d)")

_SEP = r"\s*[-_~/]\s*"
_SHORT3 = re.compile(
    rf"(?<![\d.:])(\d{{1,3}})\s*(?:号楼|#楼|#|栋|幢|号)?{_SEP}(\d{{1,2}})\s*(?:单元|门)?{_SEP}(\d{{3,4}})(?![\d.:])"
)
_SHORT2 = re.compile(rf"(?<![\d.:])(\d{{1,3}})\s*(?:号楼|#楼|#|栋|幢)?{_SEP}(\d{{3,4}})(?![\d.:点元号])")
_BUILDING_UNIT = re.compile(r"(?:^|(?<=[\s,,。!!]))(\d{1,3})\s*-\s*(\d{1,2})(?=\s|$|[,,。.!!??])")
"""A bare "12-2" signed at the start or end of a message is building 12, unit 2."""
_BUILDING = re.compile(r"(?<![\d.])(\d{1,3})\s*(?:号楼|#楼|#|栋|幢|座|号院楼|楼栋|号栋|号(?=\s*\d{1,2}\s*(?:单元|门)))")
_UNIT = re.compile(r"(?<![\d.])(\d{1,2})\s*(?:单元|(?<!号\d)(?<!号\d\d)门(?!卫|岗|店|市|诊|票))")
_UNIT_ROOM = re.compile(rf"(?<![\d.])(\d{{1,2}}){_SEP}(\d{{3,4}})(?![\d.:])")
_ANY_FLOOR = re.compile(r"\d{1,3}\s*楼(?!道|梯)")
_BARE_FLOOR = re.compile(r"(?<![\d.])(?<!到)(?<!在)(?<!停在)(?<!住)(\d{1,3})\s*楼(?!道|梯|顶|房|下|上)")
_FLOOR_THEN_UNIT = re.compile(r"(?<![\d.])(\d{1,3})\s*楼\s*\d{1,2}\s*(?:单元|门)")
_ROOM = re.compile(r"(?<![\d.:-])(\d{3,4})(?![\d.:%])\s*(室|号|户|房)?")
_EMERGENCY_NUMBERS = ("110", "119", "120", "122")
_NOT_ROOM_AFTER = re.compile(r"\s*(?:元|块|米|年|月|日|点|分|平|斤|人|个|次|路|公里|度|毫|克|多|w|万|千|块钱|号线)")
_ROOM_BEFORE = ("住", "家", "在", "是", "户", "楼上", "楼下", "对门", "隔壁")
_LETTERED = re.compile(r"(?<![A-Za-z])([A-Za-z])\s*(?:座|栋|幢|号楼|区\d)")
_GATE = re.compile(r"(?<![\d.])(\d{1,2})\s*号门")

GENERIC_LANDMARKS = (
    "大门", "正门", "南门", "北门", "东门", "西门", "东南门", "西南门", "东北门", "西北门",
    "后门", "侧门", "小门", "车棚", "自行车棚", "电动车棚", "菜窖", "地下车库", "地下室",
    "车库", "停车场", "垃圾站", "垃圾房", "垃圾中转站", "门卫室", "门岗", "传达室",
    "物业办公室", "居委会", "社区服务中心", "活动室", "老年活动室", "活动中心",
    "小广场", "花园", "中心花园", "篮球场", "健身区", "凉亭", "幼儿园", "快递柜", "充电桩",
    "锅炉房", "水泵房", "配电室", "配电房", "小卖部", "天台", "楼顶", "绿化带", "花坛",
    "儿童乐园", "游乐场", "小区门口", "公厕", "公共厕所", "化粪池",
)
_GENERIC_RE = re.compile("|".join(sorted(GENERIC_LANDMARKS, key=len, reverse=True)).replace("楼顶", "(?<![号#栋楼\\d])楼顶(?!层)") + "|广场(?!舞)")
_LANDMARK_ALIASES = {"小区门口": "大门"}


def extract_phone(text: str) -> tuple[str | None, str]:
    """The first phone number written, and the text with all of them blanked."""
    phone: str | None = None
    if _SEVEN_DIGITS.search(text) is None:
        return None, text
    for pattern in (_MOBILE, _LANDLINE, _LOCAL_PHONE):
        match = pattern.search(text)
        if match is None:
            continue
        if phone is None:
            phone = "".join(g for g in match.groups() if g)
        text = pattern.sub(" ", text)
    return phone, text


def _landmark(text: str, context: ParseContext) -> str | None:
    best: tuple[int, int, str] | None = None
    for name in context.landmarks:
        if name:
            pos = text.find(name.lower())
            if pos >= 0 and (best is None or (-len(name), pos) < (best[0], best[1])):
                best = (-len(name), pos, name)
    if best is not None:
        return best[2]
    gate = _GATE.search(text)
    match = _GENERIC_RE.search(text)
    if gate is not None and (match is None or gate.start() <= match.start()):
        return f"{gate.group(1)}号门"
    if match is None:
        return None
    return _LANDMARK_ALIASES.get(match.group(0), match.group(0))


def _room(text: str, taken: list[tuple[int, int]], known: bool) -> str | None:
    for match in _ROOM.finditer(text):
        start, end = match.span(1)
        if any(a < end and start < b for a, b in taken):
            continue
        if _NOT_ROOM_AFTER.match(text, end):
            continue
        number = match.group(1)
        if number in _EMERGENCY_NUMBERS:
            continue
        if not 101 <= int(number) <= 3999 or int(number) % 100 == 0:
            continue
        before = text[max(0, start - 2):start]
        if known or match.group(2) or any(before.endswith(w) for w in _ROOM_BEFORE):
            return number
    return None


def extract_location(text: str, context: ParseContext) -> Location:
    for name in sorted(context.compound_names, key=len, reverse=True):
        if name and name.lower() in text:
            text = text.replace(name.lower(), " ")
    if _ANY_DIGIT.search(text) is None:
        lettered = _LETTERED.search(text)
        building = lettered.group(1).upper() if lettered else context.default_building
        return Location(building=building, landmark=_landmark(text, context))
    building = unit = room = None
    taken: list[tuple[int, int]] = []
    short = _SHORT3.search(text)
    if short is not None:
        building, unit, room = short.group(1), short.group(2), short.group(3)
        taken.append(short.span())
    else:
        match = _BUILDING.search(text)
        if match is not None:
            building = match.group(1)
            taken.append(match.span())
        else:
            pair = _SHORT2.search(text)
            if pair is not None and _UNIT.search(text) is None:
                building, room = pair.group(1), pair.group(2)
                taken.append(pair.span())
            bare = _BUILDING_UNIT.search(text) if building is None else None
            if bare is not None and _UNIT.search(text) is None:
                building, unit = bare.group(1), bare.group(2)
                taken.append(bare.span())
        if building is None:
            lead = _FLOOR_THEN_UNIT.search(text)
            if lead is not None:
                building = lead.group(1)
                taken.append(lead.span(1))
            elif context.default_building is None:
                floor = _BARE_FLOOR.search(text)
                unit_first = _UNIT.search(text)
                several = len(_ANY_FLOOR.findall(text)) > 1  # 卡在三楼和四楼中间: floors
                if floor is not None and not several and (unit_first is None or unit_first.start() > floor.start()):
                    building = floor.group(1)
                    taken.append(floor.span())
        for match in _BARE_FLOOR.finditer(text):
            taken.append(match.span())
        for match in re.finditer(r"\d{1,3}\s*层", text):
            taken.append(match.span())
        umatch = _UNIT.search(text)
        if umatch is not None and not any(a <= umatch.start() < b for a, b in taken):
            unit = umatch.group(1)
            taken.append(umatch.span())
        if room is None:
            pair = _UNIT_ROOM.search(text)
            if pair is not None and not any(a <= pair.start() < b for a, b in taken):
                if unit is None:
                    unit = pair.group(1)
                room = pair.group(2)
                taken.append(pair.span())
        if room is None:
            room = _room(text, taken, building is not None or unit is not None)
    if building is None:
        lettered = _LETTERED.search(text)
        if lettered is not None:
            building = lettered.group(1).upper()
    if building is None and context.default_building:
        building = context.default_building
    return Location(building=building, unit=unit, room=room, landmark=_landmark(text, context))
