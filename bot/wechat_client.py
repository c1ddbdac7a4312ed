"""Loading and taming the Python Wechaty puppet-service client, for bot/wechat.py.

Imported lazily: ``wechaty-puppet-service`` 0.8.10 needs ``pyee<9`` and ``telnetlib``
(removed in Python 3.13), so only a configured WeChat platform may need it.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
import sys
import warnings
from collections import OrderedDict
from typing import Any

_LIBRARY_LOGGERS = ("PuppetService", "WechatyPuppetServiceConfig", "FileBox",
                    "WechatyPuppet.Schemas.Event", "WechatyPuppet.Schema.Base")
CACHE_SIZE = 5000
"""Contacts and rooms whose names are remembered between messages."""


class WeChatUnavailable(RuntimeError):
    """The Wechaty client packages cannot be used on this Python."""


def load_client() -> tuple[Any, Any]:
    """``PuppetService`` and ``PuppetOptions``, imported on first use."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # telnetlib, on 3.11/3.12
            from wechaty_puppet import PuppetOptions
            from wechaty_puppet_service import PuppetService
    except Exception as exc:  # ImportError, or the dataclass errors of newer Pythons
        version = ".".join(map(str, sys.version_info[:3]))
        raise WeChatUnavailable(
            f"the WeChat platform needs wechaty-puppet-service 0.8.10, which does not import "
            f"on Python {version} ({type(exc).__name__}: {exc}); run GridDesk on Python 3.11 "
            f"or 3.12 and install it with: pip install -e '.[wechat]'"
        ) from exc
    _tolerate_event_payloads()
    return PuppetService, PuppetOptions


def _tolerate_event_payloads() -> None:
    """The client builds some event payloads with ``Payload(**json)``: a gateway that
    sends another shape (wechaty-puppet 1.x errors are ``{"gerror": ...}``) raises
    inside its event loop and ends the stream. Give those constructors only the
    fields they know, and put the whole JSON in ``data`` when it is missing."""
    import wechaty_puppet_service.puppet as client

    for name in ("EventErrorPayload", "EventDongPayload", "EventReadyPayload"):
        cls = getattr(client, name, None)
        if cls is None or getattr(cls, "__griddesk_tolerant__", False):
            continue
        setattr(client, name, _tolerant(cls))


def _tolerant(cls: Any) -> Any:
    fields = {f.name for f in dataclasses.fields(cls)}

    def build(**payload: Any) -> Any:
        known = {k: v for k, v in payload.items() if k in fields}
        if "data" in fields and not isinstance(known.get("data"), str):
            known["data"] = json.dumps(payload, ensure_ascii=False)
        return cls(**known)

    build.__griddesk_tolerant__ = True  # type: ignore[attr-defined]
    return build


class _Redact(logging.Filter):
    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret and self.secret in message:
            record.msg, record.args = message.replace(self.secret, "***"), None
        return True


def tame_library_logs(token: str) -> None:
    """The client's loggers print to stderr on their own and log the token: route
    them through ours, errors only (it warns on every connect that it got a token),
    with the token masked."""
    for name in _LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        logger.handlers = []
        logger.propagate = True
        logger.setLevel(logging.ERROR)
        if not any(isinstance(f, _Redact) for f in logger.filters):
            logger.addFilter(_Redact(token))


def split_endpoint(endpoint: str) -> tuple[str, int]:
    host, _, port = endpoint.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"WeChat gateway endpoint must be host:port, not {endpoint!r}")
    return host.strip("[]"), int(port)


class Lru(OrderedDict[str, Any]):
    def remember(self, key: str, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > CACHE_SIZE:
            self.popitem(last=False)


def png_file_box(png: bytes, name: str = "chart.png") -> str:
    """A FileBox JSON the gateway's FileBox.fromJSON reads (old and new type key)."""
    return json.dumps({
        "type": 1, "boxType": 1,  # FileBoxType.Base64
        "name": name, "mediaType": "image/png",
        "base64": base64.b64encode(png).decode("ascii"),
    })
