"""The shape the code promises: a framework-free core, SDKs only at the edges."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FRAMEWORKS = {"telegram", "wechaty", "wechaty_puppet", "wechaty_puppet_service", "apscheduler",
              "sqlalchemy", "sqlmodel", "psycopg", "pydantic", "matplotlib", "yaml", "alembic"}
CHAT_SDKS = {"telegram", "wechaty", "wechaty_puppet", "wechaty_puppet_service"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_core_imports_no_framework():
    for path in (ROOT / "handlers").rglob("*.py"):
        used = imported_roots(path) & (FRAMEWORKS | {"bot", "storage", "schedules"})
        assert not used, f"{path.relative_to(ROOT)} imports {used}"


def test_only_platform_modules_import_chat_sdks():
    for folder in ("handlers", "storage", "schedules"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not imported_roots(path) & CHAT_SDKS, path
    for path in (ROOT / "bot").glob("*.py"):
        if imported_roots(path) & CHAT_SDKS:
            assert path.stem.startswith(("telegram", "wechat")), path


def test_only_storage_commits():
    for folder in ("handlers", "bot", "schedules"):
        for path in (ROOT / folder).rglob("*.py"):
            assert ".commit()" not in path.read_text(encoding="utf-8"), path


def test_lint_and_types_are_clean():
    """ruff over the tree and mypy --strict over the core, as pyproject.toml sets them."""
    import subprocess
    import sys

    bin_dir = Path(sys.executable).parent
    ruff = subprocess.run([bin_dir / "ruff", "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert ruff.returncode == 0, ruff.stdout
    mypy = subprocess.run([bin_dir / "mypy", "handlers"], cwd=ROOT, capture_output=True, text=True)
    assert mypy.returncode == 0, mypy.stdout
