"""The 问题交接单 as an Excel workbook (openpyxl, write-only so 10,000 rows stay fast).

Sheet 问题交接单: one row per ticket, frozen header, widths that fit the text
(Chinese characters count double), dates as Excel dates. Sheet 三率汇总: 响应率,
解决率, 满意率 per grid over the same days, as the leaders' digest counts them.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from handlers.digest import GroupFigures, RateCounts
from handlers.handover import COLUMNS, HandoverRow

DATE_FORMAT = "yyyy-mm-dd hh:mm"
MAX_WIDTH = 60
WRAPPED = {"问题描述", "处理结果", "回访情况"}
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
SUMMARY_COLUMNS = ("网格", "新增", "接单", "办结", "超时", "上报", "响应率", "解决率", "满意率")


def display_width(value: object) -> int:
    """Columns a value takes in Excel: Chinese characters count double."""
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len("2026-11-23 08:00")
    text = str(value)
    if "\n" in text:
        return max(display_width(line) for line in text.split("\n"))
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _fit_widths(sheet: WriteOnlyWorksheet, header: Sequence[str], rows: Iterable[Sequence[object]],
                ) -> None:
    widths = [display_width(h) for h in header]
    for row in rows:
        for index, value in enumerate(row):
            widths[index] = max(widths[index], display_width(value))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, MAX_WIDTH)


def _header(sheet: WriteOnlyWorksheet, names: Sequence[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cells.append(cell)
    return cells


def _naive(value: object) -> object:
    """Excel has no time zones: rows carry local times, written without the offset."""
    return value.replace(tzinfo=None) if isinstance(value, datetime) else value


def _rate(counts: RateCounts) -> float | None:
    return counts.rate


def handover_workbook(rows: list[HandoverRow], summary: list[GroupFigures], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("问题交接单")
    cells = [tuple(_naive(v) for v in row.cells()) for row in rows]
    _fit_widths(sheet, COLUMNS, cells)
    sheet.freeze_panes = "A2"
    sheet.append(_header(sheet, COLUMNS))
    wrap = Alignment(wrap_text=True, vertical="top")
    wrapped = [name in WRAPPED for name in COLUMNS]
    for values in cells:
        # Plain values are written fastest; only dates and long text need a styled cell.
        line: list[object] = []
        for value, wraps in zip(values, wrapped, strict=True):
            if isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = DATE_FORMAT
                line.append(cell)
            elif wraps and value:
                cell = WriteOnlyCell(sheet, value=value)
                cell.alignment = wrap
                line.append(cell)
            else:
                line.append(value)
        sheet.append(line)

    totals = book.create_sheet("三率汇总")
    figures = [
        (g.name, g.new, g.acknowledged, g.resolved, g.overdue, g.escalated,
         _rate(g.response), _rate(g.resolution), _rate(g.satisfaction))
        for g in summary
    ]
    _fit_widths(totals, SUMMARY_COLUMNS, figures)
    totals.freeze_panes = "A3"
    totals.append([title])
    totals.append(_header(totals, SUMMARY_COLUMNS))
    for values in figures:
        line = []
        for index, value in enumerate(values):
            cell = WriteOnlyCell(totals, value="—" if value is None else value)
            if index >= 6 and value is not None:
                cell.number_format = "0%"
            line.append(cell)
        totals.append(line)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
