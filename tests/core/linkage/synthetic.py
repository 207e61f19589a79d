"""A small synthetic crisis for linkage tests: people written on several lists in several scripts.

Independent of the demo generator on purpose (tests must not share its blind spots): each person
appears on a missing-persons report (Armenian script, age only), a shelter list (Latin, age
range) and a border list (uppercase passport spelling, full birth date, home place).
"""

from __future__ import annotations

import random

# (Latin, Cyrillic, Armenian) forms; sources: common Armenian names in everyday romanisation.
GIVEN_MALE = [
    ("Armen", "Армен", "Արմեն"), ("Hovhannes", "Ованес", "Հովհաննես"), ("Gagik", "Гагик", "Գագիկ"),
    ("Tigran", "Тигран", "Տիգրան"), ("Davit", "Давид", "Դավիթ"), ("Aram", "Арам", "Արամ"),
    ("Vardan", "Вардан", "Վարդան"), ("Samvel", "Самвел", "Սամվել"), ("Karen", "Карен", "Կարեն"),
    ("Artur", "Артур", "Արթուր"), ("Ashot", "Ашот", "Աշոտ"), ("Levon", "Левон", "Լևոն"),
]  # fmt: skip
GIVEN_FEMALE = [
    ("Anna", "Анна", "Աննա"), ("Lilit", "Лилит", "Լիլիթ"), ("Gayane", "Гаяне", "Գայանե"),
    ("Ruzanna", "Рузанна", "Ռուզաննա"), ("Shushanik", "Шушаник", "Շուշանիկ"), ("Narine", "Нарине", "Նարինե"),
    ("Armine", "Армине", "Արմինե"), ("Mariam", "Мариам", "Մարիամ"), ("Siranush", "Сирануш", "Սիրանուշ"),
    ("Astghik", "Астхик", "Աստղիկ"), ("Hasmik", "Асмик", "Հասմիկ"), ("Zhanna", "Жанна", "Ժաննա"),
]  # fmt: skip
FAMILY = [
    ("Hovhannisyan", "Оганесян", "Հովհաննիսյան"), ("Harutyunyan", "Арутюнян", "Հարությունյան"),
    ("Sargsyan", "Саркисян", "Սարգսյան"), ("Khachatryan", "Хачатрян", "Խաչատրյան"),
    ("Grigoryan", "Григорян", "Գրիգորյան"), ("Petrosyan", "Петросян", "Պետրոսյան"),
    ("Ghazaryan", "Казарян", "Ղազարյան"), ("Mkrtchyan", "Мкртчян", "Մկրտչյան"),
    ("Avetisyan", "Аветисян", "Ավետիսյան"), ("Gevorgyan", "Геворгян", "Գևորգյան"),
    ("Danielyan", "Даниелян", "Դանիելյան"), ("Karapetyan", "Карапетян", "Կարապետյան"),
    ("Babayan", "Бабаян", "Բաբայան"), ("Martirosyan", "Мартиросян", "Մարտիրոսյան"),
    ("Tsaturyan", "Цатурян", "Ծատուրյան"), ("Vardanyan", "Варданян", "Վարդանյան"),
    ("Melkonyan", "Мелконян", "Մելքոնյան"), ("Abrahamyan", "Абрамян", "Աբրահամյան"),
]  # fmt: skip
PLACES = ["Stepanakert", "Martuni", "Askeran", "Hadrut", "Martakert", "Shushi", "Chartar", "Karmir Shuka"]


def people(count: int, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out = []
    for key in range(count):
        sex = rng.choice(["male", "female"])
        given = rng.choice(GIVEN_MALE if sex == "male" else GIVEN_FEMALE)
        year = rng.randint(1940, 2015)
        out.append({
            "key": f"p{key}", "sex": sex, "given": given, "family": rng.choice(FAMILY),
            "birth": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "year": year,
            "place": rng.choice(PLACES),
        })  # fmt: skip
    return out


def lists(count: int, seed: int = 7) -> tuple[list[dict[str, str]], dict[str, str]]:
    """Records (canonical columns plus 'list') and the truth: record id -> person key."""
    rng = random.Random(seed + 1)
    records: list[dict[str, str]] = []
    truth: dict[str, str] = {}
    for person in people(count, seed):
        given, family = person["given"], person["family"]
        year = int(person["year"])  # type: ignore[call-overload]
        age = 2023 - year
        if rng.random() < 0.7:
            rid = f"m{len(records)}"
            records.append(
                {
                    "record_id": rid,
                    "list": "missing",
                    "full_name": f"{given[2]} {family[2]}",  # type: ignore[index]
                    "age": str(age),
                    "status": "missing",
                    "status_date": "2023-09-21",
                }
            )
            truth[rid] = str(person["key"])
        if rng.random() < 0.7:
            rid = f"s{len(records)}"
            low = age - rng.randint(0, 3)
            records.append(
                {
                    "record_id": rid,
                    "list": "shelter",
                    "full_name": f"{given[0]} {family[0]}",  # type: ignore[index]
                    "age": f"{low}-{low + 4}",
                    "sex": str(person["sex"]),
                    "status": "alive",
                    "status_date": "2023-09-22",
                }
            )
            truth[rid] = str(person["key"])
        if rng.random() < 0.8:
            rid = f"b{len(records)}"
            records.append(
                {
                    "record_id": rid,
                    "list": "border",
                    "family_name": family[1],  # type: ignore[index]
                    "given_name": given[1],
                    "birth_date": str(person["birth"]),  # type: ignore[index]
                    "sex": "м" if person["sex"] == "male" else "ж",
                    "home_place": str(person["place"]),
                    "status": "alive",
                    "status_date": "2023-09-25",
                }
            )
            truth[rid] = str(person["key"])
    return records, truth
