"""``spok-bot run`` as its own process against a local fake Bot API server (loopback only): a
designer from /start to introduction requests, by long polling and behind a webhook."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.bench.scripted import Sent, SimulatedPerson, designer_journey, play
from bot.cli import main
from tests.conftest import PostgresDatabases
from tests.fakes.bot_api import FakeBotApi

TOKEN = "987654:E2E-secret-token-value"
WEBHOOK_SECRET = "e2e_webhook-SECRET_42"
EXIT_TIMEOUT_S = 30


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database in tmp_path with the demo catalogue, seeded by ``spok-bot demo seed``."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'spok.db'}"
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["demo", "seed"]) == 0
    return url


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(TOKEN) as api:
        yield api


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_listening(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    """PTB sets the webhook first and opens its server right after; poll the port until then
    (each refusal is instant, so between tries wait briefly on an event that never fires)."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while time.monotonic() < deadline:
        assert process.poll() is None, "the bot exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except ConnectionRefusedError:
            pause.wait(0.02)
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


def start_bot(
    tmp_path: Path,
    api: FakeBotApi,
    database_url: str,
    *args: str,
    log_name: str = "bot.log",
    **env: str,
) -> subprocess.Popen[bytes]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "WEBHOOK_", "DATABASE_", "DATA_DIR"))
    }
    clean.update(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=api.base_url,
        DATABASE_URL=database_url,
        LOG_LEVEL="INFO",
        **env,
    )
    log = (tmp_path / log_name).open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", *args],
        cwd=tmp_path,
        env=clean,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def stop_bot(process: subprocess.Popen[bytes], tmp_path: Path, log_name: str = "bot.log") -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        code = process.wait(timeout=EXIT_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise
    log = (tmp_path / log_name).read_text(encoding="utf-8", errors="replace")
    assert code == 0, log[-3000:]
    return log


def start_webhook_bot(
    tmp_path: Path, api: FakeBotApi, database_url: str, port: int, hook: str, log_name: str
) -> subprocess.Popen[bytes]:
    return start_bot(
        tmp_path,
        api,
        database_url,
        "--webhook",
        log_name=log_name,
        WEBHOOK_URL=hook,
        WEBHOOK_SECRET=WEBHOOK_SECRET,
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT=str(port),
    )


def post_update(hook: str, update: dict[str, Any], secret: str | None = WEBHOOK_SECRET) -> int:
    """POST an update the way Telegram does; the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(hook, json.dumps(update).encode(), headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status: int = response.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


def answer_to(api: FakeBotApi, chat_id: int, mark: int) -> list[Sent]:
    return [
        Sent(
            call.params.get("text") or call.params.get("caption", ""),
            call.params.get("reply_markup"),
        )
        for call in api.sent(mark)
        if call.params.get("chat_id") == chat_id
    ]


def waiting_deliverer(api: FakeBotApi, chat_id: int, post: Any) -> Any:
    """Hands the update over with ``post`` and waits until the expected answer has been sent."""

    def deliver_blocking(update: dict[str, Any], expect: str) -> list[Sent]:
        mark = api.mark()
        post(update)

        def answered(_: object) -> bool:
            answer = answer_to(api, chat_id, mark)
            return any(
                expect in s.text or any(b["text"] == expect for b in s.buttons()) for s in answer
            )

        api.wait_for(answered, timeout=20)
        return answer_to(api, chat_id, mark)

    async def deliver(update: dict[str, Any], expect: str) -> list[Sent]:
        return await asyncio.to_thread(deliver_blocking, update, expect)

    return deliver


def assert_private(log: str) -> None:
    assert TOKEN.split(":")[1] not in log
    assert WEBHOOK_SECRET not in log
    assert "alva@example.se" not in log
    assert "070-123" not in log


async def test_long_polling_designer_journey(
    tmp_path: Path, api: FakeBotApi, database_url: str
) -> None:
    person = SimulatedPerson(81_001, language_code="sv", first_name="Alva")
    process = start_bot(tmp_path, api, database_url)
    try:
        deliver = waiting_deliverer(api, person.user_id, api.push)
        await play(person, designer_journey("sv"), deliver, language="sv")
    finally:
        log = stop_bot(process, tmp_path)
    methods = {call.method for call in api.calls}
    assert {"getMe", "setMyCommands", "deleteWebhook", "answerCallbackQuery"} <= methods
    polls = [call for call in api.calls if call.method == "getUpdates"]
    assert polls and all(json.dumps(call.params) for call in polls)
    assert_private(log)


async def test_webhook_designer_journey_and_secret_check(
    tmp_path: Path, api: FakeBotApi, database_url: str
) -> None:
    port = free_port()
    hook = f"http://127.0.0.1:{port}/telegram/{WEBHOOK_SECRET[:4]}"
    person = SimulatedPerson(81_002, language_code="en", first_name="Alva")
    process = start_webhook_bot(tmp_path, api, database_url, port, hook, "bot.log")

    def post(update: dict[str, Any], secret: str | None = WEBHOOK_SECRET) -> int:
        return post_update(hook, update, secret)

    try:
        api.wait_for(lambda calls: any(c.method == "setWebhook" for c in calls), timeout=20)
        assert api.webhook is not None
        assert api.webhook["url"] == hook
        assert api.webhook["secret_token"] == WEBHOOK_SECRET
        wait_until_listening(port, process, timeout=20)
        # Without the header, or with a wrong one: 403, and the update never reaches the bot.
        mark = api.mark()
        assert post(person.command("start"), secret=None) == 403
        assert post(person.command("start"), secret="not-the-secret") == 403
        deliver = waiting_deliverer(api, person.user_id, lambda update: post(update) == 200)
        await play(person, designer_journey("en"), deliver, language="en")
        first_answer = answer_to(api, person.user_id, mark)
        assert first_answer and "/start" not in first_answer[0].text
    finally:
        log = stop_bot(process, tmp_path)
    assert_private(log)


@pytest.mark.postgres
async def test_two_webhook_processes_on_one_postgres_serve_alternate_updates(
    tmp_path: Path,
    api: FakeBotApi,
    postgres_databases: PostgresDatabases,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Behind a load balancer, each update of one conversation may reach either process."""
    name = postgres_databases.acquire(migrated=True)
    url = postgres_databases.url(name)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("DATABASE_URL", url)
        assert await asyncio.to_thread(main, ["demo", "seed"]) == 0  # it runs its own loop
        ports = [free_port()]
        while len(ports) < 2:  # two probes may, rarely, be handed the same free port
            port = free_port()
            if port not in ports:
                ports.append(port)
        hooks = [f"http://127.0.0.1:{port}/hook" for port in ports]
        for number, (port, hook) in enumerate(zip(ports, hooks, strict=True)):
            processes.append(start_webhook_bot(tmp_path, api, url, port, hook, f"bot{number}.log"))
        for port, process in zip(ports, processes, strict=True):
            wait_until_listening(port, process, timeout=20)
        turn = itertools.count()

        def post_alternately(update: dict[str, Any]) -> None:
            assert post_update(hooks[next(turn) % 2], update) == 200

        person = SimulatedPerson(81_003, language_code="sv", first_name="Alva")
        deliver = waiting_deliverer(api, person.user_id, post_alternately)
        await play(person, designer_journey("sv"), deliver, language="sv")
    finally:
        logs = [stop_bot(p, tmp_path, f"bot{n}.log") for n, p in enumerate(processes)]
        postgres_databases.release(name, migrated=True)
    for log in logs:
        assert_private(log)
