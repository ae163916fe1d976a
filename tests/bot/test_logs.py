from __future__ import annotations

import logging

from bot.logs import REDACTED, RedactingFormatter

TOKEN = "123456789:ABCdefGHIjklMNOpqrSTUvwxYZ0123456789ab"


def test_token_is_redacted_from_messages_args_and_tracebacks() -> None:
    fmt = RedactingFormatter([TOKEN])
    try:
        raise RuntimeError(f"POST https://api.telegram.org/bot{TOKEN}/sendMessage failed")
    except RuntimeError:
        import sys

        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "url %s", (f"/bot{TOKEN}/getMe",), sys.exc_info()
        )
    out = fmt.format(record)
    assert TOKEN not in out
    assert out.count(REDACTED) >= 2


def test_unknown_token_shapes_are_redacted_too() -> None:
    other = "987654321:ZZZdefGHIjklMNOpqrSTUvwxYZ0123456789zz"
    fmt = RedactingFormatter([])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, f"bot{other}", None, None)
    assert other not in fmt.format(record)
