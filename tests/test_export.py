"""The 问题交接单 workbook: from the web and from `griddesk export`, read back with openpyxl."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from bot.cli import main
from handlers.handover import COLUMNS
from tests.office_fixtures import PHONE, morning, office_bot, sign_in, web_client


@pytest.fixture
def bot(settings, engine):  # type: ignore[no-untyped-def]
    bot = office_bot(settings, engine)
    morning(bot)
    bot.say("王芳", "王芳", "#1 收到", private=True, at=bot.now + timedelta(minutes=10))
    bot.say("王芳", "王芳", "#1 已解决 换了灯泡", private=True, at=bot.now + timedelta(minutes=30))
    bot.say("王芳", "王芳", "#1 回访 居民说很亮", private=True, at=bot.now + timedelta(hours=1))
    bot.say("jl-3", "张阿姨", "1", at=bot.now + timedelta(minutes=5))
    return bot


def rows_of(data: bytes) -> tuple[list[tuple], list[tuple], object]:  # type: ignore[type-arg]
    book = load_workbook(io.BytesIO(data))
    sheet, summary = book["问题交接单"], book["三率汇总"]
    return list(sheet.iter_rows(values_only=True)), list(summary.iter_rows(values_only=True)), book


def test_the_street_leader_downloads_the_days_sheet_without_residents_data(settings, bot):
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "zheng_guoqiang", bot.now)
        response = client.get("/export.xlsx?from=2026-11-23&to=2026-11-23")
    assert response.status_code == 200
    assert "filename*=UTF-8''%E9%97%AE%E9%A2%98" in response.headers["content-disposition"]
    rows, summary, book = rows_of(response.content)
    assert rows[0] == COLUMNS
    assert len(rows) == 4 and book["问题交接单"].freeze_panes == "A2"
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["编号"] == "吉利社区 #0001" and first["类别"] == "供电照明"
    assert isinstance(first["反映时间"], datetime) and first["反映时间"].hour == 9
    assert first["反映人"] == "张** 138****5678" and first["位置"] == "3号楼"
    assert PHONE not in str(rows) and "601" not in str(rows)
    assert first["责任网格员"] == "王芳" and first["处理结果"] == "换了灯泡"
    assert isinstance(first["办结时间"], datetime) and first["是否超时"] == "否"
    assert first["回访情况"] == "居民说很亮" and first["评价"] == "满意"
    open_one = dict(zip(COLUMNS, rows[3], strict=True))
    assert open_one["办结时间"] is None and open_one["处理结果"] == "已派单,待接单"
    assert summary[1][0] == "网格" and [r[0] for r in summary[2:]][-1] == "合计"
    grid = {r[0]: r for r in summary[2:]}
    assert grid["吉利第一网格"][1] == 1 and grid["吉利第一网格"][6] == 1.0
    widths = book["问题交接单"].column_dimensions
    assert widths["G"].width > widths["A"].width >= 10


def test_a_worker_sees_phone_and_room_of_their_own_tickets_only(settings, bot):
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "wang_fang", bot.now)
        rows, _, _ = rows_of(client.get("/export.xlsx?from=2026-11-23").content)
    assert len(rows) == 2, "only the worker's grid"
    first = dict(zip(COLUMNS, rows[1], strict=True))
    assert first["反映人"] == f"张阿姨 {PHONE}" and first["位置"] == "3号楼601室"


def test_bad_dates_get_a_clear_answer(settings, bot):
    with web_client(settings, bot) as client:
        sign_in(client, bot.engine, "zheng_guoqiang", bot.now)
        refused = client.get("/export.xlsx?from=2026-11-23&to=2026-11-01")
        assert refused.status_code == 400 and "日期" in refused.text


def test_griddesk_export_writes_the_workbook(settings, tmp_path, capsys):
    from bot.settings import BUNDLED_CONFIG
    from storage.database import make_engine

    config = tmp_path / "config.yaml"
    url = f"sqlite:///{tmp_path}/desk.db"
    config.write_text(BUNDLED_CONFIG.read_text(encoding="utf-8").replace(
        "sqlite:///griddesk.db", url), encoding="utf-8")
    engine = make_engine(url)
    from storage.database import upgrade

    upgrade(engine)
    bot = office_bot(settings, engine)
    morning(bot)
    out = tmp_path / "sheet.xlsx"
    assert main(["export", "--from", "2026-11-23", "--to", "2026-11-23", "--out", str(out),
                 "--config", str(config)]) == 0
    assert "3 件工单" in capsys.readouterr().out
    rows, _, _ = rows_of(out.read_bytes())
    assert len(rows) == 4 and PHONE in str(rows), "the administrator's sheet is complete"
    masked = tmp_path / "street.xlsx"
    assert main(["export", "--from", "2026-11-23", "--out", str(masked), "--as", "zheng_guoqiang",
                 "--config", str(config)]) == 0
    assert PHONE not in str(rows_of(masked.read_bytes())[0])
    with pytest.raises(SystemExit):
        main(["export", "--from", "23.11.2026", "--out", str(out)])
