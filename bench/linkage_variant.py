"""A second crisis scenario for linkage, written independently of the demo generator.

The demo (`rollcall_core.demo`) is what the model was tuned on; a model that only fits it would
fail on lists written by other hands. This generator shares no code or tables with it and makes
different choices on purpose:

- other name pools (78 given names, 75 surnames with a flatter frequency curve than the demo's),
  written here in Armenian script and rendered by this file's own tables;
- other spelling habits: Latin from the Russian form (Oganesyan, Arutyunyan, Sarkisyan: the
  Soviet-passport habit), ISO 9985 with diacritics (Xačatryan, Łazaryan), French and Western
  Armenian spellings, a Russian form that writes Armenian h as г half of the time (Гоар/Гогар);
- canonical import columns (given_name/family_name or full_name, surname first on some lists);
- different list sizes and fields: a thin shelter register (Latin name, a ten-year age band,
  often no sex), a border list (passport spelling, birth date in three formats, home place), a
  hospital list (Cyrillic, surname first, patronymic, age), a casualty list (Armenian script,
  birth year only) and families' tracing requests (any script, "about 40");
- duplicates within a list that were retyped (with a slip), not copied, and married women
  registered under another surname on some lists (not linkable by name: a true miss).

`write_variant(out_dir, people=..., seed=...)` writes the lists and truth.csv (list_name,
record_id, person_key) and returns [(list name, kind, file name)].
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

MALE = (
    "Արամ Արմեն Արտակ Արթուր Աշոտ Բագրատ Գագիկ Գառնիկ Գևորգ Գրիգոր Դավիթ Եդվարդ Երվանդ Զավեն Էդգար Թաթուլ "
    "Լևոն Խաչատուր Կարեն Կարո Հայկ Համլետ Հակոբ Հովհաննես Հրանտ Հրաչյա Մանվել Մհեր Միքայել Մովսես Նարեկ "
    "Ներսես Շահեն Ռաֆայել Ռուբեն Սամվել Սարգիս Սերոբ Սուրեն Վահագն Վահե Վազգեն Վարդան Տիգրան Փայլակ Օնիկ"
).split()
FEMALE = (
    "Ալվարդ Անահիտ Անի Աննա Աստղիկ Արմինե Արուսյակ Գայանե Գոհար Դիանա Զարուհի Էլեն Թամարա Լիլիթ Լուսինե "
    "Կարինե Հասմիկ Հեղինե Հռիփսիմե Մարիամ Մարինե Նարինե Նունե Շուշանիկ Ռուզաննա Սեդա Սիրանուշ Սոնա "
    "Սուսաննա Վարսենիկ Տաթևիկ Քնարիկ"
).split()
SURNAME_STEMS = (
    "Աբրահամ Ադամ Ազատ Ալեքսան Աղաջան Ամիրխան Անդրեաս Առաքել Ասատր Աստվածատր Ավագ Ավանես Ավետիս "
    "Բաբաջան Բաղդասար Բալասան Բարսեղ Բեգլար Բեգլար Գաբրիել Գալստ Գասպար Գևորգ Գրիգոր Դանիել Դավթ "
    "Եղիազար Երեմ Զաքար Զոհրաբ Թադևոս Թովմաս Իսրայել Լալայ Խաչատր Խաչիկ Ծատուր Կարապետ Կիրակոս "
    "Հակոբ Համբարձում Հայրապետ Հարություն Հովհաննիս Հովսեփ Ղազար Ղուկաս Մարգար Մարտիրոս Մելիքսեթ "
    "Մելքոնյ Միրզո Մկրտչ Մնացական Մովսիս Մուրադ Նազար Ներսիս Շահբազ Շահինյ Ոսկան Պետրոս Ջանիբեկ "
    "Ռոստոմ Սահակ Սարգս Սիմոն Ստեփան Սողոմոն Վարդան Վարոս Տեր-Պետրոս Փիլիպոս Քալանթար Քոչար Օհան"
).split()
SURNAMES = tuple(dict.fromkeys(s.rstrip("յ") + "յան" for s in SURNAME_STEMS))
HOMES = (
    # (key, weight, spellings a clerk might use in Latin, Russian, Armenian)
    (
        "stepanakert",
        30,
        ("Stepanakert", "STEPANAKERT", "Stepanakert city"),
        ("Степанакерт", "г. Степанакерт"),
        ("Ստեփանակերտ",),
    ),
    ("martuni", 8, ("Martuni", "MARTUNI"), ("Мартуни",), ("Մարտունի",)),
    ("martakert", 8, ("Martakert", "MARTAKERT"), ("Мартакерт",), ("Մարտակերտ",)),
    ("askeran", 6, ("Askeran", "ASKERAN"), ("Аскеран",), ("Ասկերան",)),
    ("hadrut", 4, ("Hadrut", "Hadrout"), ("Гадрут",), ("Հադրութ",)),
    ("shushi", 3, ("Shushi", "Shusha"), ("Шуши", "Шуша"), ("Շուշի",)),
    ("chartar", 4, ("Chartar", "CHARTAR"), ("Чартар",), ("Ճարտար",)),
    ("karmir-shuka", 3, ("Karmir Shuka",), ("Кармир Шука",), ("Կարմիր Շուկա",)),
    ("sos", 2, ("Sos",), ("Сос",), ("Սոս",)),
    ("haterk", 2, ("Haterk",), ("Атерк",), ("Հաթերք",)),
    ("vank", 2, ("Vank",), ("Ванк",), ("Վանք",)),
    ("taghavard", 2, ("Taghavard",), ("Тагавард",), ("Թաղավարդ",)),
)

# Armenian letters in each system (digraph keys first where they matter).
_COMMON = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y", "թ": "t", "ժ": "zh",
    "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h", "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m",
    "յ": "y", "ն": "n", "շ": "sh", "ո": "o", "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v",
    "տ": "t", "ր": "r", "ց": "ts", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "-": "-",
}  # fmt: skip
_ISO = {**_COMMON, "խ": "x", "ժ": "ž", "ղ": "ł", "ճ": "č", "չ": "č’", "շ": "š", "ջ": "ǰ", "ռ": "ṙ", "ծ": "c",
        "ց": "c’", "թ": "t’", "փ": "p’", "ք": "k’", "ձ": "j", "ը": "ə"}  # fmt: skip
_FRENCH = {**_COMMON, "շ": "ch", "չ": "tch", "ճ": "tch", "ջ": "dj", "ժ": "j", "ու": "ou", "յան": "ian"}
_WESTERN = {**_COMMON, "բ": "p", "պ": "b", "գ": "k", "կ": "g", "դ": "t", "տ": "d", "ջ": "ch", "ճ": "j",
            "ծ": "dz", "ձ": "ts", "ու": "ou", "յան": "ian"}  # fmt: skip
_RUSSIAN = {
    "ա": "а", "բ": "б", "գ": "г", "դ": "д", "ե": "е", "զ": "з", "է": "э", "ը": "ы", "թ": "т", "ժ": "ж",
    "ի": "и", "լ": "л", "խ": "х", "ծ": "ц", "կ": "к", "ձ": "дз", "ղ": "г", "ճ": "ч", "մ": "м",
    "յ": "й", "ն": "н", "շ": "ш", "ո": "о", "չ": "ч", "պ": "п", "ջ": "дж", "ռ": "р", "ս": "с", "վ": "в",
    "տ": "т", "ր": "р", "ց": "ц", "փ": "п", "ք": "к", "օ": "о", "ֆ": "ф", "-": "-",
}  # fmt: skip
# Russian to Latin as a Soviet-era passport office wrote it.
_RU_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
    "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "ы": "y", "э": "e", "ю": "yu", "я": "ya", "-": "-",
}  # fmt: skip
_RUSSIAN_GIVEN = {"Հովհաննես": "Ованес", "Հակոբ": "Акоп", "Դավիթ": "Давид", "Միքայել": "Микаел",
                  "Սարգիս": "Саркис", "Հռիփսիմե": "Рипсиме", "Մհեր": "Мгер", "Հայկ": "Айк"}  # fmt: skip


def _latin(word: str, table: dict[str, str], rng: random.Random) -> str:
    out, i, lower = [], 0, word.lower()
    while i < len(lower):
        if lower.startswith("յան", i) and i + 3 == len(lower) and "յան" in table:
            out.append(table["յան"])
            i += 3
        elif lower.startswith("ու", i):
            out.append(table.get("ու", "u"))
            i += 2
        elif lower[i] == "և":
            out.append("ev")
            i += 1
        elif i == 0 and lower[i] == "ե":
            out.append("ye" if table is _COMMON else "e")
            i += 1
        elif i == 0 and lower[i] == "ո":
            out.append("vo")
            i += 1
        else:
            out.append(table.get(lower[i], ""))
            i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:]


def _russian(word: str, rng: random.Random, given: bool = False) -> str:
    if given and word in _RUSSIAN_GIVEN:
        return _RUSSIAN_GIVEN[word]
    lower, out, i = word.lower(), [], 0
    while i < len(lower):
        ch = lower[i]
        if lower.startswith("յան", i) and i + 3 == len(lower):
            out.append("ян")
            i += 3
            continue
        if lower.startswith("յու", i):
            out.append("ю")
            i += 3
            continue
        if lower.startswith("ու", i):
            out.append("у")
            i += 2
            continue
        if lower.startswith("ովհ", i) and i == 1:
            out.append("ог")  # Հովհաննիսյան -> Оганнисян (the initial h is dropped below)
            i += 3
            continue
        if ch == "հ":
            # Initial h is dropped (Акопян, Арутюнян); inside a word it is г or dropped (Гоар/Гогар).
            if i > 0 and rng.random() < 0.5:
                out.append("г")
        elif ch == "և":
            out.append("ев")
        elif ch == "ե" and i == 0:
            out.append("е")
        elif ch == "ո" and i == 0:
            out.append("во")
        else:
            out.append(_RUSSIAN.get(ch, ""))
        i += 1
    text = "".join(out)
    return text[:1].upper() + text[1:]


def _from_russian(text: str) -> str:
    return "".join(_RU_LATIN.get(ch, ch) for ch in text.lower()).capitalize()


def spell(word: str, system: str, rng: random.Random, given: bool = False) -> str:
    """One Armenian-script name word in a writing system."""
    if system == "hy":
        return word
    if system == "ru":
        return _russian(word, rng, given)
    if system == "ru-latin":
        return _from_russian(_russian(word, rng, given))
    table = {"passport": _COMMON, "iso": _ISO, "fr": _FRENCH, "west": _WESTERN}[system]
    text = _latin(word, table, rng)
    return text.upper() if system == "passport" else text


def slip(text: str, rng: random.Random) -> str:
    """A keyboard slip: a neighbouring key, a letter lost, or two letters swapped."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 5:
        return text
    i = rng.choice(letters[1:-1])
    roll = rng.random()
    if roll < 0.35:
        return text[:i] + text[i + 1 :]
    if roll < 0.7 and text[i + 1 : i + 2].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    near = {
        "a": "s",
        "e": "r",
        "i": "o",
        "o": "p",
        "n": "m",
        "r": "t",
        "s": "d",
        "t": "y",
        "k": "l",
        "g": "h",
    }
    ch = text[i]
    return text[:i] + near.get(ch.lower(), ch) + text[i + 1 :]


