"""Person search by name, in any script, through the names index (NameKey).

Candidates come from the index (keys of `rollcall_core.names.search_keys`), rarest keys first,
each key's fetch bounded so that no query runs unbounded; they are ranked by
`rollcall_core.names.name_similarity` and grouped by person.

This module returns everything about a match and is for trusted callers (staff pages, the
command, staff API). The public pages choose what little they show from a result.
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q, QuerySet

from rollcall.registry.models import IndexState, NameKey, Person, PlaceName, Record
from rollcall_core.names import keys_version, name_similarity, search_keys

MAX_QUERY_CHARS = 200
# How many index rows one key may contribute: bounds every query, however common the name.
KEY_FETCH_CAP = 3000
# How many candidate records are scored with the full similarity.
CANDIDATES_SCORED = 400
INDEX_NAME = "names"
NAME_FIELDS = ("full_name", "given_name", "family_name", "patronymic", "alternate_names")


@dataclass(frozen=True)
class SearchFilters:
    sex: str = ""
    birth_year: int | None = None
    age: int | None = None
    home_place: str = ""


@dataclass(frozen=True)
class SearchResult:
    person_id: str
    display_name: str
    score: float
    records: list[dict[str, str]] = field(default_factory=list)
    why: tuple[str, ...] = ()
    person_pk: int = 0

    def to_dict(self) -> dict[str, object]:
        return {
            "person_id": self.person_id,
            "display_name": self.display_name,
            "score": round(self.score, 4),
            "records": self.records,
        }


def clean_query(query: str) -> str:
    """The query with control, format (RTL marks, zero-width joiners) and unassigned characters removed; bounded."""
    text = unicodedata.normalize("NFC", query[: MAX_QUERY_CHARS * 4])
    text = "".join(
        " " if ch.isspace() else ch for ch in text if unicodedata.category(ch)[0] != "C" or ch.isspace()
    )
    return " ".join(text.split())[:MAX_QUERY_CHARS]


def record_names(record: Record | Mapping[str, str]) -> list[str]:
    """The name forms of a record that the index and the ranking use."""
    get = (lambda f: getattr(record, f)) if isinstance(record, Record) else (lambda f: record.get(f, ""))
    whole = get("full_name") or " ".join(
        p for p in (get("given_name"), get("patronymic"), get("family_name")) if p
    )
    names = [whole] if whole else []
    names += [a.strip() for a in get("alternate_names").split(";") if a.strip()]
    return names


def keys_for_record(record: Record | Mapping[str, str]) -> set[str]:
    keys: set[str] = set()
    for name in record_names(record):
        keys |= search_keys(name)
    return keys


def index_records(records: Iterable[Record]) -> int:
    """Write the index rows of records (call inside the transaction that stores them).

    A plain executemany: the ORM's bulk_create spent most of an import building model
    instances for these two-column rows (docs/benchmarks.md, "Import").
    """
    rows = [(key[:64], record.pk) for record in records for key in keys_for_record(record)]
    quote = connection.ops.quote_name
    sql = f"INSERT INTO {quote(NameKey._meta.db_table)} ({quote('key')}, {quote('record_id')}) VALUES (%s, %s)"  # noqa: S608 - our own table and columns
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
    return len(rows)


def rebuild_index(progress: object = None) -> int:
    """Recompute every record's keys, e.g. after the key algorithm changed version."""
    total = Record.objects.count()
    written = done = 0
    with transaction.atomic():
        NameKey.objects.all().delete()
        batch: list[Record] = []
        for record in Record.objects.only(*NAME_FIELDS).iterator(chunk_size=5000):
            batch.append(record)
            if len(batch) == 5000:
                written += index_records(batch)
                done += len(batch)
                batch = []
                if callable(progress):
                    progress(done, total)
        written += index_records(batch)
        IndexState.objects.update_or_create(name=INDEX_NAME, defaults={"version": keys_version})
    if callable(progress):
        progress(total, total)
    return written


def index_is_current() -> bool:
    state = IndexState.objects.filter(name=INDEX_NAME).first()
    if state is None:
        # An index that never needed a rebuild is current if it was built by imports of this version.
        return not Record.objects.exists() or NameKey.objects.exists()
    return state.version == keys_version


def mark_index_version() -> None:
    IndexState.objects.get_or_create(name=INDEX_NAME, defaults={"version": keys_version})


