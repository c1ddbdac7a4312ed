# ruff: noqa: F811  (pytest fixtures are imported by name and then requested as arguments)
"""Starting `griddesk run`: a missing or contradictory setting is one line naming it,
never a traceback; once running, one line says what runs; and no secret is printed
at any log level — `griddesk -v run` against the real WeChat gateway and the
loopback Bot API is searched for both tokens."""

from __future__ import annotations

import socket

import pytest

from bot.serve import describe_database, wanted_platforms
from bot.settings import ConfigError
from tests.bot_process import BotProcess, write_config
from tests.telegram.fixtures import BUILDING_3, RESIDENT, bot_api  # noqa: F401
from tests.telegram.server import TOKEN as TELEGRAM_TOKEN
from tests.wechat.fixtures import anyio_backend, gateway  # noqa: F401
from tests.wechat.gateway import BUILDING_3 as ROOM_3
from tests.wechat.gateway import TOKEN as WECHAT_TOKEN
from tests.wechat.gateway import ZHANG

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(("env", "names"), [
    ({"WECHATY_PUPPET_SERVICE_TOKEN": "insecure_x"}, "WECHATY_PUPPET_SERVICE_ENDPOINT"),
    ({"WECHATY_PUPPET_SERVICE_ENDPOINT": "127.0.0.1:8788"}, "WECHATY_PUPPET_SERVICE_TOKEN is not"),
    ({"WECHATY_PUPPET_SERVICE_TOKEN": "insecure_x", "WECHATY_PUPPET_SERVICE_ENDPOINT": "gateway"},
     "must be host:port"),
    ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN does not look like a bot token"),
    ({}, "no platform to run"),
])
def test_a_missing_or_contradictory_secret_is_one_line_naming_it(settings, env, names):
    with pytest.raises(ConfigError) as caught:
        wanted_platforms(settings, env)
    assert names in str(caught.value) and "\n" not in str(caught.value)
    assert "insecure_x" not in str(caught.value) and "not-a-token" not in str(caught.value)


def test_a_token_for_a_platform_nobody_uses_is_a_warning_not_a_start(settings):
    only_console = settings.model_copy(update={
        "chats": [c for c in settings.chats if c.platform == "console"],
        "staff": [s.model_copy(update={"identities": {"console": s.name}}) for s in settings.staff]})
    with pytest.raises(ConfigError, match="no platform"):
        wanted_platforms(only_console, {"TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN})
    run, warnings = wanted_platforms(settings, {"TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN})
    assert run == ["telegram"] and warnings == [
        "wechat is configured but WECHATY_PUPPET_SERVICE_TOKEN is not set: WeChat is not started"]


def test_the_database_is_named_without_its_password():
    assert describe_database("postgresql+psycopg://griddesk:s3cret@127.0.0.1:5432/griddesk") == \
        "PostgreSQL griddesk@127.0.0.1/griddesk"
    assert describe_database("sqlite:///griddesk.db") == "SQLite griddesk.db"


async def test_a_token_without_an_endpoint_stops_with_one_line(tmp_path):
    config = write_config(tmp_path, f"sqlite:///{tmp_path}/griddesk.db")
    bot = await BotProcess(config, {"WECHATY_PUPPET_SERVICE_TOKEN": "insecure_x"}).start()
    assert await bot.wait() == 2
    assert bot.lines == ["配置错误 / config error: WECHATY_PUPPET_SERVICE_TOKEN is set but no gateway "
                         "endpoint: set WECHATY_PUPPET_SERVICE_ENDPOINT (host:port) or "
                         "wechat.endpoint in the config\n"]


async def test_a_database_out_of_reach_stops_with_one_line(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_config(tmp_path, f"postgresql+psycopg://griddesk:pw-s3cret@127.0.0.1:{port}/griddesk")
    bot = await BotProcess(config, {"TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN}).start()
    assert await bot.wait() == 2
    [line] = [line for line in bot.lines if "WARNING" not in line]
    assert line.startswith(f"无法启动 / cannot start: database PostgreSQL griddesk@127.0.0.1:{port}/griddesk: ")
    assert "Traceback" not in bot.output and "pw-s3cret" not in bot.output


@pytest.mark.parametrize("verbose", [True, False], ids=["-v", "default level"])
async def test_running_on_both_platforms_prints_no_secret(gateway, bot_api, tmp_path, verbose):
    config = write_config(tmp_path, f"sqlite:///{tmp_path}/griddesk.db",
                          telegram={"api_url": bot_api.url, "poll_timeout": 1})
    env = {"TELEGRAM_BOT_TOKEN": TELEGRAM_TOKEN, "WECHATY_PUPPET_SERVICE_TOKEN": WECHAT_TOKEN,
           "WECHATY_PUPPET_SERVICE_ENDPOINT": gateway.endpoint}
    bot = await BotProcess(config, env, *(["-v"] if verbose else [])).start()
    try:
        started = await bot.wait_for_line("GridDesk ")
        await gateway.wait_for(lambda: "wechat: logged in" in bot.output or not verbose)
        bot_api.post(BUILDING_3, RESIDENT, "3号楼楼道灯坏了")
        await gateway.say(ZHANG, "3号楼水管漏水了", room=ROOM_3)
        await bot_api.wait_sent(BUILDING_3.id, timeout=20)
        await gateway.wait_sent(ROOM_3, timeout=20)
    finally:
        assert await bot.stop() == 0
    assert started.startswith("GridDesk ") and started.rstrip().endswith(
        f": wechat 3 rooms, telegram 2 groups, SQLite {tmp_path}/griddesk.db")
    output = bot.output
    for secret in (TELEGRAM_TOKEN, TELEGRAM_TOKEN.split(":")[1], WECHAT_TOKEN, "123456%3A"):
        assert secret not in output, f"{secret!r} printed"
    if verbose:
        assert output.count(" DEBUG ") > 20, "the debug output was there to be searched"
        assert "***" in output, "and the tokens were in it, masked"
    else:
        assert bot.lines == [started], "at the default level: one line that says what runs"
