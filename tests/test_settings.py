"""Config validation: every problem names its key path; the CLI exits non-zero."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.settings import BUNDLED_CONFIG, ConfigError, load_settings

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, data: dict) -> Path:  # type: ignore[type-arg]
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def sample() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))


def test_bundled_config_is_valid_and_realistic():
    settings = load_settings()
    directory = settings.directory()
    assert len(directory.communities) == 2 and len(directory.grids) >= 4
    assert sum(len(g.buildings) for g in directory.grids.values()) >= 20
    assert directory.grid_of("JL", "3") == "JL-1"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda c: c["communities"][0]["grids"][1]["buildings"].append("1"),
         "communities[0].grids[1].buildings: building '1' is already in grid JL-1"),
        (lambda c: c["chats"][0].update(buildings=["99"]), "chats[0].buildings[0]: unknown building '99'"),
        (lambda c: c["staff"][0].pop("backup"), "staff[0].backup: grid worker 王芳 has no backup"),
        (lambda c: c["staff"][0].update(backup="nobody"), "staff[0].backup: unknown staff id 'nobody'"),
        (lambda c: c["staff"][0].update(grids=["XX-9"]), "staff[0].grids[0]: unknown grid 'XX-9'"),
        (lambda c: c["hotlines"].update(flood_of_frogs="x"), "hotlines.flood_of_frogs"),
        (lambda c: c["sla"].update(urgent={"acknowledge": "soon", "resolve": "1h"}),
         "sla.urgent.acknowledge"),
        (lambda c: c["sla"].update(very_urgent={"acknowledge": "5m", "resolve": "1h"}), "sla.very_urgent"),
        (lambda c: c.update(timezone="Mars/Olympus"), "timezone: Value error, unknown timezone"),
        (lambda c: c["staff"][1]["identities"].update(telegram="1001"),
         "staff[1].identities.telegram: '1001' is already wang_fang's"),
        (lambda c: c["chats"].append(dict(c["chats"][0])), "is configured twice"),
        (lambda c: c["staff"][0].update(role="mayor"), "staff[0].role"),
        (lambda c: c.pop("street"), "street: Field required"),
    ],
)
def test_errors_name_the_key(tmp_path, sample, mutate, expected):
    mutate(sample)
    with pytest.raises(ConfigError) as error:
        load_settings(write(tmp_path, sample))
    assert expected in str(error.value)


@pytest.mark.parametrize("content", [b"", b"- just\n- a list\n", b"street: [unclosed", b"\xff\xfe\x00bad"])
def test_unreadable_files_get_a_clear_error(tmp_path, content):
    path = tmp_path / "config.yaml"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match="config.yaml"):
        load_settings(path)


def test_check_config_command_exits_non_zero_naming_the_key(tmp_path, sample):
    sample["chats"][0]["community"] = "NOPE"
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "check-config", str(write(tmp_path, sample))],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 2
    assert "chats[0].community: unknown community 'NOPE'" in result.stderr
    ok = subprocess.run([sys.executable, "-m", "bot.cli", "check-config"], capture_output=True,
                        text=True, cwd=ROOT)
    assert ok.returncode == 0 and ok.stdout.startswith("OK")


def test_run_without_any_platform_secret_says_what_to_set(tmp_path):
    env = {k: v for k, v in __import__("os").environ.items()
           if not k.startswith(("TELEGRAM", "WECHATY"))}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "run"], capture_output=True, text=True,
                            cwd=ROOT, env={**env, "GRIDDESK_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"},
                            timeout=60)
    assert result.returncode == 2
    assert "TELEGRAM_BOT_TOKEN" in result.stderr and "WECHATY_PUPPET_SERVICE_TOKEN" in result.stderr
