"""A synthetic population of September 2023 and the lists that counted it, with the truth kept aside.

Every person is derived from (seed, index) alone, and every list is written in the same single
pass, so a million people stream to disk in constant memory. Families share a surname, a home
place and a father's name; capture depends on who the person is (the dead are on the ministry's
list with high probability, soldiers more than civilians; the wounded in hospital; most
survivors cross at Kornidzor), which is what multiple systems estimation must cope with.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from rollcall_core.demo.spelling import cyrillise, romanise, typo
from rollcall_core.gazetteer import load_places

# Armenian given names with the diminutives families use on tracing forms.
MALE = {
    "Արամ": [], "Արմեն": ["Armo"], "Դավիթ": ["Dato"], "Գրիգոր": ["Grisha"], "Հակոբ": ["Hakobik"],
    "Հովհաննես": ["Hovo", "Vanik"], "Կարեն": [], "Տիգրան": ["Tiko"], "Սարգիս": ["Sako"], "Վարդան": [],
    "Գևորգ": ["Gevo"], "Ռուբեն": [], "Աշոտ": [], "Արթուր": [], "Սամվել": ["Samo"], "Նարեկ": [], "Մհեր": [],
    "Վահե": [], "Հայկ": [], "Էդգար": [], "Արսեն": [], "Գագիկ": [], "Սերգեյ": ["Seryozha"],
    "Ալեքսանդր": ["Sasha", "Alik"], "Խաչատուր": ["Khacho"], "Պետրոս": [], "Արտակ": [], "Սուրեն": [],
    "Վաչագան": ["Vacho"], "Լևոն": [], "Գառնիկ": [], "Համլետ": [],
}  # fmt: skip
FEMALE = {
    "Սիրանուշ": ["Sira"], "Անահիտ": ["Ano"], "Մարիամ": ["Maro"], "Աննա": ["Anya"], "Լուսինե": ["Luso"],
    "Նունե": [], "Գայանե": ["Gayo"], "Հասմիկ": [], "Արմինե": [], "Լիլիթ": [], "Անի": [], "Սոնա": [],
    "Զարուհի": [], "Աստղիկ": [], "Նարինե": [], "Մարինե": [], "Ռուզաննա": [], "Կարինե": [], "Գոհար": [],
    "Տաթևիկ": [], "Սեդա": [], "Հռիփսիմե": [], "Էլեն": [], "Ալվարդ": [],
}  # fmt: skip
# Given names whose Russian form is not a letter-by-letter rendering.
RUSSIAN_GIVEN = {
    "Հովհաննես": "Ованес", "Դավիթ": "Давид", "Հակոբ": "Акоп", "Մհեր": "Мгер", "Ալեքսանդր": "Александр",
    "Սերգեյ": "Сергей", "Հայկ": "Айк", "Հասմիկ": "Асмик", "Հռիփսիմե": "Рипсиме", "Պետրոս": "Петрос",
    "Գևորգ": "Геворг", "Լևոն": "Левон", "Տաթևիկ": "Татевик", "Էդգար": "Эдгар", "Էլեն": "Элен",
}  # fmt: skip
# Common surnames first: frequencies fall off as in Armenian registers (Zipf-like weights below).
SURNAMES = [
    "Հովհաննիսյան", "Հարությունյան", "Սարգսյան", "Գրիգորյան", "Պետրոսյան", "Խաչատրյան", "Հակոբյան",
    "Կարապետյան", "Ավետիսյան", "Գասպարյան", "Մկրտչյան", "Ադամյան", "Մելքումյան", "Բաղդասարյան",
    "Ղազարյան", "Դանիելյան", "Առաքելյան", "Բաբայան", "Աղաջանյան", "Մանուկյան", "Ավանեսյան", "Սահակյան",
    "Մարտիրոսյան", "Վարդանյան", "Ստեփանյան", "Գաբրիելյան", "Հայրապետյան", "Մնացականյան", "Օհանյան",
    "Բեգլարյան", "Դավթյան", "Ալավերդյան", "Իսրայելյան", "Շահբազյան", "Զաքարյան", "Թովմասյան",
    "Ներսիսյան", "Մովսիսյան", "Ասատրյան", "Աբրահամյան", "Սիմոնյան", "Ղուկասյան", "Բալայան", "Ուլուբաբյան",
    "Ծատուրյան", "Ջանիբեկյան", "Չիլինգարյան", "Ժամկոչյան", "Շուշանյան", "Յոլչյան",
]  # fmt: skip
SURNAME_WEIGHTS = [1.0 / (rank + 2) ** 0.9 for rank in range(len(SURNAMES))]
HOME_PLACES = [
    ("stepanakert", 40), ("martakert", 6), ("martuni", 7), ("askeran", 4), ("chartar", 4), ("karmir-shuka", 2),
    ("sarushen", 2), ("drmbon", 1), ("khachmach", 2), ("mets-taghlar", 1), ("karin-tak", 2), ("ivanyan", 2),
    ("vank", 1), ("sos", 1), ("haterk", 1), ("aknaghbyur", 1), ("nor-maragha", 1), ("taghavard", 1),
    ("chankatagh", 1), ("hadrut", 3),
]  # fmt: skip
LATIN_SYSTEMS = ("bgn", "west", "de", "fr")
CRISIS_DAYS = ("2023-09-19", "2023-09-20", "2023-09-21", "2023-09-22")
CROSSING_DAYS = (
    "2023-09-24",
    "2023-09-25",
    "2023-09-26",
    "2023-09-27",
    "2023-09-28",
    "2023-09-29",
    "2023-09-30",
)


@dataclass(frozen=True)
class DemoList:
    name: str
    source: str
    kind: str
    filename: str
    format: str
    language: str
    rows: int


@dataclass(frozen=True)
class ScenarioManifest:
    lists: tuple[DemoList, ...]
    truth_path: Path
    people: int
    seed: int


@dataclass(frozen=True)
class Person:
    key: str
    sex: str
    given: str
    family: str
    father: str
    birth: tuple[int, int, int]
    home: str
    status: str  # truth: dead, injured, missing (never found), detained, alive
    military: bool


def _person(index: int, seed: int) -> Person:
    family_index = index // 4
    family_rng = random.Random(f"{seed}:family:{family_index}")
    family = family_rng.choices(SURNAMES, SURNAME_WEIGHTS)[0]
    father = family_rng.choice(list(MALE))
    home = family_rng.choices([p for p, _ in HOME_PLACES], [w for _, w in HOME_PLACES])[0]
    rng = random.Random(f"{seed}:person:{index}")
    sex = "female" if rng.random() < 0.52 else "male"
    given = rng.choice(list(FEMALE if sex == "female" else MALE))
    age = min(95, int(rng.triangular(0, 90, 32)))
    birth = (2023 - age - (1 if rng.random() < 0.7 else 0), rng.randint(1, 12), rng.randint(1, 28))
    military = sex == "male" and 18 <= age <= 55 and rng.random() < 0.25
    roll = rng.random()
    danger = 2.5 if military else 1.0
    if roll < 0.06 * danger:
        status = "dead"
    elif roll < 0.06 * danger + 0.10:
        status = "injured"
    elif roll < 0.06 * danger + 0.13:
        status = "missing"
    elif roll < 0.06 * danger + 0.14:
        status = "detained"
    else:
        status = "alive"
    return Person(f"P{index:07d}", sex, given, family, father, birth, home, status, military)


def _age(person: Person) -> int:
    return 2023 - person.birth[0]


def _place_name(key: str, lang: str) -> str:
    place = _PLACES[key]
    return place.names.get(lang) or place.names.get("en") or key


_PLACES = {p.key: p for p in load_places()}


def _russian_given(name: str) -> str:
    return RUSSIAN_GIVEN.get(name) or cyrillise(name)


def _russian_patronymic(father: str, sex: str) -> str:
    base = _russian_given(father)
    if base.endswith("й"):
        return base[:-1] + ("евич" if sex == "male" else "евна")
    return base + ("ович" if sex == "male" else "овна")


def _latin(person: Person, rng: random.Random, system: str | None = None) -> tuple[str, str]:
    system = system or rng.choice(LATIN_SYSTEMS)
    return romanise(person.given, system), romanise(person.family, system)


def _birth_text(person: Person, rng: random.Random, style: str) -> str:
    year, month, day = person.birth
    r = rng.random()
    if r < 0.05:
        day, month = (month, day) if day <= 12 else (day, month)  # day and month swapped
    elif r < 0.09:
        year += rng.choice((-1, 1))
    elif r < 0.2:
        return str(year)  # only the year was known
    if style == "ru":
        return f"{day:02d}.{month:02d}.{year}"
    return f"{year}-{month:02d}-{day:02d}"


def _maybe_typo(text: str, rng: random.Random, rate: float = 0.05) -> str:
    return typo(text, rng) if rng.random() < rate else text


class _ListWriter:
    def __init__(
        self,
        directory: Path,
        spec: DemoList,
        headers: list[str],
        delimiter: str = ",",
        encoding: str = "utf-8",
    ) -> None:
        self.spec = spec
        self.handle = (directory / spec.filename).open("w", encoding=encoding, newline="")
        self.writer = csv.writer(self.handle, delimiter=delimiter)
        self.writer.writerow(headers)
        self.rows = 0

    def write(self, row: list[str], person: Person, truth: Any, rng: random.Random) -> None:
        copies = 2 if rng.random() < 0.02 else 1  # the same person registered twice on one list
        for _ in range(copies):
            self.rows += 1
            record_id = f"{self.spec.name}-{self.rows:07d}"
            self.writer.writerow([record_id, *row])
            truth.writerow([self.spec.name, record_id, person.key])

    def close(self) -> DemoList:
        self.handle.close()
        return DemoList(**{**asdict(self.spec), "rows": self.rows})


LISTS = (
    DemoList(
        "tracing",
        "Armenian Red Cross tracing desk",
        "missing_reports",
        "tracing_requests.csv",
        "csv",
        "mixed",
        0,
    ),
    DemoList(
        "hospital",
        "Stepanakert Republican Medical Center",
        "hospital",
        "hospital_admissions.csv",
        "csv",
        "ru",
        0,
    ),
    DemoList(
        "shelter",
        "Stepanakert airport shelter registration",
        "shelter",
        "airport_shelter.csv",
        "csv",
        "en",
        0,
    ),
    DemoList(
        "ministry", "Nagorno-Karabakh Ministry of Health", "casualties", "moh_casualties.csv", "csv", "hy", 0
    ),
    DemoList(
        "peacekeepers",
        "Russian peacekeeping contingent bulletin",
        "casualties",
        "peacekeepers_bulletin.csv",
        "csv",
        "ru",
        0,
    ),
    DemoList(
        "crossing", "Kornidzor registration point", "crossing", "kornidzor_crossings.csv", "csv", "en", 0
    ),
)
HEADERS = {
    "tracing": ["record_id", "full_name", "age", "home_place", "status", "status_date", "reporter_name", "reporter_contact", "notes"],
    "hospital": ["№", "Фамилия", "Имя", "Отчество", "Возраст", "Пол", "Место жительства", "Статус", "Дата"],
    "shelter": ["No", "Name", "Age", "Sex", "Home", "Location", "Date"],
    "ministry": ["Համար", "Ազգանուն", "Անուն", "Հայրանուն", "Ծննդյան ամսաթիվ", "Սեռ", "Բնակավայր", "Կարգավիճակ", "Կատեգորիա"],
    "peacekeepers": ["ID", "ФИО", "Статус", "Место события"],
    "crossing": ["record_id", "family_name", "given_name", "birth_date", "sex", "home_place", "status", "status_date"],
}  # fmt: skip
RELATIONS = ("brother", "sister", "mother", "father", "son", "daughter", "cousin", "neighbour")
CHILD_RELATIONS = ("brother", "sister", "mother", "father", "cousin", "neighbour")
FEMALE_RELATIONS = frozenset({"sister", "mother", "daughter"})


def _tracing_row(p: Person, rng: random.Random) -> list[str]:
    script = rng.random()
    nickname_pool = (FEMALE if p.sex == "female" else MALE).get(p.given, [])
    if script < 0.4:
        name, place = f"{p.given} {p.family}", _place_name(p.home, "hy")
    elif script < 0.7:
        name, place = f"{_russian_given(p.given)} {cyrillise(p.family)}", _place_name(p.home, "ru")
    else:
        given, family = _latin(p, rng, rng.choice(("bgn", "west", "fr")))
        if nickname_pool and rng.random() < 0.3:
            given = rng.choice(nickname_pool)
        name = f"{family} {given}" if rng.random() < 0.15 else f"{given} {family}"
        place = _place_name(p.home, "en")
    age = _age(p)
    # The reporter's sex follows the relationship and a child is not reported by a son or daughter,
    # so that the notes column is consistent with the reporter's name.
    relation = rng.choice(RELATIONS if age >= 18 else CHILD_RELATIONS)
    reporter_pool = FEMALE if relation in FEMALE_RELATIONS else MALE
    reporter_surname = rng.choice(SURNAMES) if relation == "neighbour" else p.family
    reporter_given, reporter_family = _latin(
        Person("", "", rng.choice(list(reporter_pool)), reporter_surname, "", (0, 0, 0), "", "", False),
        rng,
        "bgn",
    )
    return [
        _maybe_typo(name, rng),
        str(age) if rng.random() < 0.6 else f"{max(0, age - 3)}-{age + 2}",
        place,
        "missing",
        rng.choice(CRISIS_DAYS[1:]),
        f"{reporter_given} {reporter_family}",
        f"+374 9{rng.randint(1, 9)} {rng.randint(100000, 999999)}",
        f"reported by {relation}",
    ]


def _hospital_row(p: Person, rng: random.Random) -> list[str]:
    return [
        _maybe_typo(cyrillise(p.family), rng),
        _russian_given(p.given),
        _russian_patronymic(p.father, p.sex) if rng.random() < 0.85 else "",
        str(_age(p)) if rng.random() < 0.9 else "",
        "ж" if p.sex == "female" else "м",
        _place_name(p.home, "ru") if rng.random() < 0.8 else "",
        "погиб" if p.status == "dead" else "ранен",
        rng.choice(CRISIS_DAYS[1:]),
    ]


def _shelter_row(p: Person, rng: random.Random) -> list[str]:
    given, family = _latin(p, rng)
    age = _age(p)
    low = age // 5 * 5
    return [
        _maybe_typo(f"{given} {family}", rng, 0.08),
        f"{low}-{low + 4}" if rng.random() < 0.6 else str(age),
        ("F" if p.sex == "female" else "M") if rng.random() < 0.7 else "",
        _place_name(p.home, "en") if rng.random() < 0.5 else "",
        "Stepanakert airport",
        rng.choice(CRISIS_DAYS[1:]),
    ]


def _ministry_row(p: Person, rng: random.Random) -> list[str]:
    return [
        _maybe_typo(p.family, rng, 0.02),
        p.given,
        p.father + "ի" if rng.random() < 0.8 else "",
        _birth_text(p, rng, "iso"),
        "իգական" if p.sex == "female" else "արական",
        _place_name(p.home, "hy"),
        "զոհված",
        "զինծառայող" if p.military else "քաղաքացիական",
    ]


def _peacekeepers_row(p: Person, rng: random.Random) -> list[str]:
    initial = _russian_given(p.given)[0]
    return [
        f"{cyrillise(p.family)} {initial}.",
        "погиб" if p.status == "dead" else "ранен",
        _place_name(p.home, "ru"),
    ]


def _crossing_row(p: Person, rng: random.Random) -> list[str]:
    given, family = _latin(p, rng, "passport")
    return [
        _maybe_typo(family, rng, 0.03),
        given,
        _birth_text(p, rng, "iso"),
        p.sex if rng.random() < 0.95 else "",
        _place_name(p.home, "en").upper() if rng.random() < 0.9 else "",
        "alive",
        rng.choice(CROSSING_DAYS),
    ]


def _captures(p: Person, rng: random.Random) -> list[str]:
    """Which lists this person is on: capture depends on status, age, sex and role."""
    on = []
    old_or_young = _age(p) < 16 or _age(p) > 65
    if p.status in {"dead", "missing", "detained"} and rng.random() < (0.45 if not p.military else 0.3):
        on.append("tracing")
    elif p.status in {"injured", "alive"} and rng.random() < 0.04:
        on.append("tracing")  # families who lost contact with someone who was in fact safe
    if p.status == "injured" and rng.random() < 0.8:
        on.append("hospital")
    if p.status == "dead" and rng.random() < 0.3:
        on.append("hospital")
    if p.status == "dead" and rng.random() < (0.92 if p.military else 0.62):
        on.append("ministry")
    if (
        p.status in {"dead", "injured"}
        and p.home in {"stepanakert", "askeran", "ivanyan"}
        and rng.random() < 0.12
    ):
        on.append("peacekeepers")
    if (
        p.status in {"alive", "injured"}
        and p.home != "stepanakert"
        and rng.random() < (0.45 if old_or_young else 0.3)
    ):
        on.append("shelter")
    if p.status in {"alive", "injured"} and rng.random() < 0.9:
        on.append("crossing")
    return on


ROW_MAKERS: dict[str, Callable[[Person, random.Random], list[str]]] = {
    "tracing": _tracing_row,
    "hospital": _hospital_row,
    "shelter": _shelter_row,
    "ministry": _ministry_row,
    "peacekeepers": _peacekeepers_row,
    "crossing": _crossing_row,
}


def iter_people(count: int, seed: int) -> Iterator[Person]:
    for index in range(count):
        yield _person(index, seed)


def write_scenario(
    out_dir: Path,
    *,
    people: int = 2000,
    seed: int = 2023,
    progress: Callable[[int, int], None] | None = None,
) -> ScenarioManifest:
    """Write the lists of the scenario and its truth into out_dir; returns what was written."""
    if people < 1:
        raise ValueError("people must be at least 1")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    writers = {
        spec.name: _ListWriter(
            out_dir,
            spec,
            HEADERS[spec.name],
            delimiter=";" if spec.name == "hospital" else ",",
            # The hospital's export comes from an old Windows machine.
            encoding="cp1251" if spec.name == "hospital" else "utf-8",
        )
        for spec in LISTS
    }
    truth_path = out_dir / "truth.csv"
    with truth_path.open("w", encoding="utf-8", newline="") as truth_handle:
        truth = csv.writer(truth_handle)
        truth.writerow(["list_name", "record_id", "person_key"])
        for index, person in enumerate(iter_people(people, seed)):
            rng = random.Random(f"{seed}:lists:{index}")
            for name in _captures(person, rng):
                writers[name].write(ROW_MAKERS[name](person, rng), person, truth, rng)
            if progress is not None and index % 5000 == 0:
                progress(index, people)
    lists = tuple(w.close() for w in writers.values())
    manifest = ScenarioManifest(lists=lists, truth_path=truth_path, people=people, seed=seed)
    (out_dir / "manifest.json").write_text(
        json.dumps(
            {
                "people": people,
                "seed": seed,
                "truth": truth_path.name,
                "lists": [asdict(item) for item in lists],
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    if progress is not None:
        progress(people, people)
    return manifest


def iter_names(count: int, seed: int) -> Iterator[str]:
    """Full names as lists write them, in any script, for benchmarks that need realistic distractors."""
    rng = random.Random(f"{seed}:names")
    index = 0
    while index < count:
        person = _person(index + 10_000_000, seed)
        style = rng.random()
        if style < 0.3:
            yield f"{person.given} {person.family}"
        elif style < 0.6:
            yield f"{cyrillise(person.family)} {_russian_given(person.given)} {_russian_patronymic(person.father, person.sex)}"
        else:
            given, family = _latin(person, rng)
            yield f"{given} {family}"
        index += 1
