"""Text no database here can store: NUL (U+0000) and half of a surrogate pair (U+D800-DFFF).

PostgreSQL refuses NUL in text and in jsonb; a lone surrogate cannot even be written as
UTF-8 (to a database or in a page). A browser's form cannot send either as text, but
JSON can spell both (``"\\u0000"``, ``"\\ud800"``), and a request can carry a NUL byte:
JSON read from a form or an API body, and every request's fields, are checked here.
"""

from __future__ import annotations

import re

UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """What in ``text`` cannot be stored, or None."""
    found = UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "holds a NUL character (\\u0000), which no text here may contain"
    return f"holds \\u{ord(found.group()):04x}, half of a surrogate pair, which is not a character"


def unstorable(value, where: str = "") -> str | None:
    """The first key or string in a JSON document that cannot be stored: where, and why."""
    stack = [(value, where)]
    while stack:
        node, at = stack.pop()
        if isinstance(node, str):
            problem = text_problem(node)
            if problem:
                return f"{at or 'the value'} {problem}"
        elif isinstance(node, dict):
            for key, item in reversed(node.items()):
                problem = text_problem(str(key))
                if problem:
                    return f"a key of {at or 'the value'} {problem}"
                stack.append((item, f"{at}.{key}" if at else str(key)))
        elif isinstance(node, list):
            stack.extend((item, f"{at}[{i}]") for i, item in reversed(list(enumerate(node))))
    return None
