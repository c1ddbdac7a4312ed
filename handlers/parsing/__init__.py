"""Understanding residents' requests and staff replies in free Chinese text.

``read_message`` gives the whole reading of a message (request or not, how
sure, category, urgency, place); ``parse_message`` only the request, or
``None``. A learned model decides what a message means; rules read the
structure and guard against a missed emergency (``understanding`` says how).
Standard library only: the trained weights are data read by a small scorer.

Modules: ``normalize`` (width, traditional script, numerals), ``dialect``
(Cantonese and regional words, voice-input slips, net shorthand → Mandarin),
``location`` (building/unit/room/landmark, phone), ``features`` and ``linear``
(the model's tokens and scorer), ``understanding`` (the decision),
``staff_intent`` (what staff mean), and the rule reader used as the safety net:
``rules`` with ``intent``, ``emergency``, ``danger`` and ``lexicon``.
"""

from __future__ import annotations

from handlers.parsing.model import Location, ParseContext, ParsedRequest
from handlers.parsing.understanding import Reading, parse_message, read_message

__all__ = ["Location", "ParseContext", "ParsedRequest", "Reading", "parse_message", "read_message"]
