"""Is a new report the same problem as an open ticket?

Only then does it join the ticket as another household; anything else is a new
ticket, because a report folded into the wrong ticket is a report lost. The same
problem means: the same building; the same unit when either report names one; a
compatible category; similar words. A building-wide problem (no water, no power,
the lift stopped, the whole building cold) is one problem whatever unit or room
each household names. Whether an emergency may join is decided by the caller
(``intake``): it never hides inside an ordinary ticket.
"""

from __future__ import annotations

import re

from handlers.categories import Category
from handlers.parsing import ParsedRequest
from handlers.tickets import Ticket

_COMPATIBLE: frozenset[frozenset[Category]] = frozenset({
    frozenset({Category.PLUMBING, Category.NEIGHBOR_NOISE}),  # water from upstairs
    frozenset({Category.HOUSING, Category.NEIGHBOR_NOISE}),  # a leak: roof or neighbour
    frozenset({Category.HOUSING, Category.PLUMBING}),
    frozenset({Category.FIRE_SAFETY, Category.POWER_LIGHTING}),  # sparks, smoke from a box
    frozenset({Category.ASSISTANCE, Category.ELEVATOR}),  # someone unwell in a lift
})
_BUILDING_WIDE = re.compile(
    r"停水|没水|没有水|不来水|断水|水停了|停电|没电|没有电|断电|全黑|整栋|整个楼|全楼|一栋楼|整幢|"
    r"电梯[^,。!?;]{0,4}(?:停|坏|不动|不走|用不了|停运)|暖气[^,。!?;]{0,6}(?:不热|凉|冷|停)|停暖|停气|没气"
)
_NOISE = re.compile(r"[\d\s\W_a-z]|号楼|单元|我家|我们|家里|也是|也|了|的|啊|呀|吧|呢|吗|嘛|都")
SIMILAR_WORDS = 0.2
"""Share of character pairs two descriptions must have in common (Jaccard)."""


def building_wide(text: str) -> bool:
    return _BUILDING_WIDE.search(text) is not None


def compatible(a: Category, b: Category) -> bool:
    return a == b or frozenset({a, b}) in _COMPATIBLE


def _pairs(text: str) -> set[str]:
    core = _NOISE.sub("", text)
    return {core[i:i + 2] for i in range(len(core) - 1)} or {core}


def similar_words(a: str, b: str) -> bool:
    x, y = _pairs(a), _pairs(b)
    return bool(x and y) and len(x & y) / len(x | y) >= SIMILAR_WORDS


def same_problem(ticket: Ticket, parsed: ParsedRequest, text: str) -> bool:
    loc = parsed.location
    if ticket.building is None or loc.building != ticket.building:
        return False
    if not compatible(ticket.category, parsed.category):
        return False
    if building_wide(text) and building_wide(ticket.text) and ticket.category == parsed.category:
        return True
    if (loc.unit or ticket.unit) and loc.unit != ticket.unit:
        return False
    if loc.room and ticket.room and loc.room != ticket.room and ticket.category != Category.NEIGHBOR_NOISE:
        return False  # two flats, two problems (a neighbour's noise reaches several flats)
    return similar_words(text, ticket.text)
