"""The dependency rule: the matching core imports nothing from the bot, storage or services."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_matching_is_pure() -> None:
    for path, names in imported_packages("matching").items():
        assert not names & {"bot", "storage", "services", "telegram", "sqlmodel", "sqlalchemy"}, (
            path
        )


def test_storage_knows_nothing_of_the_bot_or_services() -> None:
    for path, names in imported_packages("storage").items():
        assert not names & {"bot", "services", "telegram"}, path


def test_services_know_nothing_of_the_bot() -> None:
    for path, names in imported_packages("services").items():
        assert not names & {"bot", "telegram"}, path


def test_no_product_module_imports_the_benchmarks() -> None:
    """``bot/bench/`` (benchmarks, the fake Bot API) is shipped for ``spok-bot bench`` only."""
    for package in ("bot", "services", "storage", "matching"):
        for path, names in imported_modules(package).items():
            if path.startswith("bot/bench/") or path == "bot/commands/bench.py":
                continue
            assert not any(n == "bot.bench" or n.startswith("bot.bench.") for n in names), path


def imported_modules(package: str) -> dict[str, set[str]]:
    """Every module each file imports, by its full dotted name."""
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
        found[str(path.relative_to(ROOT))] = names
    return found


def test_telegram_features_do_not_import_each_other() -> None:
    """A feature folder in ``bot/telegram/`` changes without reading the others: it may import
    ``transport/``, the typed services (``context.py``) and itself; only ``app.py`` wires them."""
    features = {
        p.name for p in (ROOT / "bot" / "telegram").iterdir() if (p / "__init__.py").exists()
    } - {"transport"}
    assert {"designer", "catalogue", "followups", "hubs", "insight", "introductions"} <= features
    for path, names in imported_modules("bot/telegram").items():
        parts = path.split("/")
        if len(parts) < 4 or parts[2] not in features:
            continue
        own = parts[2]
        for name in names:
            segments = name.split(".")
            if segments[:2] == ["bot", "telegram"] and len(segments) > 2:
                assert segments[2] in {own, "transport", "context"}, (path, name)