def _people(count: int, rng: random.Random) -> list[dict[str, object]]:
    weights = [1.0 / (rank + 4) ** 0.7 for rank in range(len(SURNAMES))]
    homes = [h[0] for h in HOMES]
    home_weights = [h[1] for h in HOMES]
    people: list[dict[str, object]] = []
    while len(people) < count:
        family, home = rng.choices(SURNAMES, weights)[0], rng.choices(homes, home_weights)[0]
        father = rng.choice(MALE)
        for _ in range(rng.randint(1, 6)):
            sex = "f" if rng.random() < 0.5 else "m"
            age = min(92, int(rng.triangular(0, 92, 30)))
            married_name = (
                rng.choices(SURNAMES, weights)[0] if sex == "f" and age > 22 and rng.random() < 0.08 else None
            )
            people.append({
                "key": f"V{len(people):07d}", "sex": sex, "given": rng.choice(FEMALE if sex == "f" else MALE),
                "family": family, "father": father, "home": home, "married": married_name,
                "birth": (2023 - age - (rng.random() < 0.7), rng.randint(1, 12), rng.randint(1, 28)),
            })  # fmt: skip
            if len(people) == count:
                break
    return people


def _home(person: dict[str, object], script: str, rng: random.Random) -> str:
    entry = next(h for h in HOMES if h[0] == person["home"])
    return rng.choice(entry[{"latin": 2, "ru": 3, "hy": 4}[script]])


