"""A Bot API that never leaves the process: every call is recorded and answered at once.

The benchmark runs a real ``Application`` on it, and the flow tests use it so no test can reach
the network. :func:`api_result` is also what the local fake Bot API server in the tests answers.
"""

from __future__ import annotations

import itertools
import json
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

if TYPE_CHECKING:
    from services.runtime import Runtime

BOT_USER = {
    "id": 7_000_000_001,
    "is_bot": True,
    "first_name": "SPOK",
    "username": "spok_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


@dataclass(frozen=True)
class ApiCall:
    method: str  # e.g. "sendMessage"
    params: dict[str, Any]
    # Uploaded files of a multipart call (sendPhoto, sendDocument, sendMediaGroup with bytes):
    # part name → (file name, content, MIME type).
    files: dict[str, tuple[str, bytes, str]] = field(default_factory=dict)


class MessageIds:
    """Ids for the messages the bot sends, counting up like Telegram's."""

    def __init__(self) -> None:
        self._next = itertools.count(1000)

    def __call__(self) -> int:
        return next(self._next)


def api_result(method: str, params: Mapping[str, Any], message_ids: MessageIds) -> Any:
    """What Telegram would answer to ``method`` (only the fields PTB reads)."""
    if method == "getMe":
        return BOT_USER
    if method == "sendMediaGroup":
        return [
            api_result("sendPhoto", {"chat_id": params.get("chat_id", 0), "photo": item["media"]},
                       message_ids)
            for item in params.get("media", [])
        ]  # fmt: skip
    if method in ("sendMessage", "sendPhoto", "sendDocument", "editMessageText"):
        chat_id = int(params.get("chat_id", 0))
        message: dict[str, Any] = {
            "message_id": int(params.get("message_id") or message_ids()),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
        }
        if method == "sendPhoto":
            photo = {"file_id": str(params.get("photo")), "file_unique_id": "u"}
            message["photo"] = [{**photo, "width": 90, "height": 90}]
            if params.get("caption"):
                message["caption"] = params["caption"]
        elif method == "sendDocument":
            message["document"] = {"file_id": "document", "file_unique_id": "d"}
            if params.get("caption"):
                message["caption"] = params["caption"]
        else:
            message["text"] = params.get("text", "")
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        return message
    if method == "sendDocument":
        return {
            "message_id": message_ids(),
            "date": int(time.time()),
            "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
            "from": {k: BOT_USER[k] for k in ("id", "is_bot", "first_name", "username")},
            "document": {"file_id": f"sent-{message_ids()}", "file_unique_id": "sent"},
        }
    if method == "getFile":
        file_id = str(params.get("file_id", ""))
        return {"file_id": file_id, "file_unique_id": file_id, "file_path": f"documents/{file_id}"}
    if method == "getUpdates":
        return []
    if method == "getWebhookInfo":
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
    return True  # answerCallbackQuery, setMyCommands, deleteWebhook, setWebhook, close, …


class RecordingRequest(BaseRequest):
    """Records every Bot API call and answers it as Telegram would, instantly, offline."""

    def __init__(self) -> None:
        self.calls: list[ApiCall] = []
        self._message_ids = MessageIds()
        # Set by tests: methods that fail, e.g. {"sendMessage": (403, "Forbidden: bot was
        # blocked by the user")}.
        self.failures: dict[str, tuple[int, str]] = {}
        # Set by tests: what downloading a file id gives (getFile, then the file URL); an
        # unknown id is answered 404 like a file Telegram no longer has.
        self.files: dict[str, bytes] = {}

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        if "/file/bot" in url:  # a file download: .../file/bot<token>/documents/<file id>
            file_id = url.rsplit("/", 1)[-1]
            self.calls.append(ApiCall("downloadFile", {"file_id": file_id}))
            if file_id not in self.files:
                return 404, b'{"ok": false, "error_code": 404, "description": "Not Found"}'
            return 200, self.files[file_id]
        api_method = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data is not None else {}
        files: dict[str, tuple[str, bytes, str]] = {}
        if request_data is not None and request_data.contains_files:
            for part, upload in request_data.multipart_data.items():
                content = upload[1]
                data = content if isinstance(content, bytes) else content.read()
                files[part] = (upload[0], data, upload[2] if len(upload) > 2 else "")
        self.calls.append(ApiCall(api_method, params, files))
        failure = self.failures.get(api_method)
        if failure is not None:
            status, description = failure
            body = {"ok": False, "error_code": status, "description": description}
            return status, json.dumps(body).encode()
        result = api_result(api_method, params, self._message_ids)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent(self, *methods: str) -> list[ApiCall]:
        """The recorded calls of these methods (default: everything that shows the person
        something: sendMessage and sendPhoto)."""
        wanted = methods or ("sendMessage", "sendPhoto")
        return [call for call in self.calls if call.method in wanted]

    def clear(self) -> None:
        self.calls.clear()


@asynccontextmanager
async def running_offline(
    runtime: Runtime, *, token: str, request: RecordingRequest | None = None
) -> AsyncIterator[tuple[Application, RecordingRequest]]:
    """The bot's Application with the hooks ``run_polling`` would call, minus the polling,
    on a recording request: for the benchmark and the flow tests."""
    from bot.telegram.app import build_application

    request = request or RecordingRequest()

    async def start() -> Runtime:
        return runtime

    app = build_application(token, start, request=request, with_updater=False)
    async with app:
        assert app.post_init is not None and app.post_shutdown is not None
        await app.post_init(app)
        try:
            yield app, request
        finally:
            await app.post_shutdown(app)
