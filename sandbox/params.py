"""Reading Bot API parameters the way the Bot API server does.

A parameter arrives as a native JSON value (in-process, or an application/json body) or
as a string (query string, x-www-form-urlencoded, multipart/form-data, where PTB
JSON-encodes every non-string value). Each accessor accepts both forms.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sandbox.errors import ApiError, bad_request
from sandbox.files import UploadedFile

# The accessors below are named after the builtins they return: these aliases keep the
# annotations readable by mypy inside the class.
_Str = str
_Int = int
_Float = float
_Bool = bool


class Params:
    """The parameters of one call, with typed accessors that fail like Telegram."""

    def __init__(self, raw: Mapping[str, Any] | None = None) -> None:
        # Telegram ignores null parameters; so do we.
        self.raw: dict[str, Any] = {k: v for k, v in (raw or {}).items() if v is not None}

    def has(self, name: _Str) -> _Bool:
        return name in self.raw and self.raw[name] != ""

    def str(self, name: _Str, default: _Str | None = None) -> _Str | None:
        value = self.raw.get(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, dict | list):
            return json.dumps(value)
        return str(value)

    def int(self, name: _Str, default: _Int | None = None, *, error: _Str | None = None) -> _Int | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        try:
            return int(str(value).strip())
        except ValueError:
            raise bad_request(error or f"invalid {name} specified") from None

    def float(self, name: _Str, default: _Float | None = None) -> _Float | None:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def bool(self, name: _Str, default: _Bool = False) -> _Bool:
        value = self.raw.get(name)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return bool(value)
        return str(value).strip().lower() in ("true", "1", "yes", "on")

    def json(self, name: _Str, *, error: _Str) -> Any:
        """A JSON object/array parameter; ``error`` is Telegram's wording when it does not parse."""
        value = self.raw.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, dict | list):
            return value
        try:
            return json.loads(str(value))
        except ValueError:
            raise bad_request(error) from None

    def require_str(self, name: _Str, error: ApiError) -> _Str:
        value = self.str(name)
        if value is None or value == "":
            raise error
        return value

    def file(self, name: _Str, files: Mapping[_Str, UploadedFile]) -> UploadedFile | _Str | None:
        """A file parameter: an upload (direct, or via attach://name) or a file_id / URL string."""
        value = self.raw.get(name)
        if isinstance(value, UploadedFile):
            return value
        if value is None or value == "":
            return files.get(name)
        text = str(value)
        if text.startswith("attach://"):
            return files.get(text[len("attach://") :])
        return text
