"""The command line imports a sub-command only when it runs."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from bot.cli import COMMANDS, build_parser, main

HEAVY = ("sqlalchemy", "sqlmodel", "telegram", "numpy", "alembic", "services", "storage")


def _imported_after(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running ``code``."""
    probe = f"{code}\nimport sys\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    return set(out.strip().splitlines()[-1].split())


def test_help_imports_no_sub_command() -> None:
    loaded = _imported_after(
        "import contextlib, io\n"
        "from bot.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['--help'])"
    )
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_a_sub_command_imports_only_its_own_module() -> None:
    loaded = _imported_after(
        "import contextlib, io\n"
        "from bot.cli import main\n"
        "with contextlib.suppress(SystemExit), contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['hubs', '--help'])\n"
        "import sys\n"
        "assert 'bot.commands.hubs' in sys.modules\n"
        "assert not {'bot.commands.bench', 'bot.commands.run', 'bot.telegram'} & set(sys.modules)"
    )
    assert "telegram" not in loaded


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_module_registers_the_name_and_help_line_the_table_shows(name: str) -> None:
    module, help_line = COMMANDS[name]
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    importlib.import_module(module).register(sub)
    (action,) = (a for a in sub._choices_actions)  # what `spok-bot --help` lists
    assert (action.dest, action.help) == (name, help_line)


def test_help_lists_every_sub_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for name, (_, help_line) in COMMANDS.items():
        assert name in out
        assert help_line.split()[0] in out


def test_an_unknown_sub_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        build_parser(None).parse_args(["frobnicate"])
    assert exit_.value.code == 2
    assert "invalid choice" in capsys.readouterr().err
