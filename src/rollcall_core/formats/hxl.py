"""HXL hashtags for the canonical columns (HXL Standard 1.1: hashtags and attributes).

rollcall reads HXL-tagged CSV by its tag row and writes one that libhxl reads. The table is
one-to-one so that an export imports back to the same columns.
"""

from __future__ import annotations

import re

CANONICAL_TO_HXL: dict[str, str] = {
    "record_id": "#meta+id",
    "full_name": "#affected+name",
    "given_name": "#affected+name+given",
    "family_name": "#affected+name+family",
    "patronymic": "#affected+name+patronymic",
    "alternate_names": "#affected+name+alt",
    "sex": "#affected+sex",
    "age": "#affected+age",
    "birth_date": "#date+birth",
    "home_place": "#loc+name+home",
    "status": "#status+affected",
    "status_date": "#date+reported",
    "event_place": "#loc+name+event",
    "current_place": "#loc+name+current",
    "category": "#affected+category",
    "reporter_name": "#contact+name",
    "reporter_contact": "#contact+phone",
    "notes": "#description",
    # Export-only columns of `rollcall export hxl`.
    "source": "#meta+source",
    "person_id": "#meta+person",
    "list_kind": "#meta+list",
    "dataset": "#meta+dataset",
    "row_number": "#meta+row",
}


# A tag's meaning is its hashtag plus its set of attributes, in any order.
def tag_key(tag: str) -> tuple[str, frozenset[str]]:
    parts = [p for p in re.split(r"\s*\+\s*", tag.strip().lower()) if p]
    if not parts or not parts[0].startswith("#"):
        return "", frozenset()
    return parts[0], frozenset(parts[1:])


_HXL_TO_CANONICAL = {tag_key(tag): column for column, tag in CANONICAL_TO_HXL.items()}
# Common tags other tools write for the same things.
_HXL_TO_CANONICAL.update(
    {
        tag_key("#affected+name+first"): "given_name",
        tag_key("#affected+name+last"): "family_name",
        tag_key("#contact+email"): "reporter_contact",
        tag_key("#loc+name"): "home_place",
        tag_key("#date"): "status_date",
        tag_key("#status"): "status",
    }
)


def is_tag_row(cells: list[str]) -> bool:
    filled = [c.strip() for c in cells if c.strip()]
    return bool(filled) and all(
        re.fullmatch(r"#[a-z][a-z0-9_]*(\s*\+\s*[a-z][a-z0-9_]*)*", c.lower()) for c in filled
    )


def canonical_for_tag(tag: str) -> str | None:
    return _HXL_TO_CANONICAL.get(tag_key(tag))
