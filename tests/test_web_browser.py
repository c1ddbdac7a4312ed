"""The web desk in a real browser: Debian's chromium driven by selenium, against the
app served by uvicorn on loopback, on PostgreSQL.

Screenshots go to the test's tmp dir, or to $GRIDDESK_SCREENSHOTS if set.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handlers.handover import COLUMNS
from tests.databases import postgres_engine
from tests.office_fixtures import PHONE, login_link, morning, office_bot

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1400,1000", "--lang=zh-CN")

pytestmark = pytest.mark.postgres


def _need_browser() -> None:
    if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
        if os.environ.get("CI"):
            pytest.fail("chromium and chromium-driver must be installed in CI (.ci/run)")
        pytest.skip("no chromium: apt-get install -y chromium chromium-driver")
    pytest.importorskip("selenium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def desk(settings, tmp_path) -> Iterator[tuple[object, str]]:  # type: ignore[no-untyped-def]
    """The morning on PostgreSQL, and the web desk serving it on a loopback port."""
    _need_browser()
    import uvicorn

    from bot.web.app import create_app

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    settings = settings.model_copy(update={"web": settings.web.model_copy(update={"base_url": base})})
    with postgres_engine() as engine:
        bot = office_bot(settings, engine)
        morning(bot)
        bot.say("jl-3", "小明", "<script>document.title='x'</script> 4号楼电梯坏了")
        app = create_app(settings, engine, lambda: bot.now, bot.runtime.desk)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        for _ in range(100):
            if server.started:
                break
            time.sleep(0.05)
        try:
            yield bot, base
        finally:
            server.should_exit = True
            thread.join(10)


@pytest.fixture
def browser(tmp_path) -> Iterator[object]:  # type: ignore[no-untyped-def]
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads), "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.downloads = downloads  # type: ignore[attr-defined]
    driver.implicitly_wait(5)  # a click's page load finishes before elements are looked up
    try:
        yield driver
    finally:
        driver.quit()


def shot(driver, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / f"{name}.png"
    driver.save_screenshot(str(path))
    target = os.environ.get("GRIDDESK_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def landed(driver, url: str, exact: bool = True) -> None:  # type: ignore[no-untyped-def]
    """Wait for the page a click leads to (a click returns before the page has loaded)."""
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 15).until(ec.url_to_be(url) if exact else ec.url_contains(url))


def sign_in(driver, base: str, bot, staff_id: str) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/login/{login_link(bot.engine, staff_id, bot.now)}")
    driver.find_element(By.ID, "enter").click()
    landed(driver, f"{base}/tickets")


def test_a_worker_logs_in_filters_acts_and_downloads_the_sheet(desk, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    bot, base = desk
    driver = browser
    driver.get(f"{base}/tickets")
    assert driver.current_url == f"{base}/login" and "网页" in driver.page_source

    sign_in(driver, base, bot, "wang_fang")
    shot(driver, tmp_path, "tickets")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.tickets tbody tr")
    assert len(rows) == 2, "王芳 sees her grid's two tickets"
    assert "<script>document.title='" in rows[0].text, "shown as text, not run"
    assert driver.title != "x"

    Select(driver.find_element(By.NAME, "category")).select_by_visible_text("供电照明")
    driver.find_element(By.ID, "apply").click()
    landed(driver, "category=power_lighting", exact=False)
    rows = driver.find_elements(By.CSS_SELECTOR, "table.tickets tbody tr")
    assert len(rows) == 1
    assert "楼道灯坏了" in rows[0].text and "3号楼601室" in rows[0].text

    rows[0].find_element(By.TAG_NAME, "a").click()
    landed(driver, f"{base}/tickets/", exact=False)
    assert PHONE in driver.find_element(By.CSS_SELECTOR, "dl.facts").text
    driver.find_element(By.ID, "do-ack").click()
    assert "已接单 #0001" in driver.find_element(By.CSS_SELECTOR, ".flash").text
    assert "接单" in driver.find_element(By.ID, "timeline").text
    shot(driver, tmp_path, "ticket")
    told = bot.at(bot.now + timedelta(seconds=5))  # the bot's outbox flush
    assert ("jl-3", "#0001 网格员王芳已接单,正在处理。") in told

    driver.get(f"{base}/tickets")
    driver.find_element(By.ID, "export").click()
    for _ in range(100):
        done = [p for p in driver.downloads.iterdir() if p.suffix == ".xlsx"]
        if done:
            break
        time.sleep(0.1)
    [sheet] = done
    book = load_workbook(io.BytesIO(sheet.read_bytes()))
    rows = list(book["问题交接单"].iter_rows(values_only=True))
    assert rows[0] == COLUMNS and len(rows) == 3
    assert rows[1][7] == "王芳" and rows[1][8] is not None, "接单时间 is there after the web action"

    driver.get(f"{base}/digest")
    assert "吉利第一网格" in driver.page_source
    shot(driver, tmp_path, "digest")


def test_the_street_leader_sees_everything_but_no_phone_numbers(desk, browser, tmp_path):
    from selenium.webdriver.common.by import By

    bot, base = desk
    driver = browser
    sign_in(driver, base, bot, "zheng_guoqiang")
    assert len(driver.find_elements(By.CSS_SELECTOR, "table.tickets tbody tr")) == 4
    for path in ("/tickets", "/digest", "/staff"):
        driver.get(base + path)
        assert PHONE not in driver.page_source and "601" not in driver.page_source, path
    driver.find_element(By.LINK_TEXT, "工单").click()
    landed(driver, f"{base}/tickets")
    driver.find_element(By.PARTIAL_LINK_TEXT, "吉利社区 #0001").click()
    landed(driver, f"{base}/tickets/", exact=False)
    page = driver.page_source
    assert PHONE not in page and "138****5678" in page and "张**" in page
    shot(driver, tmp_path, "ticket_street_leader")
    driver.get(f"{base}/staff")
    shot(driver, tmp_path, "staff")
    driver.find_element(By.CSS_SELECTOR, "header form button").click()
    landed(driver, f"{base}/login")
    driver.get(f"{base}/tickets")
    assert driver.current_url == f"{base}/login", "signed out"
