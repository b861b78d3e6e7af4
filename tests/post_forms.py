"""What a browser sends from a page's ``<form method="post">``: its fields, as rendered.

``post_forms`` reads a page's post forms (the stdlib's HTMLParser); ``Form.rendered``
is what clicking its first submit button sends, files aside; ``with_value`` changes
one field of that. Used to submit forms exactly as the pages render them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.test_every_link import same_site

#: Django admin's date and time inputs are text inputs with these classes.
ADMIN_DATE = re.compile(r"\bv(Date|Time)Field\b")
#: Fields a form keeps as they are: Django's CSRF token.
KEPT = {"csrfmiddlewaretoken"}


@dataclass
class Field:
    name: str
    kind: str
    value: str = ""
    checked: bool = False
    date_like: bool = False
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    page: str
    action: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)
    submit: tuple[str, str] | None = None

    def rendered(self) -> list[tuple[str, object]]:
        """What a browser sends when the first submit button is clicked (no files)."""
        pairs: list[tuple[str, object]] = []
        for f in self.fields:
            if f.kind == "file" or (f.kind in ("checkbox", "radio") and not f.checked):
                continue
            if f.kind == "select":
                pairs.extend((f.name, v) for v in f.options)
            else:
                pairs.append((f.name, f.value))
        if self.submit:
            pairs.append(self.submit)
        return pairs

    def targets(self) -> list[Field]:
        """One field of each family (the first), files, the CSRF token and admin initials aside."""
        seen: set[str] = set()
        chosen = []
        for f in self.fields:
            name = family(f.name)
            if f.kind == "file" or f.name in KEPT or f.name.startswith("initial-"):
                continue
            if name not in seen:
                seen.add(name)
                chosen.append(f)
        return chosen

    def files(self) -> list[Field]:
        return [f for f in self.fields if f.kind == "file"]


def family(name: str) -> str:
    """A grid's cells are one family, and so are a formset's management fields."""
    return re.sub(r"(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$", "FORMS", re.sub(r"\d+", "#", name))


class _PostForms(HTMLParser):
    """Every ``<form method="post">`` of a page, with its fields as rendered."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._selected: list[str] = []
        self._first: str | None = None
        self._option: str | None = None
        self._textarea: Field | None = None
        self._option_selected = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                action = same_site(self.page, a.get("action") or self.page)
                multipart = a.get("enctype", "") == "multipart/form-data"
                self._form = Form(self.page, action, multipart) if action else None
            return
        form = self._form
        if form is None:
            return
        kind = a.get("type", "text").lower()
        if tag == "button" and kind == "submit" or tag == "input" and kind in ("submit", "image"):
            if form.submit is None and a.get("name"):
                form.submit = (a["name"], a.get("value", ""))
        elif tag == "input" and a.get("name") and kind not in ("button", "reset"):
            date_like = bool(ADMIN_DATE.search(a.get("class", "")))
            form.fields.append(
                Field(a["name"], kind, a.get("value", ""), "checked" in a, date_like)
            )
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(a["name"], "textarea")
            form.fields.append(self._textarea)
        elif tag == "select" and a.get("name"):
            self._select, self._selected, self._first = Field(a["name"], "select"), [], None
            self._select.multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            if self._option is not None:
                self._note_option(self._option, "selected" in a)
            else:
                self._option = ""
                self._option_selected = "selected" in a

    def _note_option(self, value: str, selected: bool) -> None:
        if self._first is None:
            self._first = value
        if selected:
            self._selected.append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._select is not None and self._option == "" and data.strip():
            self._note_option(data.strip(), self._option_selected)
            self._option = None

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "textarea":
            if self._textarea is not None and self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag == "select" and self._select is not None and self._form is not None:
            chosen = self._selected
            if not chosen and not self._select.multiple and self._first is not None:
                chosen = [self._first]  # a single select sends its first option
            self._select.options = chosen
            self._form.fields.append(self._select)
            self._select = None


def post_forms(url: str, html: str) -> list[Form]:
    """The post forms of the page at ``url`` whose action is on this site."""
    parser = _PostForms(url)
    parser.feed(html)
    return parser.forms


def with_value(pairs: list[tuple[str, object]], name: str, value) -> list[tuple[str, object]]:
    """The rendered pairs with the first ``name`` set to ``value`` (added when not sent)."""
    out, done = [], False
    for key, old in pairs:
        if key == name:
            if not done:
                out.append((key, value))
                done = True
            continue
        out.append((key, old))
    return out if done else [*out, (name, value)]


def as_data(pairs, files=()) -> dict[str, list]:
    """The pairs (and files) as the test client's ``data`` for a multipart post."""
    data: dict[str, list] = {}
    for key, value in [*pairs, *files]:
        data.setdefault(key, []).append(value)
    return data
