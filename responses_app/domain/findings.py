"""Findings: what the readers and the extractor tell a researcher about a reply.

A finding is never an exception: it travels with the result so a page can list
it beside the figures it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INFO = "info"
WARNING = "warning"
ERROR = "error"


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    message: str
    locator: str = ""
    suggestions: tuple[str, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "locator": self.locator,
            "suggestions": list(self.suggestions),
        }
