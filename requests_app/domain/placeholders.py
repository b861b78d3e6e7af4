"""Placeholders in request and chaser texts: plain ``{name}`` substitution, nothing else.

``str.format`` would also honour format specs (``{force_name:>99999999}`` makes a
100 MB string), conversions (``{force_name!s}``), attribute and index access
(``{force_name.__class__}``) and positional fields (``{0}``, ``{}``), which in a
text a user typed are either a mistake or an attack. Here a template is a list
of literal pieces and named fields: ``{{`` and ``}}`` are literal braces, a field
is exactly ``{name}`` with ``name`` one of the names the caller allows, and
anything else between braces is refused with a message naming it. The filled
text has a size limit.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass

__all__ = [
    "MAX_REQUEST_CHARS",
    "MAX_TEXT_CHARS",
    "REQUEST_PLACEHOLDERS",
    "PlaceholderError",
    "check",
    "parse",
    "render",
    "request_problems",
]

#: The longest a template, or a text once filled, may be (characters).
MAX_TEXT_CHARS = 100_000

#: Placeholders a campaign's request text may use, with what they become.
REQUEST_PLACEHOLDERS = {
    "force_name": "the force's name",
    "force_id": "the force's data.police.uk id",
    "reference": "the request's reference",
    "periods": "the periods asked, e.g. 2017-18, 2018-19",
    "title": "the campaign's title",
    "question": "the campaign's description",
}
#: The longest a request text may be, as written and once filled for a force (characters).
MAX_REQUEST_CHARS = 20_000

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SHOWN = 60  # how much of a refused field a message quotes


class PlaceholderError(ValueError):
    """A template that cannot be filled; ``problems`` lists every reason, each a sentence."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(" ".join(self.problems))


@dataclass(frozen=True)
class Field:
    name: str


def _known(allowed: Collection[str]) -> str:
    return ", ".join("{" + name + "}" for name in allowed)


def _quote(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _field_problem(inner: str, allowed: Collection[str], what: str) -> str | None:
    if inner in allowed:
        return None
    shown = _quote("{" + inner + "}")
    name = _NAME.match(inner)
    if name and name.group() in allowed and name.end() < len(inner):
        return (
            f"{what}: {shown} is not allowed: a placeholder is only its name, "
            f"{{{name.group()}}}, with no format, conversion, attribute or index."
        )
    return (
        f"{what}: {shown} is not a placeholder (use {_known(allowed)}; "
        "write {{ and }} for a literal brace)."
    )


def parse(
    template: str, allowed: Collection[str], *, what: str = "The text", limit: int = MAX_TEXT_CHARS
) -> list[str | Field]:
    """The template as literal pieces and fields, or PlaceholderError naming every problem."""
    if len(template) > limit:
        raise PlaceholderError(
            [f"{what} is {len(template):,} characters long; the limit is {limit:,}."]
        )
    pieces: list[str | Field] = []
    problems: list[str] = []
    at = 0
    for match in _TOKEN.finditer(template):
        pieces.append(template[at : match.start()])
        at = match.end()
        token = match.group()
        if token in ("{{", "}}"):
            pieces.append(token[0])
        elif token in ("{", "}"):
            line = template.count("\n", 0, match.start()) + 1
            problems.append(
                f"{what}: a lone {token} on line {line} (write {token}{token} for a literal brace)."
            )
        else:
            inner = match.group(1)
            problem = _field_problem(inner, allowed, what)
            if problem is None:
                pieces.append(Field(inner))
            elif problem not in problems:
                problems.append(problem)
    pieces.append(template[at:])
    if problems:
        raise PlaceholderError(problems)
    return [p for p in pieces if p != ""]


def check(
    template: str, allowed: Collection[str], *, what: str = "The text", limit: int = MAX_TEXT_CHARS
) -> list[str]:
    """Every problem with the template (empty: it can be filled)."""
    try:
        parse(template, allowed, what=what, limit=limit)
    except PlaceholderError as exc:
        return exc.problems
    return []


def render(
    template: str,
    values: Mapping[str, object],
    *,
    what: str = "The text",
    limit: int = MAX_TEXT_CHARS,
) -> str:
    """Fill the template's placeholders from ``values`` (the names it may use).

    Raises PlaceholderError when the template uses anything else or the filled
    text would be longer than ``limit`` characters.
    """
    out: list[str] = []
    size = 0
    for piece in parse(template, values.keys(), what=what, limit=limit):
        text = piece if isinstance(piece, str) else str(values[piece.name])
        size += len(text)
        if size > limit:
            raise PlaceholderError(
                [f"{what} would be more than {limit:,} characters once filled; shorten it."]
            )
        out.append(text)
    return "".join(out)


def request_problems(template: str) -> list[str]:
    """Every problem with a campaign's request text (empty: it can be filled)."""
    return check(template, REQUEST_PLACEHOLDERS, what="The request text", limit=MAX_REQUEST_CHARS)
