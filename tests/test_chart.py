"""The digest chart: a valid PNG, drawn with a font that has the Chinese glyphs."""

from __future__ import annotations

import io
import logging
import warnings
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from matplotlib.image import imread

from bot import chart
from handlers.digest import Digest, GroupFigures, RateCounts

SH = ZoneInfo("Asia/Shanghai")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def make_digest() -> Digest:
    return Digest(
        scope_name="吉利社区",
        period_start=datetime(2025, 11, 21, tzinfo=SH),
        period_end=datetime(2025, 11, 22, tzinfo=SH),
        totals=GroupFigures("吉利社区", new=12, response=RateCounts(12, 10)),
        by_grid=[
            GroupFigures("吉利第一网格", response=RateCounts(7, 5), resolution=RateCounts(5, 4)),
            GroupFigures("吉利第二网格", response=RateCounts(5, 5), satisfaction=RateCounts(3, 3)),
            GroupFigures("吉利第三网格"),
        ],
    )


def _render_recording_warnings(d: Digest) -> tuple[bytes, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = chart.render_digest_chart(d)
    return png, [str(w.message) for w in caught]


def test_chart_is_a_valid_png() -> None:
    png, _ = _render_recording_warnings(make_digest())
    assert png.startswith(PNG_MAGIC)
    pixels = imread(io.BytesIO(png), format="png")
    height, width = pixels.shape[:2]
    assert width > 600 and height > 400


def test_chart_uses_a_cjk_font_and_misses_no_glyph() -> None:
    font = chart.cjk_font()
    assert font is not None, "no CJK font: pyproject's pylopdf-fonts-zh-cn is not installed"
    face = FT2Font(str(font.path))
    assert all(face.get_char_index(ord(ch)) for ch in "吉利第一网格响应率解决率满意率月日")
    found = font_manager.findfont(
        font_manager.FontProperties(family=font.family), fallback_to_default=False
    )
    assert found == str(font.path)
    _, messages = _render_recording_warnings(make_digest())
    assert not [m for m in messages if "missing from" in m], messages


def test_without_a_cjk_font_it_still_renders_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(chart, "_candidates", lambda: [])
    chart.cjk_font.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="bot.chart"):
            png, _ = _render_recording_warnings(make_digest())
    finally:
        chart.cjk_font.cache_clear()
    assert png.startswith(PNG_MAGIC)
    assert any("no CJK font" in r.getMessage() for r in caplog.records)


def test_totals_are_drawn_when_there_is_no_grid() -> None:
    d = make_digest()
    png = chart.render_digest_chart(
        Digest(d.scope_name, d.period_start, d.period_end, d.totals), title="本周三率"
    )
    assert png.startswith(PNG_MAGIC)
