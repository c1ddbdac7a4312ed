"""Recognising residents' requests in free Chinese text.

``parse_message`` is a pure function: text (plus what the chat tells us) in,
``None`` (not a request) or a ``ParsedRequest`` out. Standard library only, so
it loads in milliseconds and can run on every message of a busy group.

Modules: ``normalize`` (width, traditional script, numerals), ``dialect``
(Cantonese and regional words, voice-input slips, net shorthand → Mandarin),
``location`` (building/unit/room/landmark, phone), ``intent`` (request or
chatter), ``emergency`` (emergency and urgent words), ``danger`` (sentence
shapes of danger: shut in, fire spreading, violence in progress …),
``lexicon`` (category words), ``parser`` (the decision).
"""

from __future__ import annotations

from handlers.parsing.model import Location, ParseContext, ParsedRequest
from handlers.parsing.parser import parse_message

__all__ = ["Location", "ParseContext", "ParsedRequest", "parse_message"]
