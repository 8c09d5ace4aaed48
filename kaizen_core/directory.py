"""Directory of the 中小企業活性化協議会 (one per prefecture) and the 中小企業活性化全国本部.

Every tool ends by telling the business whom to contact, so the contacts live in one data file,
``data/councils.toml``, with the source and date of each record. Records are read once, lazily,
and checked on load: a malformed file is a defect of the data and fails loudly rather than
showing a wrong telephone number.
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "councils.toml"

#: 経済産業局の管轄区域 in display order; the national HQ comes last.
REGIONS: tuple[tuple[str, str], ...] = (
    ("hokkaido", "北海道"),
    ("tohoku", "東北"),
    ("kanto", "関東"),
    ("chubu", "中部"),
    ("kinki", "近畿"),
    ("chugoku", "中国"),
    ("shikoku", "四国"),
    ("kyushu", "九州"),
    ("okinawa", "沖縄"),
    ("national", "全国"),
)
KINDS = frozenset({"prefectural", "national"})


class CouncilDataError(ValueError):
    """``councils.toml`` itself is malformed (a defect of the data, not of a request)."""


@dataclass(frozen=True)
class Council:
    """One council's contact record as published by its source, with that source's date."""

    id: str
    kind: str
    prefecture_code: str
    prefecture: str
    region: str
    region_label: str
    name: str
    host: str
    postal_code: str
    address: str
    phone: str
    url: str
    sources: tuple[str, ...]
    as_of: str
    notes: str
    enquiry_phone: str = ""
    hours: str = ""  # the desk's hours as the source gives them (none of the current sources does)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``sources`` as a list) for the static site's data files."""
        return {
            "id": self.id,
            "kind": self.kind,
            "prefecture_code": self.prefecture_code,
            "prefecture": self.prefecture,
            "region": self.region,
            "region_label": self.region_label,
            "name": self.name,
            "host": self.host,
            "postal_code": self.postal_code,
            "address": self.address,
            "phone": self.phone,
            "enquiry_phone": self.enquiry_phone,
            "hours": self.hours,
            "url": self.url,
            "sources": list(self.sources),
            "as_of": self.as_of,
            "notes": self.notes,
        }


_FIELDS = tuple(f.name for f in fields(Council))
_OPTIONAL = frozenset({"enquiry_phone", "hours"})


def _record(entry: Any, index: int) -> Council:
    """Build one record, refusing missing, unknown or non-string keys."""
    where = f"councils.toml: councils[{index}]"
    if not isinstance(entry, dict):
        raise CouncilDataError(f"{where} is not a table")
    missing = set(_FIELDS) - _OPTIONAL - entry.keys()
    unknown = entry.keys() - set(_FIELDS)
    if missing or unknown:
        raise CouncilDataError(f"{where}: missing {sorted(missing)}, unknown {sorted(unknown)}")
    values: dict[str, Any] = {}
    for name in _FIELDS:
        raw = entry.get(name, "")
        if name == "sources":
            if not isinstance(raw, list) or not raw or not all(isinstance(s, str) for s in raw):
                raise CouncilDataError(f"{where}: sources must be a non-empty list of ids")
            values[name] = tuple(raw)
        elif isinstance(raw, str):
            values[name] = raw
        else:
            raise CouncilDataError(f"{where}: {name} must be a string")
    council = Council(**values)
    if council.kind not in KINDS:
        raise CouncilDataError(f"{where}: unknown kind {council.kind!r}")
    if (council.region, council.region_label) not in REGIONS:
        raise CouncilDataError(f"{where}: unknown region {council.region!r}")
    return council


def load_councils(path: Path = DATA_FILE) -> tuple[Council, ...]:
    """Read and check a councils file; ids must be unique. Tests may pass another path."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise CouncilDataError(f"{path.name}: {error}") from error
    entries = data.get("councils")
    if not isinstance(entries, list) or not entries:
        raise CouncilDataError(f"{path.name}: no [[councils]] records")
    records = tuple(_record(entry, index) for index, entry in enumerate(entries))
    ids = [council.id for council in records]
    if len(set(ids)) != len(ids):
        raise CouncilDataError(f"{path.name}: duplicate ids")
    return records


@cache
def councils() -> tuple[Council, ...]:
    """All records in file order (JIS prefecture code, national HQ last); loaded on first use."""
    return load_councils()


def short_name(prefecture: str) -> str:
    """京都府 → 京都, 東京都 → 東京, 青森県 → 青森; 北海道 stays whole (道 is part of its name).

    The one place the short names are made: :func:`find_council` and the eligibility form's
    vocabulary (calculators/eligibility.py) both accept them."""
    if prefecture != "北海道" and prefecture[-1:] in ("都", "府", "県"):
        return prefecture[:-1]
    return prefecture


def find_council(prefecture: str) -> Council | None:
    """The council for a JIS code ("26", "5"), a prefecture name (京都府 or 京都) or a record id.

    Codes and names find the prefectural council; the national HQ is found by its id
    ("national") only, so "13" or "東京" never returns it by accident. Input is NFKC-normalised,
    so full-width digits ("２６") work too.
    """
    query = unicodedata.normalize("NFKC", prefecture).strip()
    if not query:
        return None
    prefectural = [c for c in councils() if c.kind == "prefectural"]
    if query.isascii() and query.isdigit():
        code = query.zfill(2) if len(query) <= 2 else query
        return next((c for c in prefectural if c.prefecture_code == code), None)
    lowered = query.lower()
    for council in councils():
        if council.id == lowered:
            return council
    for council in prefectural:
        if query in (council.prefecture, short_name(council.prefecture)):
            return council
    return None


PREFECTURE_EXAMPLES = "京都府／京都／26"


def council_of(value: Any) -> Council | None:
    """The council for a request's ``prefecture`` (a name, or a JIS code as text or a small
    integer); None when the value cannot be one (an error for the caller to report)."""
    readable = isinstance(value, str) or (
        isinstance(value, int) and not isinstance(value, bool) and 0 < value < 100
    )
    return find_council(str(value)) if readable else None


def kinki_councils() -> tuple[Council, ...]:
    """The councils in 近畿経済産業局's area (福井 included), the ones with 2026 contact data."""
    return tuple(c for c in councils() if c.region == "kinki")


def by_region() -> list[tuple[str, str, list[Council]]]:
    """(region id, label, councils) in METI-bureau order with the national HQ last; no empties."""
    groups: list[tuple[str, str, list[Council]]] = []
    for region, label in REGIONS:
        members = [c for c in councils() if c.region == region]
        if members:
            groups.append((region, label, members))
    return groups


def tel_href(phone: str) -> str:
    """A ``tel:`` link target: the digits only, so hyphens and full-width digits never break it."""
    normalised = unicodedata.normalize("NFKC", phone)
    digits = "".join(ch for ch in normalised if ch.isascii() and ch.isdigit())
    return "tel:" + digits