def _date(birth: tuple[int, int, int], rng: random.Random) -> str:
    year, month, day = birth
    roll = rng.random()
    if roll < 0.04 and day <= 12:
        month, day = day, month
    elif roll < 0.07:
        year += rng.choice((-1, 1))
    elif roll < 0.17:
        return str(year)
    style = rng.random()
    if style < 0.5:
        return f"{day:02d}.{month:02d}.{year}"
    if style < 0.8:
        return f"{year}-{month:02d}-{day:02d}"
    return f"{day:02d}/{month:02d}/{year}"


def _age(person: dict[str, object]) -> int:
    return 2023 - int(person["birth"][0])  # type: ignore[index]


LISTS = (
    ("register", "shelter", ["record_id", "full_name", "age", "sex", "home_place", "status", "status_date"]),
    ("border", "crossing", ["record_id", "family_name", "given_name", "birth_date", "sex", "home_place", "status", "status_date"]),
    ("clinic", "hospital", ["record_id", "full_name", "age", "sex", "home_place", "status", "status_date"]),
    ("fallen", "casualties", ["record_id", "family_name", "given_name", "patronymic", "birth_date", "sex", "home_place", "status", "category"]),
    ("families", "missing_reports", ["record_id", "full_name", "age", "home_place", "status", "status_date", "reporter_name"]),
)  # fmt: skip


