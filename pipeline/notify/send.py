"""The thin sender: one message to one channel through Apprise, and what went wrong.

No SMTP or HTTP of our own. The channel URL holds secrets, so it is never logged or
returned: errors are Apprise's warnings with every part of the URL that could be a
secret (user, password, path, query values) replaced by "****".
"""

from __future__ import annotations

import logging
import re
from functools import cache
from urllib.parse import unquote

from .config import Channel
from .digest import Message

logger = logging.getLogger(__name__)
# Apprise's DEBUG records print webhook URLs, whose paths are the secret (Slack, Teams).
logging.getLogger("apprise").setLevel(max(logging.getLogger("apprise").level, logging.INFO))

_NOTIFY_TYPES = {"changes": "info", "watches": "info", "ops": "warning"}


@cache
def _asset():
    import apprise

    return apprise.AppriseAsset(
        app_id="ris3watch",
        app_desc="ris3watch: Finland's regional smart-specialisation pages, watched",
        app_url="https://github.com/ris3watch/ris3watch",
    )


def send(channel: Channel, message: Message) -> str | None:
    """Deliver `message`; None when it went, else why not (with no secret in it)."""
    import apprise

    notifier = apprise.Apprise(asset=_asset())
    if not notifier.add(channel.url):
        return f"{channel.scheme}: not a valid Apprise URL"
    entries: list = []
    try:
        result = notifier.notify(
            body=message.body,
            title=message.title,
            body_format=message.format,
            notify_type=_NOTIFY_TYPES.get(message.kind, "info"),
            log_callback=lambda entry, _plugin: entries.append(entry),
        )
    except Exception as exc:  # noqa: BLE001 - a plugin bug must not stop the other channels
        return redact(f"{channel.scheme}: {type(exc).__name__}: {exc}", channel.url)
    if result:
        return None
    warnings = [e.message for e in entries if _level(e.level) >= logging.WARNING]
    warnings = warnings or ["delivery failed"]
    return redact(f"{channel.scheme}: " + "; ".join(dict.fromkeys(warnings)), channel.url)


def _level(level: int | str) -> int:
    number = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
    return number if isinstance(number, int) else logging.WARNING


def redact(text: str, url: str) -> str:
    """`text` without anything of `url` that may be a secret: every piece of it after the
    scheme (host, user, password, path segments, query values; Slack's and Teams' tokens
    are in the host and path), as written and percent-decoded."""
    rest = url.split("://", 1)[-1]
    pieces = set(_SEPARATORS.split(rest)) | set(_SEPARATORS.split(unquote(rest)))
    for piece in sorted((p for p in pieces if len(p) >= 3), key=len, reverse=True):
        text = text.replace(piece, "****")
    return text


_SEPARATORS = re.compile(r"[/@:?&=#,;+]+")
