"""Person search by name. Ranked persons with their records.

The public sees only what `rollcall.web` chooses to show from a result; this module returns
everything and is for trusted callers (staff pages, the command, the API behind its permissions).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import reduce
from operator import and_

from django.db.models import Q

from rollcall.registry.models import Person, Record

MAX_QUERY_CHARS = 200
MAX_TOKENS = 6


@dataclass(frozen=True)
class SearchResult:
    person_id: str
    display_name: str
    score: float
    records: list[dict[str, str]] = field(default_factory=list)
    why: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "person_id": self.person_id,
            "display_name": self.display_name,
            "score": round(self.score, 4),
            "records": self.records,
        }


def clean_query(query: str) -> list[str]:
    """Tokens of a query with invisible and control characters removed; bounded in size."""
    text = unicodedata.normalize("NFC", query[: MAX_QUERY_CHARS * 4])
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] not in {"C"})
    tokens = [t for t in text[:MAX_QUERY_CHARS].split() if any(ch.isalpha() for ch in t)]
    return tokens[:MAX_TOKENS]


def search_persons(query: str, *, limit: int = 10) -> list[SearchResult]:
    tokens = clean_query(query)
    if not tokens:
        return []
    name_fields = ("full_name", "given_name", "family_name", "patronymic", "alternate_names")
    conditions = [reduce(lambda a, b: a | b, (Q(**{f"{f}__icontains": t}) for f in name_fields)) for t in tokens]
    person_ids = list(
        Record.objects.filter(reduce(and_, conditions)).values_list("person_id", flat=True).distinct()[: limit * 5]
    )
    persons = Person.objects.filter(pk__in=person_ids).prefetch_related("records__source")
    results = []
    lowered = [t.casefold() for t in tokens]
    for person in persons:
        records = list(person.records.all())
        names = " ".join(r.name_as_written() for r in records).casefold()
        exact = sum(1 for t in lowered if f" {t} " in f" {names} ")
        score = (len(tokens) + exact) / (2 * len(tokens))
        results.append(
            SearchResult(
                person_id=person.public_id,
                display_name=person.display_name,
                score=score,
                records=[{"source": r.source.name, "record_id": r.record_id, "full_name": r.name_as_written()} for r in records],
            )
        )
    results.sort(key=lambda r: (-r.score, r.display_name))
    return results[:limit]
