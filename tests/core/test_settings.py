"""Settings in one place: every environment variable is read in phoihop/settings.py, through
its `_env*` readers, and the README's configuration table lists exactly those variables."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "phoihop"
SETTINGS = SRC / "settings.py"
READERS = {"_env", "_env_bool", "_env_int", "_env_float", "_env_list", "_env_path"}


def _settings_tree() -> ast.Module:
    return ast.parse(SETTINGS.read_text(encoding="utf-8"))


def variables_read() -> set[str]:
    """Names passed to the `_env*` readers in settings.py."""
    names: set[str] = set()
    for node in ast.walk(_settings_tree()):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in READERS
        ):
            first = node.args[0]
            assert isinstance(first, ast.Constant) and isinstance(first.value, str), (
                f"line {node.lineno}: the variable's name must be a literal"
            )
            names.add(first.value)
    return names


def variables_documented() -> dict[str, str]:
    """The README table: variable → its default (first column, one variable a row)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration (environment variables)", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and (match := re.fullmatch(r"`([A-Z][A-Z0-9_]*)`", cells[0])):
            assert match.group(1) not in rows, f"{match.group(1)} is listed twice"
            rows[match.group(1)] = cells[1]
    return rows


def _environ_reads(tree: ast.AST) -> list[int]:
    """Lines that read the environment: os.environ[...], .get, os.getenv."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            target = ast.unparse(node.func)
            if target in {"os.environ.get", "os.getenv", "environ.get", "getenv"}:
                lines.append(node.lineno)
        if (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.ctx, ast.Load)
        ):
            lines.append(node.lineno)
    return lines


def test_the_readme_table_lists_every_variable_settings_read_and_no_other() -> None:
    read = variables_read()
    documented = variables_documented()
    assert len(read) > 40  # the parser found the readers
    assert sorted(read - documented.keys()) == [], "read but not in the README table"
    assert sorted(documented.keys() - read) == [], "in the README table but never read"
    assert all(documented.values()), "every row gives its default"


def test_only_the_readers_in_settings_touch_os_environ() -> None:
    tree = _settings_tree()
    readers = [
        node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name in READERS
    ]
    inside = {n.lineno for r in readers for n in ast.walk(r) if hasattr(n, "lineno")}
    outside = [line for line in _environ_reads(tree) if line not in inside]
    assert outside == [], f"settings.py reads os.environ outside its readers on lines {outside}"


def test_no_other_module_reads_the_environment() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if path == SETTINGS:
            continue
        lines = _environ_reads(ast.parse(path.read_text(encoding="utf-8")))
        offenders += [f"{path.relative_to(ROOT)}:{line}" for line in lines]
    assert offenders == []


def _settings_in(env: dict[str, str], expression: str, *, setup: bool = True) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    if not setup:
        code = f"import phoihop.settings as settings; print({expression})"
    base = {k: v for k, v in os.environ.items() if not k.startswith("PHOIHOP_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DJANGO_SETTINGS_MODULE": "phoihop.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_importing_settings_creates_no_folder_but_the_key_file(tmp_path: Path) -> None:
    """Only the generated secret key is written on import; var/static is made at start-up,
    media, triage and embeddings folders by the code that first writes them."""
    var = tmp_path / "var"
    key = tmp_path / "keys" / "secret.key"
    key.parent.mkdir()
    out = _settings_in(
        {"PHOIHOP_VAR_DIR": str(var), "PHOIHOP_SECRET_KEY_FILE": str(key)},
        "settings.STATIC_ROOT",
        setup=False,
    )
    assert out == str(var / "static")
    assert key.exists()
    assert not var.exists()
    _settings_in({"PHOIHOP_VAR_DIR": str(var), "PHOIHOP_SECRET_KEY_FILE": str(key)}, "1")
    assert sorted(p.name for p in var.iterdir()) == ["static"]


def test_variables_take_effect_and_bad_numbers_are_refused(tmp_path: Path) -> None:
    env = {
        "PHOIHOP_VAR_DIR": str(tmp_path),
        "PHOIHOP_PROVINCE_CODE": "4",
        "PHOIHOP_IMPORT_STALE_SECONDS": "90",
        "PHOIHOP_TTS_COMMAND": "off",
        "PHOIHOP_PORTAL_CACHE_SECONDS": "0",
        "PHOIHOP_BROKER_URL": "redis://127.0.0.1:6379/9",
        "PHOIHOP_GUIDANCE_ACK_DAYS": "7",
    }
    out = _settings_in(
        env,
        "settings.PHOIHOP_PROVINCE_CODE, settings.PHOIHOP_TRIAGE_PARTITION, "
        "settings.PHOIHOP_IMPORT_STALE_SECONDS, settings.PORTAL_TTS_COMMAND, "
        "settings.PORTAL_PAGE_CACHE_SECONDS, settings.PHOIHOP_BROKER_URL, "
        "settings.PHOIHOP_GUIDANCE_ACK_MAX_AGE.days",
    )
    assert out == "4 4 90.0 off 0 redis://127.0.0.1:6379/9 7"
    with pytest.raises(AssertionError, match="PHOIHOP_INTAKE_MAX_ROWS"):
        _settings_in({"PHOIHOP_VAR_DIR": str(tmp_path), "PHOIHOP_INTAKE_MAX_ROWS": "nhiều"}, "1")


def test_dates_are_dd_mm_yyyy_in_every_language() -> None:
    import datetime as dt

    from django.utils import formats, translation

    day = dt.date(2026, 3, 7)
    for language in ("vi", "en"):
        with translation.override(language):
            assert formats.date_format(day, "SHORT_DATE_FORMAT") == "07/03/2026"
            assert formats.date_format(day) == "07/03/2026"
