"""Form specifications of the tool pages (the tools of kaizen_core.registry that have a page).

A field's ``name`` is its path in the tool's JSON request (``fees.plan``, ``loans[0].balance``),
so the browser builds the request from the form without knowing the rules, kaizen_core's errors
land beside the right input, and a share link's request fills the form back. The same specs
render the forms at build time (jinja2) and tell the worker how to show each parsed value.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from calculators.views import example_path, view
from kaizen_core.errors import InputError
from kaizen_core.numbers import format_percent, format_yen, parse_count, parse_month, parse_rate, parse_yen
from kaizen_core.request import FALSE_WORDS, TRUE_WORDS

TRI_OPTIONS = (("true", "はい"), ("false", "いいえ"), ("", "わからない"))
# A checkbox as pages and files name its two states.
CHECK_OPTIONS = (("true", "はい"), ("false", "いいえ"))

# In a Dynamic pattern, a month key and a list index. describe() reads them loosely, so that a
# request written by hand ("2026年4月", as kaizen_core accepts) still gets its labels; known()
# accepts only what the form itself writes: a real month (YYYY-MM, 01-12, the years kaizen_core
# reads) and an index below MAX_LIST_ITEMS.
MONTH_KEY = r"([^.\[\]]+)"
INDEX = r"\[(\d+)\]"
MAX_LIST_ITEMS = 100
# How many widget-made names a form remembers having described (ToolForm.describe).
MAX_DESCRIBED = 4096
# What the form itself writes where a name has a row index, a month or a line key: the same
# patterns in known() and, as the form's data-kz-key-tokens, in app.mjs's check of the keys of a
# share link, a saved form or a file (the tokens are those of the widgets' <template>s).
YEAR = "(?:19[0-9]{2}|2[01][0-9]{2}|2200)"  # the years kaizen_core reads
KEY_TOKENS = {
    "__I__": "(?:[0-9]|[1-9][0-9])",  # below MAX_LIST_ITEMS
    "__M__": f"{YEAR}-(?:0[1-9]|1[0-2])",
    "__Y__": YEAR,  # a year row of the downturn grid (its cells are __Y__-01 … __Y__-12)
    "__K__": "[a-z_]{1,40}",
}
REAL_MONTH_KEY = f"({KEY_TOKENS['__M__']})"
REAL_INDEX = rf"\[({KEY_TOKENS['__I__']})\]"


@dataclass(frozen=True)
class Field:
    """One input. ``kind``: yen, signed_yen, count, rate, signed_rate, month, date, choice, tri, check, text."""

    name: str
    label: str
    kind: str
    help: str = ""
    placeholder: str = ""
    options: tuple[tuple[str, str], ...] = ()
    show_if: str = ""  # "path=value" or "path=value|value2"; evaluated in the browser
    unit: str = ""
    required: bool = False
    # kept out of share links (a company's name stays on this device; app.mjs drops it)
    private: bool = False

    @property
    def dom_id(self) -> str:
        return "kz-f-" + re.sub(r"[^0-9A-Za-z_-]", "-", self.name)


@dataclass(frozen=True)
class Section:
    title: str
    fields: tuple[Field, ...]
    help: str = ""
    show_if: str = ""
    widget: str = ""  # a special block rendered by its own template (grids, lists)
    # a grid wider than the form's column beside the result: the page puts the form above the
    # result at full width instead (ToolForm.wide, templates/tool.html, site.css)
    wide: bool = False


@dataclass(frozen=True)
class Dynamic:
    """Inputs that widgets create at run time (grids, list rows): a name pattern, its kind and label.

    ``label`` is formatted with the pattern's groups, e.g. ``Dynamic(r"sales\\.(\\d{4}-\\d{2})", "yen",
    "売上高（{0}）")``.
    """

    pattern: str
    kind: str
    label: str
    options: tuple[tuple[str, str], ...] = ()

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    @cached_property
    def strict_regex(self) -> re.Pattern[str]:
        """The pattern with its month keys and list indexes limited to what the form writes."""
        return re.compile(self.pattern.replace(MONTH_KEY, REAL_MONTH_KEY).replace(INDEX, REAL_INDEX))

    def match(self, name: str) -> str | None:
        found = self.regex.fullmatch(name)
        return self.label.format(*found.groups()) if found else None


@dataclass(frozen=True)
class ToolForm:
    tool: str
    title: str
    sections: tuple[Section, ...]
    dynamic: tuple[Dynamic, ...] = ()

    def fields(self) -> list[Field]:
        return [f for section in self.sections for f in section.fields]

    @property
    def wide(self) -> bool:
        """Whether a section holds a wide grid: then the form is never squeezed beside the result."""
        return any(section.wide for section in self.sections)

    @cached_property
    def _described(self) -> dict[str, tuple[str, str]]:
        described: dict[str, tuple[str, str]] = {}
        for item in self.fields():
            described.setdefault(item.name, (item.label, item.kind))
        return described

    def describe(self, name: str) -> tuple[str, str] | None:
        """(label, kind) of a request path, for fixed fields and widget-made ones alike.

        Asked once per filled input on every recompute (the 資金繰り表 has over a hundred), so the
        fixed fields are looked up in a table rather than searched."""
        if name in self._described:
            return self._described[name]
        found = self._dynamic_seen.get(name)
        if found is not None:
            return found
        for rule in self.dynamic:
            label = rule.match(name)
            if label is not None:
                if len(self._dynamic_seen) < MAX_DESCRIBED:  # a hostile link cannot grow it without end
                    self._dynamic_seen[name] = (label, rule.kind)
                return label, rule.kind
        return None

    @cached_property
    def _dynamic_seen(self) -> dict[str, tuple[str, str]]:
        """Widget-made names already matched (the same ones come back on every recompute)."""
        return {}

    def options(self, name: str) -> tuple[tuple[str, str], ...]:
        """The (code, Japanese name) options of a choice field, fixed or widget-made."""
        for item in self.fields():
            if item.name == name:
                return item.options
        for rule in self.dynamic:
            if rule.options and rule.regex.fullmatch(name):
                return rule.options
        return ()

    def choices(self, name: str) -> dict[str, str]:
        """Code → Japanese name of a choice, はい/いいえ/わからない or checkbox input, fixed or
        widget-made (empty for other kinds): how the input summary and the downloads name a value,
        and how an upload's names read back."""
        described = self.describe(name)
        kind = described[1] if described else ""
        if kind == "tri":
            return {code: text for code, text in TRI_OPTIONS if code}
        if kind == "check":
            return dict(CHECK_OPTIONS)
        if kind == "choice":
            return dict(self.options(name))
        return {}

    def known(self, name: str) -> bool:
        """Whether a request path is one this form can show: a fixed field, or a widget-made one
        with a real month (``2026-04``) and an index below MAX_LIST_ITEMS (``loans[0]``)."""
        return name in self._described or any(rule.strict_regex.fullmatch(name) for rule in self.dynamic)

    def layout(self, values: dict[str, Any]) -> dict[str, Any]:
        """What the page's widget lays out from the request's values (a grid's months or years),
        decided here so that the browser never reads a month itself: rendered into the form at build
        time (``data-kz-layout``) and returned by the worker with every answer. None by default."""
        del values
        return {}

    @staticmethod
    def yes_no_json() -> str:
        """How kaizen_core reads はい and いいえ (``あり``, ``1``, ``○`` …), as the form's
        ``data-kz-yes-no``: app.mjs ticks a loaded request's answers with it."""
        return json.dumps({"true": sorted(TRUE_WORDS), "false": sorted(FALSE_WORDS)}, ensure_ascii=False)

    @staticmethod
    def key_tokens_json() -> str:
        """:data:`KEY_TOKENS` as the JSON of the form's ``data-kz-key-tokens`` attribute."""
        return json.dumps(KEY_TOKENS, separators=(",", ":"))

    def layout_json(self, values: dict[str, Any]) -> str:
        """:meth:`layout` as the JSON of the form's ``data-kz-layout`` attribute."""
        return json.dumps(self.layout(values), ensure_ascii=False, separators=(",", ":"))

    def default_request(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(example_path(self.tool).read_text(encoding="utf-8"))
        return loaded


YEN_HELP = "円単位。「150万」「1.5億」「¥300,000」のようにも書けます。"

PARSERS = {
    "yen": lambda v, f, lab: format_yen(parse_yen(v, f, lab)),
    "signed_yen": lambda v, f, lab: format_yen(parse_yen(v, f, lab, allow_negative=True)),
    "count": lambda v, f, lab: f"{parse_count(v, f, lab):,}",
    "rate": lambda v, f, lab: format_percent(parse_rate(v, f, lab)),
    "signed_rate": lambda v, f, lab: format_percent(parse_rate(v, f, lab, allow_negative=True)),
    "month": lambda v, f, lab: parse_month(v, f, lab).label(),
}


def form_for(tool: str) -> ToolForm:
    """The form of a tool with a page, defined in its view module (calculators.views); KeyError
    for a name that is no such tool."""
    return view(tool).FORM


def flatten(request: Any, prefix: str = "") -> dict[str, Any]:
    """``{"fees": {"plan": 1}}`` → ``{"fees.plan": 1}``; lists as ``loans[0].balance``.

    Walks with an explicit stack, so no nesting can exhaust Python's recursion."""
    flat: dict[str, Any] = {}
    stack: list[tuple[str, Any]] = [(prefix, request)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, dict):
            children = [(f"{path}.{key}" if path else str(key), child) for key, child in value.items()]
        elif isinstance(value, list):
            children = [(f"{path}[{index}]", child) for index, child in enumerate(value)]
        else:
            flat[path] = value
            continue
        stack.extend(reversed(children))
    return flat


ShowIf = list[list[tuple[str, list[str]]]]


def parse_show_if(rule: str) -> ShowIf:
    """A show-if rule as data: any alternative (``"||"``) whose every condition (``"&"``) holds,
    each condition a request path and the form values that satisfy it (``"|"``; ``""`` is unanswered).

    ``"a=x|y&b=z||c=w"`` → ``[[("a", ["x", "y"]), ("b", ["z"])], [("c", ["w"])]]``. Only the first
    ``"="`` splits a condition, so an accepted value may itself hold one."""
    alternatives: ShowIf = []
    for alternative in rule.split("||"):
        conditions = []
        for part in alternative.split("&"):
            path, equals, accepted = part.partition("=")
            if not path or not equals:
                raise ValueError(f"show-if condition without path=value: {part!r} in {rule!r}")
            conditions.append((path, accepted.split("|")))
        alternatives.append(conditions)
    return alternatives


def show_if_data(rule: str) -> str:
    """The ``data-kz-show-if`` attribute: the parsed rule as JSON, which app.mjs only applies
    (the browser never reads the ``"a=x|y&b=z"`` syntax itself)."""
    return json.dumps(parse_show_if(rule), ensure_ascii=False, separators=(",", ":"))


def form_value(value: Any) -> str:
    """A request value as the form holds it (what a show-if condition compares)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def shows(rule: str, values: dict[str, Any]) -> bool:
    """Whether a show-if rule holds for the form's values, as app.mjs applies its data.

    The page is rendered with the answer already hidden or shown, so that the first paint does not
    jump when the script applies the rule (and the widgets do not build inputs that stay hidden).
    """
    return any(
        all(form_value(values.get(path)) in accepted for path, accepted in alternative)
        for alternative in parse_show_if(rule)
    )


def parsed_values(tool: str, request: Any, flat: dict[str, Any] | None = None) -> dict[str, str]:
    """How each typed number was read (``150万`` → ``1,500,000円``), for display beside its input.
    ``flat``: the request already flattened, when the caller has it."""
    try:
        form = form_for(tool)
    except (KeyError, ModuleNotFoundError):
        return {}
    shown: dict[str, str] = {}
    for name, value in (flat if flat is not None else flatten(request)).items():
        described = form.describe(name)
        kind = described[1] if described else None
        if kind not in PARSERS or not isinstance(value, (str, int, float)) or isinstance(value, bool):
            continue
        if value == "":
            continue
        try:
            shown[name] = _parsed_text(kind, value)
        except InputError:
            continue
    return shown


@functools.lru_cache(maxsize=4096, typed=True)
def _parsed_text(kind: str, value: str | int | float) -> str:
    """How one value of a kind reads: the same typed values come back on every recompute (a form of
    a hundred inputs, one of them changed), so each is parsed once. A value that does not read
    raises InputError, which is not cached."""
    return PARSERS[kind](value, "", "")


def input_rows(tool: str, request: Any) -> list[tuple[str, str]]:
    """(label, value) for each filled input, as typed with the value it was read as."""
    form = form_for(tool)
    parsed = parsed_values(tool, request)
    rows = []
    for name, value in flatten(request).items():
        if value in (None, ""):
            continue
        described = form.describe(name)
        label = described[0] if described else name
        shown = form.choices(name).get(form_value(value), str(value))
        if name in parsed and parsed[name] != shown:
            shown = f"{shown}（{parsed[name]}）"
        rows.append((label, shown))
    return rows


_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    """The inverse of :func:`flatten`: ``{"loans[0].balance": 1}`` → ``{"loans": [{"balance": 1}]}``."""
    root: dict[str, Any] = {}
    for path, value in flat.items():
        parts: list[str | int] = [int(i) if i else k for k, i in _PATH_PART.findall(path)]
        node: Any = root
        for part, following in itertools.pairwise(parts):
            empty: Any = [] if isinstance(following, int) else {}
            if isinstance(part, int):
                while len(node) <= part:
                    node.append(None)
                if node[part] is None:
                    node[part] = empty
                node = node[part]
            else:
                node = node.setdefault(part, empty)
        last = parts[-1]
        if isinstance(last, int):
            while len(node) <= last:
                node.append(None)
        node[last] = value
    return root
