"""Files: what the bot uploads (kept whole so tests can read them) and what users send."""

from __future__ import annotations

import itertools
import mimetypes
import struct
import zlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class UploadedFile:
    """One file part of a multipart request, as received."""

    filename: str
    data: bytes
    mime_type: str = "application/octet-stream"

    def __repr__(self) -> str:  # keeps call logs readable
        return f"<UploadedFile {self.filename!r} {len(self.data)} bytes>"


@dataclass
class StoredFile:
    """A file known to the fake Telegram: it has a file_id and can be downloaded."""

    file_id: str
    file_unique_id: str
    filename: str
    data: bytes = field(repr=False)
    mime_type: str
    file_path: str
    width: int = 0
    height: int = 0

    @property
    def size(self) -> int:
        return len(self.data)

    def text(self, encoding: str = "utf-8-sig") -> str:
        """The content decoded as text (utf-8-sig drops the BOM Excel-friendly CSVs start with)."""
        return self.data.decode(encoding)

    def document_dict(self) -> dict[str, object]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_name": self.filename,
            "mime_type": self.mime_type,
            "file_size": self.size,
        }

    def photo_sizes(self) -> list[dict[str, object]]:
        return [
            {
                "file_id": self.file_id,
                "file_unique_id": self.file_unique_id,
                "width": self.width,
                "height": self.height,
                "file_size": self.size,
            }
        ]


class FileStore:
    """Every file of the sandbox, by file_id and by download path."""

    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._ids = itertools.count(1)

    def add(
        self, data: bytes, filename: str, mime_type: str | None = None, *, kind: str = "documents"
    ) -> StoredFile:
        n = next(self._ids)
        guessed = mimetypes.guess_type(filename, strict=False)[0]
        if mime_type in (None, "", "application/octet-stream") and guessed:
            mime_type = guessed
        suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
        width, height = image_size(data) or (0, 0)
        stored = StoredFile(
            file_id=f"SBX{kind[:3].upper()}{n:08d}",
            file_unique_id=f"sbx{n:08d}",
            filename=filename,
            data=data,
            mime_type=mime_type or "application/octet-stream",
            file_path=f"{kind}/file_{n}.{suffix}",
            width=width,
            height=height,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def by_path(self, path: str) -> StoredFile | None:
        return self._by_path.get(path)


def tiny_png(width: int = 2, height: int = 1) -> bytes:
    """A valid PNG of red pixels: what tests send where Telegram wants a real image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress((b"\x00" + b"\xff\x00\x00" * width) * height)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG, GIF or JPEG, from its header; None when it is none of them."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            i += 2 + length
    return None