def _row(list_name: str, p: dict[str, object], rng: random.Random) -> list[str]:
    given, family = str(p["given"]), str(p["family"])
    if p["married"] and list_name in {"register", "border"} and rng.random() < 0.7:
        family = str(p["married"])
    sex = str(p["sex"])
    age = _age(p)
    if list_name == "register":
        system = rng.choice(("passport", "fr", "west", "ru-latin", "iso"))
        g, f = spell(given, system, rng, True).title(), spell(family, system, rng).title()
        name = slip(f"{g} {f}", rng) if rng.random() < 0.07 else f"{g} {f}"
        band = age // 10 * 10
        return [name, f"{band}-{band + 9}" if rng.random() < 0.7 else str(age),
                ("female" if sex == "f" else "male") if rng.random() < 0.45 else "",
                _home(p, "latin", rng) if rng.random() < 0.35 else "", "alive", f"2023-09-{rng.randint(20, 23)}"]  # fmt: skip
    if list_name == "border":
        system = "passport" if rng.random() < 0.8 else "ru-latin"
        f = spell(family, system, rng).upper()
        return [slip(f, rng) if rng.random() < 0.03 else f, spell(given, system, rng, True).upper(),
                _date(p["birth"], rng), ("F" if sex == "f" else "M") if rng.random() < 0.9 else "",  # type: ignore[arg-type]
                _home(p, "latin", rng).upper() if rng.random() < 0.85 else "", "alive", f"2023-09-{rng.randint(24, 30)}"]  # fmt: skip
    if list_name == "clinic":
        father = _russian(str(p["father"]), rng, True)
        patronymic = father + ("ович" if sex == "m" else "овна")
        f, g = _russian(family, rng), _russian(given, rng, True)
        full = f"{f} {g} {patronymic}" if rng.random() < 0.7 else f"{f} {g}"
        return [slip(full, rng) if rng.random() < 0.05 else full, str(age) if rng.random() < 0.85 else "",
                ("ж" if sex == "f" else "м") if rng.random() < 0.8 else "",
                _home(p, "ru", rng) if rng.random() < 0.6 else "", "injured", f"2023-09-{rng.randint(19, 23)}"]  # fmt: skip
    if list_name == "fallen":
        birth = _date(p["birth"], rng) if rng.random() < 0.3 else str(p["birth"][0])  # type: ignore[arg-type,index]
        return [family, given, str(p["father"]) + "ի" if rng.random() < 0.6 else "", birth,
                "իգական" if sex == "f" else "արական", _home(p, "hy", rng), "dead",
                "military" if sex == "m" and 18 <= age <= 50 and rng.random() < 0.5 else "civilian"]  # fmt: skip
    script = rng.random()
    if script < 0.35:
        name = f"{given} {family}"
        home = _home(p, "hy", rng)
    elif script < 0.7:
        name = f"{_russian(family, rng)} {_russian(given, rng, True)}"
        home = _home(p, "ru", rng)
    else:
        system = rng.choice(("fr", "west", "ru-latin", "passport"))
        name = f"{spell(given, system, rng, True).title()} {spell(family, system, rng).title()}"
        home = _home(p, "latin", rng)
    shown_age = f"about {age}" if rng.random() < 0.4 else str(age)
    return [slip(name, rng) if rng.random() < 0.05 else name, shown_age, home if rng.random() < 0.8 else "",
            "missing", f"2023-09-{rng.randint(20, 23)}", "a relative"]  # fmt: skip


