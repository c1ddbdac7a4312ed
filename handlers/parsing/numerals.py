"""Chinese numerals as residents write them in addresses (三号楼, 十六栋, 六零一).

cn2an would do this, but importing it takes ~170 ms (it loads a large
dictionary at import), which alone is most of the parse command's start-up
budget; addresses only need small integers, so a few lines suffice.
"""

from __future__ import annotations

_DIGIT = {"零": 0, "〇": 0, "○": 0, "幺": 1, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
          "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
          "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000, "拾": 10, "佰": 100, "仟": 1000}
CN_NUMERAL_CHARS = "".join(_DIGIT) + "".join(_UNIT)


def cn_to_int(text: str) -> int | None:
    """十六 → 16, 二百零一 → 201, 六零一 → 601; None when it is not a numeral."""
    if not text or any(c not in _DIGIT and c not in _UNIT for c in text):
        return None
    if not any(c in _UNIT for c in text):
        value = 0
        for c in text:
            value = value * 10 + _DIGIT[c]
        return value
    total, digit = 0, None
    for c in text:
        if c in _DIGIT:
            if digit is not None and _DIGIT[c] != 0:
                return None
            digit = _DIGIT[c] if _DIGIT[c] != 0 else digit
        else:
            unit = _UNIT[c]
            if digit is None and unit == 10 and total == 0:
                digit = 1
            if digit is None:
                return None
            total += digit * unit
            digit = None
    return total + (digit or 0)