def _place_variants(place_text: str) -> list[str]:
    """Every name of the places whose name matches the text, so a filter in any script works."""
    folded = place_text.strip().casefold()
    if not folded:
        return []
    place_ids = PlaceName.objects.filter(folded=folded).values_list("place_id", flat=True)
    names = set(PlaceName.objects.filter(place_id__in=list(place_ids)).values_list("name", flat=True))
    return sorted(names | {place_text.strip()})


def _filtered(records: QuerySet[Record], filters: SearchFilters) -> QuerySet[Record]:
    if filters.sex:
        records = records.filter(sex=filters.sex)
    if filters.birth_year:
        records = records.filter(Q(birth_date__startswith=str(filters.birth_year)) | Q(birth_date=""))
    if filters.home_place:
        variants = _place_variants(filters.home_place)
        condition = Q()
        for name in variants:
            condition |= Q(home_place__iexact=name)
        records = records.filter(condition)
    return records


def _age_fits(record: Record, age: int | None) -> bool:
    if age is None:
        return True
    if record.birth_date[:4].isdigit():
        return abs((2023 - int(record.birth_date[:4])) - age) <= 3
    numbers = [int(n) for n in record.age.replace("-", " ").split() if n.isdigit()]
    if numbers:
        return min(numbers) - 3 <= age <= max(numbers) + 3
    return True


def candidate_record_ids(
    query: str, *, filters: SearchFilters | None = None, limit: int = CANDIDATES_SCORED
) -> list[int]:
    """Record ids sharing index keys with the query, the most (and rarest) shared keys first."""
    keys = sorted(search_keys(query))
    if not keys:
        return []
    filters = filters or SearchFilters()
    hits: dict[int, float] = defaultdict(float)
    filtering = bool(filters.sex or filters.birth_year or filters.home_place)
    for key in keys:
        rows = NameKey.objects.filter(key=key)
        if filtering:
            rows = rows.filter(record__in=_filtered(Record.objects.all(), filters))
        ids = list(rows.values_list("record_id", flat=True)[:KEY_FETCH_CAP])
        if not ids:
            continue
        # Rare keys say more than common ones (an inverse-frequency weight).
        weight = 1.0 / math.log(2 + len(ids))
        for record_id in ids:
            hits[record_id] += weight
    ranked = sorted(hits.items(), key=lambda item: (-item[1], item[0]))
    return [record_id for record_id, _ in ranked[:limit]]


def candidate_records(fields: Mapping[str, str], *, limit: int = 50) -> list[int]:
    """Candidate record ids for a new record's fields (used by incremental linkage)."""
    names = record_names(fields)
    seen: dict[int, int] = {}
    for name in names:
        for rank, record_id in enumerate(candidate_record_ids(name, limit=limit)):
            seen[record_id] = min(rank, seen.get(record_id, rank))
    return sorted(seen, key=lambda rid: seen[rid])[:limit]


def search_persons(
    query: str, *, limit: int = 10, filters: SearchFilters | None = None
) -> list[SearchResult]:
    """Ranked persons whose records' names match the query under any spelling or script."""
    text = clean_query(query)
    if not any(ch.isalpha() for ch in text):
        return []
    filters = filters or SearchFilters()
    ids = candidate_record_ids(text, filters=filters)
    if not ids:
        return []
    best: dict[int, tuple[float, tuple[str, ...]]] = {}
    for record in Record.objects.filter(pk__in=ids).only(
        "id", "person_id", "birth_date", "age", *NAME_FIELDS
    ):
        if not _age_fits(record, filters.age):
            continue
        for name in record_names(record):
            scored = name_similarity(text, name)
            previous = best.get(record.person_id)
            if previous is None or scored.score > previous[0]:
                why = tuple(
                    f"{part}: {a} ~ {b} ({agreement})" for part, a, b, agreement in scored.explanation
                )
                best[record.person_id] = (scored.score, why)
    top = sorted(best.items(), key=lambda item: (-item[1][0], item[0]))[:limit]
    persons = {p.pk: p for p in Person.objects.filter(pk__in=[pk for pk, _ in top])}
    records_by_person: dict[int, list[Record]] = defaultdict(list)
    for record in Record.objects.filter(person_id__in=list(persons)).select_related("source").order_by("id"):
        records_by_person[record.person_id].append(record)
    results = []
    for person_pk, (score, why) in top:
        person = persons[person_pk]
        results.append(
            SearchResult(
                person_id=person.public_id,
                display_name=person.display_name,
                score=score,
                records=[
                    {"source": r.source.name, "record_id": r.record_id, "full_name": r.name_as_written()}
                    for r in records_by_person[person_pk]
                ],
                why=why,
                person_pk=person_pk,
            )
        )
    return results
