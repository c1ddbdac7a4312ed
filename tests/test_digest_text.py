"""The digest text leaders read: figures, rates, overdue holders, hot spots; no residents."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from handlers.categories import Category
from handlers.digest import (
    Digest,
    GroupFigures,
    HotSpot,
    OverdueItem,
    RateCounts,
    duration_text,
    format_digest,
    format_weekly,
    percent,
)

SH = ZoneInfo("Asia/Shanghai")


def make_digest(**overrides: object) -> Digest:
    fields: dict[str, object] = {
        "scope_name": "吉利社区",
        "period_start": datetime(2025, 11, 21, tzinfo=SH),
        "period_end": datetime(2025, 11, 22, tzinfo=SH),
        "totals": GroupFigures(
            "吉利社区",
            new=12,
            acknowledged=10,
            resolved=8,
            overdue=2,
            escalated=1,
            response=RateCounts(12, 10),
            resolution=RateCounts(8, 6),
            satisfaction=RateCounts(10, 9),
        ),
        "by_grid": [
            GroupFigures(
                "吉利第一网格",
                new=7,
                resolved=5,
                overdue=2,
                response=RateCounts(7, 5),
                resolution=RateCounts(5, 4),
            ),
            GroupFigures("吉利第二网格", new=5, resolved=3, response=RateCounts(5, 5)),
        ],
        "by_category": [
            GroupFigures(Category.PLUMBING, new=4),
            GroupFigures(Category.HEATING, new=5),
            GroupFigures(Category.SANITATION, new=2),
            GroupFigures(Category.ELEVATOR, new=1),
            GroupFigures(Category.GAS, new=0),
        ],
        "most_overdue": [
            OverdueItem(7, Category.SANITATION, "JL-2", "刘洋", timedelta(minutes=40)),
            OverdueItem(42, Category.HEATING, "JL-1", "王芳", timedelta(hours=3, minutes=20)),
            OverdueItem(51, Category.PLUMBING, "JL-1", "王芳", timedelta(days=2, hours=5)),
            OverdueItem(60, Category.HOUSING, "JL-2", "刘洋", timedelta(hours=1)),
            OverdueItem(61, Category.HOUSING, "JL-2", "刘洋", timedelta(hours=2)),
            OverdueItem(62, Category.HOUSING, "JL-2", "刘洋", timedelta(minutes=5)),
        ],
        "hot_spots": [
            HotSpot("5", Category.ELEVATOR, 3),
            HotSpot("3", Category.PLUMBING, 4),
        ],
    }
    fields.update(overrides)
    return Digest(**fields)  # type: ignore[arg-type]


def test_rates() -> None:
    assert RateCounts(0, 0).rate is None
    assert RateCounts(12, 10).rate == 10 / 12
    assert percent(RateCounts(12, 10)) == "83%"
    assert percent(RateCounts(8, 6)) == "75%"
    assert percent(RateCounts(200, 1)) == "1%"  # 0.5 rounds up
    assert percent(RateCounts(0, 0)) == "—"


def test_durations() -> None:
    assert duration_text(timedelta(minutes=40)) == "40分钟"
    assert duration_text(timedelta(hours=3, minutes=20)) == "3小时"
    assert duration_text(timedelta(days=2)) == "2天"
    assert duration_text(timedelta(days=2, hours=5)) == "2天5小时"


def test_daily_digest_text() -> None:
    text = format_digest(make_digest())
    lines = text.splitlines()
    assert lines[0] == "【网格日报】吉利社区 11月21日"
    assert lines[1] == "新增 12 件,接单 10,办结 8,超时 2,上报 1"
    assert lines[2] == "响应率 83% 解决率 75% 满意率 90%"
    assert "· 吉利第一网格:新增 7,办结 5,超时 2;响应 71% 解决 80% 满意 —" in lines
    assert "【主要诉求】供暖 5,给排水 4,环境卫生 2" in lines


def test_five_most_overdue_with_their_holders() -> None:
    text = format_digest(make_digest())
    overdue = text.split("【超时待办】\n")[1].split("\n【")[0].splitlines()
    assert overdue == [
        "#0051 给排水 超时2天5小时 王芳",
        "#0042 供暖 超时3小时 王芳",
        "#0061 房屋修缮 超时2小时 刘洋",
        "#0060 房屋修缮 超时1小时 刘洋",
        "#0007 环境卫生 超时40分钟 刘洋",
    ]


def test_hot_spots_are_proposed_for_proactive_checks() -> None:
    text = format_digest(make_digest())
    assert text.endswith(
        "【未诉先办】\n3号楼 给排水 7天内4件,建议主动排查\n5号楼 电梯 7天内3件,建议主动排查"
    )


def test_quiet_day_shows_dashes_and_skips_empty_sections() -> None:
    text = format_digest(
        make_digest(
            totals=GroupFigures("吉利社区"),
            by_grid=[],
            by_category=[],
            most_overdue=[],
            hot_spots=[],
        )
    )
    assert (
        text
        == "【网格日报】吉利社区 11月21日\n新增 0 件,接单 0,办结 0,超时 0,上报 0\n响应率 — 解决率 — 满意率 —"
    )


def test_weekly_title_covers_the_week() -> None:
    text = format_weekly(
        make_digest(
            period_start=datetime(2025, 11, 17, tzinfo=SH),
            period_end=datetime(2025, 11, 24, tzinfo=SH),
        )
    )
    assert text.splitlines()[0] == "【网格周报】吉利社区 11月17日—11月23日"
    assert "响应率 83% 解决率 75% 满意率 90%" in text


def test_no_phone_numbers_or_rooms_in_the_text() -> None:
    text = format_digest(make_digest()) + format_weekly(make_digest())
    assert not re.search(r"1[3-9]\d{9}", text)
    assert not re.search(r"\d+-\d+-\d+", text)
    assert "室" not in text


def test_digest_module_imports_no_framework() -> None:
    import handlers.digest as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    imports = set(re.findall(r"^(?:from|import) (\w+)", source, re.M))
    assert imports <= {"__future__", "math", "dataclasses", "datetime", "handlers"}