def _lists_of(p: dict[str, object], rng: random.Random) -> list[str]:
    fate = rng.random()
    on = []
    if fate < 0.05:  # killed
        if rng.random() < 0.75:
            on.append("fallen")
        if rng.random() < 0.5:
            on.append("families")
        if rng.random() < 0.2:
            on.append("clinic")
    elif fate < 0.12:  # wounded
        if rng.random() < 0.85:
            on.append("clinic")
        if rng.random() < 0.8:
            on.append("border")
        if rng.random() < 0.15:
            on.append("families")
    elif fate < 0.15:  # missing, never found
        if rng.random() < 0.6:
            on.append("families")
    else:  # safe
        if rng.random() < 0.35:
            on.append("register")
        if rng.random() < 0.85:
            on.append("border")
        if rng.random() < 0.03:
            on.append("families")
    return on


def write_variant(out_dir: Path, *, people: int = 5000, seed: int = 99) -> list[tuple[str, str, str]]:
    """Write the variant scenario's lists and truth.csv into out_dir."""
    rng = random.Random(seed)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    handles = {
        name: (out_dir / f"{name}.csv").open("w", encoding="utf-8", newline="") for name, _, _ in LISTS
    }
    writers = {name: csv.writer(handles[name]) for name in handles}
    for name, _, header in LISTS:
        writers[name].writerow(header)
    counts = dict.fromkeys(handles, 0)
    with (out_dir / "truth.csv").open("w", encoding="utf-8", newline="") as truth_handle:
        truth = csv.writer(truth_handle)
        truth.writerow(["list_name", "record_id", "person_key"])
        for person in _people(people, rng):
            for name in _lists_of(person, rng):
                # A person registered twice on one list, retyped by another clerk.
                for _ in range(2 if rng.random() < 0.03 else 1):
                    counts[name] += 1
                    record_id = f"{name[:3].upper()}{counts[name]:06d}"
                    writers[name].writerow([record_id, *_row(name, person, rng)])
                    truth.writerow([name, record_id, person["key"]])
    for handle in handles.values():
        handle.close()
    return [(name, kind, f"{name}.csv") for name, kind, _ in LISTS]


if __name__ == "__main__":
    import sys

    print(write_variant(Path(sys.argv[1]), people=int(sys.argv[2]) if len(sys.argv) > 2 else 5000))
