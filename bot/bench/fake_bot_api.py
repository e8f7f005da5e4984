"""A local fake Telegram Bot API server (loopback only, stdlib only), for the end-to-end tests
and ``spok-bot bench followups``.

It serves ``/bot<token>/<method>`` like api.telegram.org does, records every call, and hands
queued updates to ``getUpdates`` long polls (or, after ``setWebhook``, leaves the posting to the
test). Tests wait for the bot's calls on a condition, never by sleeping::

    with FakeBotApi(token) as api:
        api.push(user.command("start"))
        api.wait_for(lambda calls: any(c.method == "sendMessage" for c in calls), timeout=10)

Each call carries the ``time.monotonic()`` it arrived at (one clock for every process on the
machine), so a benchmark can count sends per second where Telegram would. ``keep`` trims what
is stored of each call's parameters (a benchmark sending 100,000 messages keeps the chat id and
the first button only).
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from bot.bench.offline import MessageIds, api_result

LONG_POLL_CAP_S = 5.0  # a getUpdates never hangs longer, whatever timeout the bot asked for


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    result: Any
    at: float = 0.0  # time.monotonic() when the call arrived
    error_code: int | None = None  # set when the call was refused (see FakeBotApi.fail_next)


@dataclass(frozen=True)
class Failure:
    error_code: int
    description: str
    parameters: dict[str, Any] | None = None


def first_button(params: dict[str, Any]) -> str | None:
    """The callback data of the first inline button of a sent message, if it has one."""
    markup = params.get("reply_markup")
    if isinstance(markup, dict):
        for row in markup.get("inline_keyboard") or ():
            for button in row:
                data = button.get("callback_data")
                if data is not None:
                    return str(data)
    return None


def chat_and_button(params: dict[str, Any]) -> dict[str, Any]:
    """A ``keep`` for benchmarks: the chat id and the first button's callback data only."""
    return {"chat_id": params.get("chat_id"), "button": first_button(params)}


Keep = Callable[[dict[str, Any]], dict[str, Any]]


class FakeBotApi:
    def __init__(self, token: str, *, keep: Keep | None = None) -> None:
        self.token = token
        self._keep = keep
        self.calls: list[Call] = []
        self.webhook: dict[str, Any] | None = None
        self._updates: list[dict[str, Any]] = []
        self._failures: dict[str, list[Failure]] = {}
        self._changed = threading.Condition()
        self._closing = False
        self._message_ids = MessageIds()
        self._server = _QuietServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- life ---------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/bot"

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._server.shutdown()
        self._server.server_close()

    # -- what tests use -----------------------------------------------------------------------

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update for the bot's next getUpdates."""
        with self._changed:
            self._updates.append(update)
            self._changed.notify_all()

    def wait_for(
        self, predicate: Callable[[list[Call]], bool], *, timeout: float = 15.0
    ) -> list[Call]:
        with self._changed:
            if not self._changed.wait_for(lambda: predicate(self.calls), timeout=timeout):
                methods = [call.method for call in self.calls[-15:]]
                raise TimeoutError(f"the bot did not do that in {timeout} s; last: {methods}")
            return list(self.calls)

    def sent(self, since: int = 0) -> list[Call]:
        """sendMessage/sendPhoto calls from index ``since`` of :attr:`calls` on (refused ones
        left out: they did not reach the chat)."""
        with self._changed:
            return [
                c
                for c in self.calls[since:]
                if c.method in ("sendMessage", "sendPhoto") and c.error_code is None
            ]

    def refused(self) -> list[Call]:
        """The calls answered with an error (:meth:`fail_next`)."""
        with self._changed:
            return [c for c in self.calls if c.error_code is not None]

    def fail_next(
        self,
        method: str,
        error_code: int,
        description: str,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        """Answer the next call of ``method`` with this error, e.g. ``fail_next("sendMessage",
        429, "Too Many Requests: retry after 3", {"retry_after": 3})``."""
        with self._changed:
            self._failures.setdefault(method, []).append(
                Failure(error_code, description, parameters)
            )

    def mark(self) -> int:
        with self._changed:
            return len(self.calls)

    # -- serving ------------------------------------------------------------------------------

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getUpdates":
            return self._long_poll(params)
        at = time.monotonic()
        with self._changed:
            queued = self._failures.get(method)
            if queued:
                failure = queued.pop(0)
                kept = self._keep(params) if self._keep is not None else params
                self.calls.append(Call(method, kept, None, at, failure.error_code))
                self._changed.notify_all()
                return failure
        result = api_result(method, params, self._message_ids)
        with self._changed:
            if method == "setWebhook":
                self.webhook = params
            elif method == "deleteWebhook":
                self.webhook = None
            kept = self._keep(params) if self._keep is not None else params
            self.calls.append(Call(method, kept, result, at))
            self._changed.notify_all()
        return result

    def _long_poll(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = min(float(params.get("timeout") or 0), LONG_POLL_CAP_S)
        with self._changed:
            # Confirmed updates (below the offset) are gone for good, as on Telegram.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._changed.wait_for(lambda: bool(self._updates) or self._closing, timeout=timeout)
            batch = list(self._updates)
            self.calls.append(Call("getUpdates", params, batch, time.monotonic()))
            self._changed.notify_all()
            return batch

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Answers go out in several small writes; with Nagle's algorithm each keep-alive
            # request would then wait for the client's delayed ACK (~40 ms on Linux).
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                self._serve()

            def do_GET(self) -> None:
                self._serve()

            def _serve(self) -> None:
                path = urlsplit(self.path).path
                prefix = f"/bot{api.token}/"
                if not path.startswith(prefix):
                    self._reply(HTTPStatus.NOT_FOUND, {"ok": False, "error_code": 404})
                    return
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                params = _parse(self.headers.get("Content-Type", ""), body)
                result = api._answer(path[len(prefix) :], params)
                if isinstance(result, Failure):
                    refusal: dict[str, Any] = {
                        "ok": False,
                        "error_code": result.error_code,
                        "description": result.description,
                    }
                    if result.parameters:
                        refusal["parameters"] = result.parameters
                    self._reply(HTTPStatus(result.error_code), refusal)
                    return
                self._reply(HTTPStatus.OK, {"ok": True, "result": result})

            def _reply(self, status: HTTPStatus, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the bot gave up on a long poll while shutting down

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the request line carries the token

        return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A bot killed mid-request (the chaos tests kill -9) resets its connections: expected,
        not worth a traceback. Anything else is reported as usual."""
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _parse(content_type: str, body: bytes) -> dict[str, Any]:
    """PTB posts form fields whose non-string values are JSON (``reply_markup``, ``commands``)."""
    if not body:
        return {}
    if content_type.startswith("application/json"):
        parsed: dict[str, Any] = json.loads(body)
        return parsed
    params: dict[str, Any] = {}
    for key, value in parse_qsl(body.decode(), keep_blank_values=True):
        if key not in ("text", "caption") and _looks_like_json(value):
            try:
                params[key] = json.loads(value)
                continue
            except ValueError:
                pass
        params[key] = value
    return params


@contextmanager
def fake_bot_api(token: str) -> Iterator[FakeBotApi]:
    with FakeBotApi(token) as api:
        yield api


def _looks_like_json(value: str) -> bool:
    return value[:1] in ("{", "[") or value.lstrip("-").isdigit() or value in ("true", "false")
