"""The digest as a picture: per-grid bars of 响应率 / 解决率 / 满意率, as PNG bytes.

Chinese labels need a CJK font, which matplotlib doesn't ship. We look for one
by file, in this order: the ``pylopdf-fonts-zh-cn`` package (Noto Sans SC,
installed by pip with the project), then Debian's ``fonts-noto-cjk``,
``fonts-wqy-microhei`` or ``fonts-wqy-zenhei`` if the machine has them, then
any CJK font matplotlib already knows. Without one the chart still renders
(labels as boxes) and the log says why.

Figures are drawn on an Agg canvas directly (FigureCanvasAgg), without
pyplot, so nothing here touches matplotlib's global backend or figure
registry, and no display is ever needed.
"""

from __future__ import annotations

import importlib
import io
import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font

from handlers.digest import Digest, GroupFigures, RateCounts

log = logging.getLogger(__name__)

_PACKAGED_FONTS = (("pylopdf_fonts_zh_cn", "sans_path"),)
_SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
)
_PROBE = "响应率解决率满意率网格"
_FALLBACK_FAMILY = "DejaVu Sans"

_RATES = (("响应率", "response"), ("解决率", "resolution"), ("满意率", "satisfaction"))
_COLOURS = ("#4C78A8", "#54A24B", "#F58518")


@dataclass(frozen=True)
class CjkFont:
    path: Path
    family: str


def _covers_chinese(path: Path) -> bool:
    try:
        face = FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    return all(face.get_char_index(ord(ch)) for ch in _PROBE)


def _candidates() -> list[Path]:
    paths: list[Path] = []
    for module_name, getter in _PACKAGED_FONTS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        paths.append(Path(getattr(module, getter)()))
    paths += [Path(p) for p in _SYSTEM_FONTS]
    known = sorted(
        {
            e.fname
            for e in font_manager.fontManager.ttflist
            if "CJK" in e.name or "WenQuanYi" in e.name
        }
    )
    paths += [Path(p) for p in known]
    return paths


@lru_cache(maxsize=1)
def cjk_font() -> CjkFont | None:
    """The first CJK font found, registered with matplotlib; None (logged) if there is none."""
    for path in _candidates():
        if path.is_file() and _covers_chinese(path):
            font_manager.fontManager.addfont(str(path))
            family = font_manager.FontProperties(fname=str(path)).get_name()
            log.debug("chart font: %s (%s)", family, path)
            return CjkFont(path, family)
    log.warning(
        "no CJK font found: chart labels will not show Chinese; "
        "pip install pylopdf-fonts-zh-cn, or apt-get install fonts-noto-cjk"
    )
    return None


def _value(counts: RateCounts) -> float:
    rate = counts.rate
    return 0.0 if rate is None else rate * 100


def _label(counts: RateCounts) -> str:
    rate = counts.rate
    return "—" if rate is None else f"{rate * 100:.0f}%"


def render_digest_chart(d: Digest, title: str | None = None) -> bytes:
    """PNG bytes: one group of three bars per grid (or the totals if no grid)."""
    font = cjk_font()
    families = [font.family, _FALLBACK_FAMILY] if font else [_FALLBACK_FAMILY]
    groups: list[GroupFigures] = d.by_grid or [d.totals]
    with matplotlib.rc_context({"font.family": families, "axes.unicode_minus": False}):
        figure = Figure(figsize=(max(6.0, 1.8 * len(groups) + 2.5), 4.2), dpi=120)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        width = 0.26
        for index, ((name, attribute), colour) in enumerate(zip(_RATES, _COLOURS, strict=True)):
            counts = [getattr(g, attribute) for g in groups]
            xs = [i + (index - 1) * width for i in range(len(groups))]
            bars = axes.bar(xs, [_value(c) for c in counts], width, label=name, color=colour)
            axes.bar_label(bars, labels=[_label(c) for c in counts], padding=2, fontsize=8)
        axes.set_xticks(range(len(groups)), [g.name for g in groups])
        axes.set_ylim(0, 125)
        axes.set_yticks([0, 25, 50, 75, 100], ["0", "25%", "50%", "75%", "100%"])
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(loc="upper center", ncols=3, frameon=False, bbox_to_anchor=(0.5, 1.0))
        day = d.period_start
        axes.set_title(title or f"{d.scope_name} {day.month}月{day.day}日 网格三率")
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
    return out.getvalue()
