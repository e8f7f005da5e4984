"""Which files go with a brief, and why each may go as it is.

A designer can send drawings and pictures with a request: PDF, DXF, DWG, STEP/STP and images
(a photo, or an image sent as a file). At most :data:`MAX_ATTACHMENTS` files of at most
:data:`MAX_ATTACHMENT_BYTES` each: 20 MB is the most the Bot API lets a bot download
(``getFile``), so every file a maker gets is one the bot could also read or clean later, and
five drawings are plenty for a first brief. Other kinds (a spreadsheet, a ZIP, a Word file)
are refused with the list of kinds we take.

**Metadata: passed unchanged only with the designer's consent.** The bot never downloads a
file; it passes Telegram's ``file_id`` on, so the maker gets the bytes and the file name the
designer sent. A photo sent as a photo is re-encoded by Telegram, which drops its EXIF (camera,
GPS position, author), so it goes without asking. A document (including an image sent as a
file) may carry the designer's name or company in its properties (a PDF's Author, a DWG's
"last saved by", a STEP header's author and organisation) and in its file name, so it goes
only after the designer pressed "send it as it is" under a message that says exactly that.
Why not strip instead: DWG is a closed binary format no well-kept library rewrites safely,
STEP and DXF headers would need format-specific editing, a name in a drawing's title block is
content that no metadata stripper touches, and downloading and re-uploading every file (up to
20 MB) would move the designer's files through the bot's disk. Asking is honest about all of
it; the designer can save a copy without their details and send that instead.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from storage.models import AttachmentKind

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # the Bot API's download limit (getFile)

_BY_EXTENSION = {
    ".pdf": AttachmentKind.PDF,
    ".dxf": AttachmentKind.DXF,
    ".dwg": AttachmentKind.DWG,
    ".step": AttachmentKind.STEP,
    ".stp": AttachmentKind.STEP,
    ".jpg": AttachmentKind.IMAGE,
    ".jpeg": AttachmentKind.IMAGE,
    ".png": AttachmentKind.IMAGE,
    ".heic": AttachmentKind.IMAGE,
    ".heif": AttachmentKind.IMAGE,
    ".webp": AttachmentKind.IMAGE,
    ".tif": AttachmentKind.IMAGE,
    ".tiff": AttachmentKind.IMAGE,
}
_BY_MIME = {
    "application/pdf": AttachmentKind.PDF,
    "image/vnd.dxf": AttachmentKind.DXF,
    "application/dxf": AttachmentKind.DXF,
    "image/vnd.dwg": AttachmentKind.DWG,
    "application/acad": AttachmentKind.DWG,
    "application/step": AttachmentKind.STEP,
    "model/step": AttachmentKind.STEP,
}


def attachment_kind(file_name: str | None, mime_type: str | None) -> AttachmentKind | None:
    """What a document is, by its extension first (clients often send CAD files as
    ``application/octet-stream``), then its MIME type; ``None`` if we do not take it.

    >>> attachment_kind("Ritning_v2.PDF", "application/octet-stream")
    <AttachmentKind.PDF: 'pdf'>
    >>> attachment_kind("del.stp", None)
    <AttachmentKind.STEP: 'step'>
    >>> attachment_kind(None, "image/png")
    <AttachmentKind.IMAGE: 'image'>
    >>> attachment_kind("budget.xlsx", "application/vnd.ms-excel") is None
    True
    """
    if file_name:
        kind = _BY_EXTENSION.get(PurePosixPath(file_name.strip().lower()).suffix)
        if kind is not None:
            return kind
    mime = (mime_type or "").lower()
    if mime in _BY_MIME:
        return _BY_MIME[mime]
    if mime.startswith("image/") and mime not in ("image/svg+xml", "image/gif"):
        return AttachmentKind.IMAGE
    return None


def megabytes(size: int) -> str:
    """A size as people read it: one decimal, "20" for the limit.

    >>> megabytes(21 * 1024 * 1024 + 1), megabytes(MAX_ATTACHMENT_BYTES)
    ('21.0', '20')
    """
    value = size / (1024 * 1024)
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
