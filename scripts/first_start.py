"""Count what a fresh clone's ``make start`` prints before the chat begins.

    python3 scripts/first_start.py [--limit 10] [--keep] [--repository PATH]

Clones the repository's committed HEAD into a temporary folder, runs ``make start`` there
with no standard input (so the terminal chat opens, greets and ends at once), no Telegram
token and no database settings from the environment, and counts the lines printed before the
chat's first line (the terminal chat's greeting, ``terminal.hello`` in
``services/data/dialogue.*.toml``). Exits 0 when they are at most ``--limit``, 1 when there
are more or the chat never started. Standard library only: it runs before any set-up.

It takes as long as a first set-up (about a minute with pip's cache warm), which is why it is a
command (``make first-start-check``) and not part of ``make test``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIMIT = 10
# Settings a developer may have exported that a fresh machine would not have.
_SETTINGS = ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "DATA_DIR", "HUBS_FILE", "VIRTUAL_ENV")


def chat_openings(root: Path = ROOT) -> tuple[str, ...]:
    """The greeting the terminal chat opens with, up to its first placeholder, per language."""
    openings = []
    for path in sorted((root / "services" / "data").glob("dialogue.*.toml")):
        hello = tomllib.loads(path.read_text(encoding="utf-8"))["terminal"]["hello"]
        forms = hello.values() if isinstance(hello, dict) else [hello]  # plural forms or one
        openings.extend(form.split("{", 1)[0] for form in forms)
    return tuple(openings)


def lines_before_chat(output: str, openings: tuple[str, ...]) -> list[str] | None:
    """The lines of ``output`` before the first one that opens the chat; ``None`` if none does.

    >>> lines_before_chat("Setting up\\nSet up.\\nHi (3 makers)\\nbye\\n", ("Hi (",))
    ['Setting up', 'Set up.']
    >>> lines_before_chat("Traceback ...\\n", ("Hi (",)) is None
    True
    """
    lines = output.splitlines()
    for number, line in enumerate(lines):
        if line.startswith(openings):
            return lines[:number]
    return None


def run_first_start(repository: Path, workdir: Path) -> tuple[int, str, float]:
    """Clone ``repository`` into ``workdir`` and run ``make start``: exit code, output, seconds."""
    clone = workdir / "spok-bot"
    subprocess.run(
        ["git", "clone", "--quiet", str(repository), str(clone)],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    environment = {k: v for k, v in os.environ.items() if k not in _SETTINGS}
    started = time.monotonic()
    finished = subprocess.run(
        ["make", "--no-print-directory", "start"],
        cwd=clone,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1800,
        check=False,
    )
    return finished.returncode, finished.stdout, time.monotonic() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=LIMIT, help=f"default {LIMIT}")
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is shown)")
    parser.add_argument("--repository", type=Path, default=ROOT, help="default: this one")
    args = parser.parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="spok-first-start-"))
    try:
        code, output, seconds = run_first_start(args.repository, workdir)
    finally:
        if not args.keep:
            subprocess.run(["rm", "-rf", str(workdir)], check=False)
    before = lines_before_chat(output, chat_openings())
    if before is None:
        print(output)
        print(f"make start exited {code} after {seconds:.0f} s and never opened the chat.")
        return 1
    for line in before:
        print(f"  | {line}")
    verdict = "ok" if len(before) <= args.limit else "too many"
    print(
        f"{len(before)} lines before the chat (limit {args.limit}: {verdict}); "
        f"make start took {seconds:.0f} s and exited {code}."
    )
    if args.keep:
        print(f"The clone: {workdir / 'spok-bot'}")
    return 0 if len(before) <= args.limit and code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
