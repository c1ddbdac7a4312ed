"""Logging for the ``griddesk`` command: one format, and no secret at any level.

Every line that reaches a handler is formatted and then scrubbed of the secrets we
know (bot tokens from the environment, a database password), whichever library
wrote it and whatever it put in a traceback: the WeChat client sends its token as
the HTTP/2 ``:authority``, httpx logs Telegram URLs that contain the bot token.
The HTTP/2 frame loggers (hpack, h2) are kept at WARNING even with ``-v``: their
debug lines carry headers, also in encoded form we could not scrub.
"""

from __future__ import annotations

import logging
import os
from urllib.parse import quote

SECRET_ENV = ("TELEGRAM_BOT_TOKEN", "WECHATY_PUPPET_SERVICE_TOKEN")
QUIET_LOGGERS = ("hpack", "h2", "httpcore", "grpclib.protocol")
MASK = "***"
_secrets: set[str] = set()


def add_secret(value: str | None) -> None:
    if value and len(value) >= 4:
        _secrets.update({value, quote(value, safe="")})


def scrub(text: str) -> str:
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return scrub(super().format(record))


def setup_logging(verbose: bool) -> None:
    for name in SECRET_ENV:
        add_secret(os.environ.get(name))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.setFormatter(ScrubbingFormatter(handler.formatter._fmt if handler.formatter else None))
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(True)
