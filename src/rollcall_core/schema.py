"""The canonical vocabulary shared by every list: column names, statuses, categories, kinds.

These names are a public contract (DESIGN.md, "Interfaces"): import files, exports and
scripts depend on them. Change them only with a migration path.
"""

from __future__ import annotations

# Canonical import columns, in the order exports write them.
CANONICAL_COLUMNS: tuple[str, ...] = (
    "record_id",
    "full_name",
    "given_name",
    "family_name",
    "patronymic",
    "alternate_names",
    "sex",
    "age",
    "birth_date",
    "home_place",
    "status",
    "status_date",
    "event_place",
    "current_place",
    "category",
    "reporter_name",
    "reporter_contact",
    "notes",
)

STATUSES: tuple[str, ...] = ("missing", "alive", "injured", "dead", "detained", "unknown")
CATEGORIES: tuple[str, ...] = ("civilian", "military", "unknown")
SEXES: tuple[str, ...] = ("female", "male", "other", "unknown")
LIST_KINDS: tuple[str, ...] = (
    "missing_reports",
    "casualties",
    "hospital",
    "shelter",
    "crossing",
    "detainees",
    "other",
)

# Fields that reveal where a living person is or how to reach them (or who reported them).
# The public never sees them; staff views of them are audited.
RESTRICTED_FIELDS: frozenset[str] = frozenset(
    {"current_place", "reporter_name", "reporter_contact", "notes", "event_place"}
)
