"""Words for work in progress (a campaign send, a reading, a release being built). Pure."""

from __future__ import annotations

from .explain import plural

__all__ = ["elapsed_text", "plural"]


def elapsed_text(seconds: float) -> str:
    """A short, honest span: "5 seconds", "3 minutes", "2 hours"."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return plural(seconds, "second")
    if seconds < 3600:
        return plural(seconds // 60, "minute")
    if seconds < 2 * 86400:
        return plural(seconds // 3600, "hour")
    return plural(seconds // 86400, "day")
