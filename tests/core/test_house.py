"""The house stays readable: no module under src/ over 500 lines, migrations apart. A module
that grows past it becomes a package of one module per topic (as `cases.services` and
`intake.services` did), re-exporting its public names."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 500


def _modules(root: Path) -> dict[str, int]:
    """Every module under root/src but migrations, by its path from root, with its lines."""
    return {
        path.relative_to(root).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted((root / "src").rglob("*.py"))
        if "migrations" not in path.parts
    }


def _over(modules: dict[str, int]) -> list[str]:
    return [
        f"{name}: {lines} lines (limit {LIMIT})" for name, lines in modules.items() if lines > LIMIT
    ]


def test_no_module_is_over_the_limit() -> None:
    modules = _modules(ROOT)
    assert "src/phoihop/cases/services/issues.py" in modules  # the walk found the package
    over = _over(modules)
    assert over == [], "split into a package, one module per topic: " + "; ".join(over)


def test_the_check_names_each_long_module_and_skips_migrations(tmp_path: Path) -> None:
    def write(name: str, lines: int) -> None:
        path = tmp_path / "src" / "app" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n" * lines, encoding="utf-8")

    write("short.py", LIMIT)
    write("long.py", LIMIT + 1)
    write("migrations/0001_initial.py", 2000)
    modules = _modules(tmp_path)
    assert sorted(modules) == ["src/app/long.py", "src/app/short.py"]
    assert _over(modules) == ["src/app/long.py: 501 lines (limit 500)"]
