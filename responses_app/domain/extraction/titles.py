"""The words that name a table's one period: its title rows, its sheet or caption, the text
before it (`Crimes recorded at each hospital in 2022/23`).

A hand mapping of a cross-table gives the whole table one period; these words are kept
with a saved mapping, so the force's next table, titled a year on, is read a year on.
"""

from __future__ import annotations

from collections.abc import Sequence

from questions.periods import Period, find_financial_years, parse_period_label

from ..readers.base import RawValue, Table
from .grid import non_blank, text_of

MAX_TITLE = 300


def title_rows(rows: Sequence[Sequence[RawValue]]) -> list[str]:
    """The one-cell rows at the top of a table (a title such as `Offences in 2019/20`)."""
    titles = []
    for row in rows:
        filled = non_blank(row)
        if len(filled) != 1:
            break
        titles.append(text_of(row[filled[0]]))
    return titles


def title_texts(table: Table, rows: Sequence[Sequence[RawValue]]) -> list[str]:
    """The table's title rows, then its own title (a sheet's name, a caption) and context."""
    texts = [*title_rows(rows), table.title, *table.context]
    return [t for t in (" ".join(str(t).split()) for t in texts) if t]


def title_text(table: Table, rows: Sequence[Sequence[RawValue]]) -> str:
    """`title_texts` as one line (at most MAX_TITLE characters), as a saved mapping keeps it."""
    return " | ".join(title_texts(table, rows))[:MAX_TITLE]


def titled_period(texts: Sequence[str]) -> Period | None:
    """The one period the texts name: a text that is a period (`2022-23`), else the one
    financial year named in prose; None when they name none or several."""
    whole = {p for p in (parse_period_label(t) for t in texts) if p is not None}
    found = whole | {p for t in texts for _, _, p in find_financial_years(t)}
    return found.pop() if len(found) == 1 else None


def period_titled_now(saved: Period, before: str, now: str) -> Period:
    """The period of a table titled `now`, mapped as `saved` when it was titled `before`.

    The same title keeps the period; when both titles name one period the saved period
    moves on by as many years as the title did (`2022/23` then `2023/24`). A title that
    names no period (or several) leaves the period as it was saved: a year in a reference
    number (`FOI 2024-0456`) never moves it.
    """
    if " ".join(before.lower().split()) == " ".join(now.lower().split()):
        return saved
    then, named = titled_period(before.split(" | ")), titled_period(now.split(" | "))
    if then is None or named is None:
        return saved
    return saved.shifted(named.start.year - then.start.year)
