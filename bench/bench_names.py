"""Names benchmark: cross-script search quality and speed of rollcall_core.names.

Each left name of a positive pair in shared/reference/names/dev_pairs.csv is searched among all
right-hand names mixed with 100,000 distractor names, through an in-memory key index
(key -> ids) built from `index_keys`, with the database search's own candidate selection
(`rollcall_core.names.candidates.find_candidates`, same policy: every key bounded, candidates
sharing the most and rarest keys scored with `name_similarity`, the best first). Reported: recall@1, recall@10, MRR, how often a negative
right-hand name outranks the true match, ROC AUC of `name_similarity` over all pairs (with and
without the cross-script ones), and microseconds per name normalised.

Distractors come from a small generator below (not part of the core): Armenian, Russian and
Azerbaijani given and family names, written in Armenian script, Russian Cyrillic, Azerbaijani
Latin and several Latin romanisations, with occasional typos. Namesakes of the people in the
pairs (the same given and family name) are left out: no name search can tell two people of the
same name apart, and the benchmark measures spelling, not identity.

Run: python bench/bench_names.py [--quick]
"""

from __future__ import annotations

import csv
import math
import random
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

PAIRS = ROOT.parent / "shared" / "reference" / "names" / "dev_pairs.csv"

# ----------------------------------------------------------------------------- distractor names

ARMENIAN_MALE = (
    "Արամ Արմեն Դավիթ Գրիգոր Հակոբ Հովհաննես Կարեն Տիգրան Սարգիս Վարդան Գևորգ Ռուբեն Աշոտ Արթուր "
    "Սամվել Նարեկ Մհեր Վահե Հայկ Էդգար Արսեն Գագիկ Սերգեյ Ալեքսանդր Խաչատուր Պետրոս Արտակ Սուրեն "
    "Վաչագան Լևոն Գառնիկ Համլետ Արշակ Արտաշես Բագրատ Բենիկ Գարեգին Երվանդ Զավեն Թաթուլ Կարո Հրանտ "
    "Ղուկաս Մարտին Մանվել Մովսես Ներսես Շահեն Ոսկան Պարույր Ռաֆայել Սևակ Սմբատ Վազգեն Վահագն Վրեժ "
    "Տարոն Րաֆֆի Փայլակ Քրիստափոր Օհան Ֆելիքս Աղասի Բորիս Գուրգեն Դերենիկ Ժիրայր Իշխան Կամո Հմայակ "
    "Ձերժինսկի Ճանիկ Միքայել Յուրի Նորայր Շավարշ Չարենց Պողոս Ջիվան Ռոբերտ Սպարտակ Վաղարշակ Տաճատ "
    "Ցոլակ Ուրիկ Փառանձեմ Քաջիկ Օնիկ Անդրանիկ Ավետիք Գեղամ Գրաչյա Էդուարդ Հովսեփ Մկրտիչ Ստեփան"
).split()
ARMENIAN_FEMALE = (
    "Սիրանուշ Անահիտ Մարիամ Աննա Լուսինե Նունե Գայանե Հասմիկ Արմինե Լիլիթ Անի Սոնա Զարուհի Աստղիկ "
    "Նարինե Մարինե Ռուզաննա Կարինե Գոհար Տաթևիկ Սեդա Հռիփսիմե Էլեն Ալվարդ Արփինե Բելլա Գոհարիկ "
    "Դիանա Եվա Զարա Թամարա Իննա Լաուրա Խանում Ծովինար Կարմեն Հերմինե Ձյունիկ Մանե Նազելի Շողեր "
    "Ոսկեհատ Պերճուհի Ջեմմա Ռիտա Սաթենիկ Վարսենիկ Տիրուհի Րաիսա Ցողիկ Փառանձեմ Քնարիկ Օֆելյա "
    "Ազնիվ Այծեմնիկ Արուսյակ Գոհարինե Դուստր Եվգինե Էմմա Լիանա Հայկանուշ Մելանյա Նվարդ Շուշան "
    "Սվետլանա Վիկտորյա Սուսաննա Թագուհի Մարգարիտ Նաիրա Լուիզա Անժելա Արաքսյա Գոհարի Սիրուն"
).split()
ARMENIAN_FAMILY = (
    "Հովհաննիսյան Հարությունյան Սարգսյան Գրիգորյան Պետրոսյան Խաչատրյան Հակոբյան Կարապետյան "
    "Ավետիսյան Գասպարյան Մկրտչյան Ադամյան Մելքումյան Բաղդասարյան Ղազարյան Դանիելյան Առաքելյան "
    "Բաբայան Աղաջանյան Մանուկյան Ավանեսյան Սահակյան Մարտիրոսյան Վարդանյան Ստեփանյան Գաբրիելյան "
    "Հայրապետյան Մնացականյան Օհանյան Բեգլարյան Դավթյան Ալավերդյան Իսրայելյան Շահբազյան Զաքարյան "
    "Թովմասյան Ներսիսյան Մովսիսյան Ասատրյան Աբրահամյան Սիմոնյան Ղուկասյան Բալայան Ուլուբաբյան "
    "Ծատուրյան Ջանիբեկյան Չիլինգարյան Ժամկոչյան Շուշանյան Յոլչյան Մելքոնյան Պողոսյան Մխիթարյան "
    "Թորոսյան Տոնոյան Մուրադյան Ոսկանյան Վահանյան Համբարձումյան Գևորգյան Ալեքսանյան Եղիազարյան "
    "Զոհրաբյան Թադևոսյան Իսահակյան Լալայան Խաչիկյան Կիրակոսյան Համբարյան Ղահրամանյան Ճաղարյան "
    "Մաթևոսյան Նալբանդյան Շահինյան Չոբանյան Պապոյան Ջհանգիրյան Ռաֆայելյան Սաֆարյան Վանեսյան "
    "Տեր-Պետրոսյան Փաշինյան Քոչարյան Օգանեզովյան Ֆարմանյան Աթայան Բադալյան Գալստյան Դալլաքյան "
    "Եսայան Զեյնալյան Էլոյան Թումանյան Իգիթյան Լազարյան Խուդավերդյան Ծառուկյան Կոստանյան Հարոյան "
    "Ձոնոյան Ղարիբյան Մարգարյան Նազարյան Շիրինյան Ոսկերչյան Ջավադյան Սևոյան "
    "Վարոսյան Տատուրյան Րաֆֆյան Ցոլակյան Փիլոսյան Քալանթարյան Օսիպյան Աղաբեկյան Արզումանյան "
    "Բարսեղյան Գյուլումյան Դեմիրճյան Եղոյան Զուրաբյան Թեմուրյան Իվանյան Կարախանյան Հախվերդյան "
    "Մինասյան Նիկողոսյան Շաքարյան Պարսամյան Սողոմոնյան Վարժապետյան Տոնականյան Ուզունյան Քեշիշյան"
).split()
RUSSIAN_MALE = (
    "Александр Алексей Андрей Борис Вадим Валерий Виктор Владимир Геннадий Григорий Дмитрий Евгений "
    "Иван Игорь Илья Кирилл Константин Максим Михаил Никита Николай Олег Павел Пётр Роман Сергей "
    "Станислав Степан Фёдор Юрий Яков Анатолий Аркадий Вячеслав Леонид Матвей Тимофей Эдуард"
).split()
RUSSIAN_FEMALE = (
    "Александра Алёна Анастасия Анна Валентина Вера Галина Дарья Екатерина Елена Ирина Ксения "
    "Людмила Марина Мария Надежда Наталья Нина Ольга Полина Светлана Софья Татьяна Юлия Любовь Зоя"
).split()
RUSSIAN_FAMILY = (
    "Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Фёдоров Морозов Волков "
    "Алексеев Лебедев Семёнов Егоров Павлов Козлов Степанов Николаев Орлов Андреев Макаров Никитин "
    "Захаров Зайцев Соловьёв Борисов Яковлев Григорьев Романов Воробьёв Сергеев Кузьмин Фролов "
    "Александров Дмитриев Королёв Гусев Киселёв Ильин Максимов Поляков Сорокин Виноградов Ковалёв "
    "Белов Медведев Антонов Тарасов Жуков Баранов Филиппов Комаров Давыдов Беляев Герасимов Богданов "
    "Осипов Сидоров Матвеев Титов Марков Миронов Крылов Куликов Карпов Власов Мельников Денисов "
    "Гаврилов Тихонов Казаков Афанасьев Данилов Савельев Тимофеев Фомин Чернов Абрамов Мартынов "
    "Ефимов Федотов Щербаков Назаров Калинин Исаев Чернышёв Быков Маслов Родионов Коновалов Лазарев "
    "Воронин Климов Филатов Пономарёв Голубев Кудрявцев Прохоров Наумов Потапов Журавлёв Овчинников "
    "Трофимов Леонов Соболев Ермаков Колесников Гончаров Емельянов Никифоров Грачёв Котов Гришин "
    "Ковальчук Шевченко Бондаренко Ткаченко Кравченко Коваленко Олейник Мельник Зинченко Руденко"
).split()
# Azerbaijani names: (Azerbaijani Latin, the Russian form as Soviet documents wrote it).
AZERBAIJANI_MALE = [
    ("Elvin", "Эльвин"), ("Rəşad", "Рашад"), ("Orxan", "Орхан"), ("Elçin", "Эльчин"), ("Tural", "Турал"),
    ("Kamran", "Камран"), ("Vüqar", "Вугар"), ("Anar", "Анар"), ("Ramil", "Рамиль"), ("Elnur", "Эльнур"),
    ("Fərid", "Фарид"), ("Nicat", "Ниджат"), ("Səbuhi", "Сабухи"), ("Ceyhun", "Джейхун"), ("Emin", "Эмин"),
    ("Rauf", "Рауф"), ("Vəli", "Вали"), ("Cavid", "Джавид"), ("Şahin", "Шахин"), ("İlham", "Ильхам"),
    ("Namiq", "Намик"), ("Zaur", "Заур"), ("Mübariz", "Мубариз"), ("Əli", "Али"), ("Hüseyn", "Гусейн"),
]  # fmt: skip
AZERBAIJANI_FEMALE = [
    ("Günel", "Гюнель"), ("Səbinə", "Сабина"), ("Aysel", "Айсель"), ("Leyla", "Лейла"), ("Nərgiz", "Наргиз"),
    ("Aynur", "Айнур"), ("Ülviyyə", "Ульвия"), ("Sevinc", "Севиндж"), ("Könül", "Кёнуль"), ("Gülnar", "Гюльнар"),
    ("Xədicə", "Хадиджа"), ("Şəbnəm", "Шабнам"), ("Türkan", "Туркан"), ("Nigar", "Нигяр"), ("Lalə", "Ляля"),
]  # fmt: skip
AZERBAIJANI_FAMILY = [
    ("Məmmədov", "Мамедов"), ("Əliyev", "Алиев"), ("Hüseynov", "Гусейнов"), ("Həsənov", "Гасанов"),
    ("Quliyev", "Кулиев"), ("Cəfərov", "Джафаров"), ("İsmayılov", "Исмаилов"), ("Abbasov", "Аббасов"),
    ("Rzayev", "Рзаев"), ("Babayev", "Бабаев"), ("Nəsirov", "Насиров"), ("Qasımov", "Касумов"),
    ("Süleymanov", "Сулейманов"), ("Vəliyev", "Велиев"), ("Kərimov", "Керимов"), ("Orucov", "Оруджев"),
    ("Bağırov", "Багиров"), ("Səfərov", "Сафаров"), ("Mustafayev", "Мустафаев"), ("Cabbarov", "Джаббаров"),
    ("Əhmədov", "Ахмедов"), ("Novruzov", "Новрузов"), ("Zeynalov", "Зейналов"), ("Şükürov", "Шукюров"),
]  # fmt: skip

# Russian Cyrillic to Latin in a few habits (BGN-like, ICAO passport, German, French): written
# for this generator, independent of the core's ICU transforms.
_RU_LATIN = {
    "bgn": {"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "yu", "я": "ya", "й": "y",
            "ё": "e", "ы": "y", "э": "e", "ь": "", "ъ": ""},
    "icao": {"ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ю": "iu", "я": "ia", "й": "i",
             "ё": "e", "ы": "y", "э": "e", "ь": "", "ъ": "ie"},
    "de": {"ж": "sh", "х": "ch", "ц": "z", "ч": "tsch", "ш": "sch", "щ": "schtsch", "ю": "ju", "я": "ja",
           "й": "j", "ё": "jo", "ы": "y", "э": "e", "ь": "", "ъ": "", "в": "w", "з": "s"},
    "fr": {"ж": "j", "х": "kh", "ц": "ts", "ч": "tch", "ш": "ch", "щ": "chtch", "ю": "iou", "я": "ia", "й": "i",
           "ё": "io", "ы": "y", "э": "e", "ь": "", "ъ": "", "у": "ou"},
}  # fmt: skip
_RU_BASE = dict(zip("абвгдезиклмнопрстуф", "abvgdeziklmnoprstuf", strict=True))
_AZ_ENGLISH = {
    "ə": "a",
    "x": "kh",
    "ş": "sh",
    "ç": "ch",
    "c": "j",
    "ğ": "gh",
    "ı": "i",
    "ö": "o",
    "ü": "u",
    "q": "g",
}


def _romanise_russian(word: str, system: str) -> str:
    table = _RU_LATIN[system]
    text = "".join(table.get(ch, _RU_BASE.get(ch, ch)) for ch in word.lower())
    if system in {"de", "fr"} and text.endswith("ov"):
        text = text[:-2] + ("ow" if system == "de" else "ov")
    return text[:1].upper() + text[1:]


def _az_english(word: str) -> str:
    text = "".join(_AZ_ENGLISH.get(ch, ch) for ch in word.replace("İ", "i").lower())
    return text[:1].upper() + text[1:]


def _feminine_russian(family: str) -> str:
    return family + "а" if family.endswith(("ов", "ев", "ёв", "ин")) else family


def _people_in_pairs(rows: list[dict[str, str]]) -> list[set[str]]:
    """Token sets of the pair names written in a native script: namesakes to leave out."""
    native = {"hy", "hy_cl", "ru", "az"}
    people = []
    for row in rows:
        for side in ("left", "right"):
            if row[f"{side}_sys"] in native:
                people.append({t.casefold().replace("եան", "յան") for t in row[side].split()})
    return people


def generate_distractors(count: int, seed: int, exclude: list[set[str]]) -> Iterator[str]:
    """Full names of made-up people as lists write them: any script, several spellings, some typos."""
    from rollcall_core.demo.spelling import cyrillise, romanise, typo

    rng = random.Random(seed)
    made = 0
    while made < count:
        roll = rng.random()
        female = rng.random() < 0.5
        if roll < 0.6:  # Armenian
            given = rng.choice(ARMENIAN_FEMALE if female else ARMENIAN_MALE)
            family = rng.choice(ARMENIAN_FAMILY)
            canonical = [
                {given.casefold(), family.casefold()},
                {cyrillise(given).casefold(), cyrillise(family).casefold()},
            ]
            style = rng.random()
            if style < 0.3:
                text = f"{given} {family}"
            elif style < 0.55:
                father = cyrillise(rng.choice(ARMENIAN_MALE))
                patronymic = father + ("овна" if female else "ович")
                text = f"{cyrillise(family)} {cyrillise(given)} {patronymic}"
            else:
                system = rng.choice(("bgn", "passport", "west", "de", "fr"))
                text = f"{romanise(given, system)} {romanise(family, system)}"
        elif roll < 0.8:  # Russian
            given = rng.choice(RUSSIAN_FEMALE if female else RUSSIAN_MALE)
            family = rng.choice(RUSSIAN_FAMILY)
            family = _feminine_russian(family) if female else family
            canonical = [{given.casefold(), family.casefold()}]
            style = rng.random()
            if style < 0.5:
                text = f"{family} {given}"
            else:
                system = rng.choice(tuple(_RU_LATIN))
                text = f"{_romanise_russian(given, system)} {_romanise_russian(family, system)}"
        else:  # Azerbaijani
            given_az, given_ru = rng.choice(AZERBAIJANI_FEMALE if female else AZERBAIJANI_MALE)
            family_az, family_ru = rng.choice(AZERBAIJANI_FAMILY)
            if female:
                family_az, family_ru = family_az + "a", family_ru + "а"
            canonical = [
                {given_az.casefold(), family_az.casefold()},
                {given_ru.casefold(), family_ru.casefold()},
            ]
            style = rng.random()
            if style < 0.35:
                text = f"{given_az} {family_az}"
            elif style < 0.7:
                text = f"{family_ru} {given_ru}"
            else:
                text = f"{_az_english(given_az)} {_az_english(family_az)}"
        if any(names <= person for names in canonical for person in exclude):
            continue
        if rng.random() < 0.05:
            text = typo(text, rng)
        made += 1
        yield text


# ----------------------------------------------------------------------------- measurement


def load_pairs() -> list[dict[str, str]]:
    with PAIRS.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


class KeyIndex:
    """key -> ids in ascending order, searched exactly as the database index is (find_candidates)."""

    def __init__(self, names: list[str]) -> None:
        from rollcall_core.names import index_keys

        self.names = names
        self.ids: dict[str, list[int]] = defaultdict(list)
        for i, name in enumerate(names):
            for key in index_keys(name):
                self.ids[key].append(i)

    def fetch(self, bounds: Mapping[str, int]) -> dict[str, list[int]]:
        return {key: self.ids[key][:bound] for key, bound in bounds.items() if key in self.ids}

    def search(self, query: str) -> list[int]:
        from rollcall_core.names import name_score
        from rollcall_core.names.candidates import find_candidates

        candidates = find_candidates(query, self.fetch)
        return sorted(candidates, key=lambda i: (-name_score(query, self.names[i]), i))


def roc_auc(labels: list[int], scores: list[float]) -> float:
    """Probability that a random positive scores above a random negative (ties count half)."""
    pos = [s for s, y in zip(scores, labels, strict=True) if y == 1]
    neg = [s for s, y in zip(scores, labels, strict=True) if y == 0]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def search_quality(
    rows: list[dict[str, str]], distractors: int, seed: int = 11
) -> dict[str, dict[str, float]]:
    rights = sorted({r["right"] for r in rows})
    names = rights + list(generate_distractors(distractors, seed, _people_in_pairs(rows)))
    position = {name: i for i, name in enumerate(rights)}
    started = time.perf_counter()
    index = KeyIndex(names)
    build_seconds = time.perf_counter() - started
    negatives_of: dict[str, set[int]] = defaultdict(set)
    same_person: dict[str, set[int]] = defaultdict(set)  # group -> right-hand names of that person
    for r in rows:
        if r["label"] == "0":
            negatives_of[r["left"]].add(position[r["right"]])
        else:
            same_person[r["group"]].add(position[r["right"]])
    results: dict[str, list[tuple[int | None, bool]]] = defaultdict(list)
    latencies = []
    for r in rows:
        if r["label"] != "1":
            continue
        started = time.perf_counter()
        ranked = index.search(r["left"])
        latencies.append(time.perf_counter() - started)
        target = position[r["right"]]
        # Other spellings of the same person among the right-hand names are not competitors.
        ranked = [i for i in ranked if i == target or i not in same_person[r["group"]]]
        rank = ranked.index(target) + 1 if target in ranked else None
        negative_above = rank is not None and any(n in ranked[: rank - 1] for n in negatives_of[r["left"]])
        negative_above = negative_above or (
            rank is None and any(n in ranked for n in negatives_of[r["left"]])
        )
        results[r["category"]].append((rank, negative_above))
        results["all"].append((rank, negative_above))
    summary = {}
    for category, found in results.items():
        n = len(found)
        summary[category] = {
            "pairs": n,
            "recall@1": sum(1 for rank, _ in found if rank == 1) / n,
            "recall@10": sum(1 for rank, _ in found if rank is not None and rank <= 10) / n,
            "mrr": sum(1 / rank for rank, _ in found if rank) / n,
            "negative_above": sum(1 for _, above in found if above) / n,
        }
    # The same pairs with one typo in each query (three draws per pair, as bench/ demo lists make
    # them): how much a slip in what the family types costs.
    from rollcall_core.demo.spelling import typo

    rng = random.Random(3)
    typo_ranks = []
    for r in rows:
        if r["label"] != "1":
            continue
        target = position[r["right"]]
        for _ in range(3):
            ranked = [i for i in index.search(typo(r["left"], rng)) if i == target or i not in same_person[r["group"]]]
            typo_ranks.append(ranked.index(target) + 1 if target in ranked else None)
    n = len(typo_ranks)
    summary["one typo in the query"] = {
        "pairs": n,
        "recall@1": sum(1 for rank in typo_ranks if rank == 1) / n,
        "recall@10": sum(1 for rank in typo_ranks if rank is not None and rank <= 10) / n,
        "mrr": sum(1 / rank for rank in typo_ranks if rank) / n,
        "negative_above": float("nan"),
    }
    summary["_timing"] = {
        "records": len(names),
        "build_s": build_seconds,
        "search_ms_p50": 1000 * statistics.median(latencies),
        "search_ms_p95": 1000 * sorted(latencies)[int(0.95 * (len(latencies) - 1))],
        "keys_per_name": sum(len(v) for v in index.ids.values()) / len(names),
    }
    return summary


def score_quality(rows: list[dict[str, str]]) -> dict[str, float]:
    from rollcall_core.names import name_similarity

    scores = [name_similarity(r["left"], r["right"]).score for r in rows]
    labels = [int(r["label"]) for r in rows]
    same = [i for i, r in enumerate(rows) if r["category"] != "cross_script"]
    cross = [i for i, r in enumerate(rows) if r["category"] == "cross_script"]
    return {
        "all": roc_auc(labels, scores),
        "cross_script": roc_auc([labels[i] for i in cross], [scores[i] for i in cross]),
        "without_cross_script": roc_auc([labels[i] for i in same], [scores[i] for i in same]),
    }


def _clear_name_caches() -> None:
    """Empty every per-token and per-name cache of the names package (ICU transforms stay built)."""
    from rollcall_core.names import matching, normalize

    for module in (normalize, matching):
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)) and value is not matching.given_name_groups:
                value.cache_clear()


def normalise_speed(rows: list[dict[str, str]], repeats: int, fresh_names: int, seed: int = 23) -> dict[str, float]:
    """CPU microseconds per name for `normalize_name`, three ways (the ICU transforms built once, as
    in a running process). CPU time (process_time), not wall time: on a machine shared with other
    work, wall time per name mostly measures how long the scheduler kept this process waiting.

    - cold: every cache emptied before each name, so each of its tokens is new to the process
      (the dev pairs' distinct names, median over names, median over repeats);
    - new names: `fresh_names` generated names the process has never seen, after it has
      normalised the 100,000 distractors, the caches holding what they would in a server
      (median and mean);
    - warm: the dev pairs' names again, every token cached (median over names).
    """
    from rollcall_core.names import normalize_name

    names = sorted({r["left"] for r in rows} | {r["right"] for r in rows})
    normalize_name("Դավիթ Давид")  # build the ICU transliterators once, as a running process has
    cold_runs, warm_runs = [], []
    for _ in range(repeats):
        per_name = []
        for name in names:
            _clear_name_caches()
            started = time.process_time()
            normalize_name(name)
            per_name.append((time.process_time() - started) * 1e6)
        cold_runs.append(statistics.median(per_name))
        for name in names:
            normalize_name(name)  # fill the caches, then time the same names again
        per_name = []
        for name in names:
            started = time.process_time()
            normalize_name(name)
            per_name.append((time.process_time() - started) * 1e6)
        warm_runs.append(statistics.median(per_name))
    # Names never seen: another seed of the generator, minus anything the distractors held.
    seen = set(generate_distractors(100_000, 11, _people_in_pairs(rows)))
    for name in seen:
        normalize_name(name)
    fresh = [n for n in dict.fromkeys(generate_distractors(fresh_names * 2, seed, [])) if n not in seen][:fresh_names]
    fresh_times = []
    for name in fresh:
        started = time.process_time()
        normalize_name(name)
        fresh_times.append((time.process_time() - started) * 1e6)
    return {
        "cold_us": statistics.median(cold_runs),
        "warm_us": statistics.median(warm_runs),
        "fresh_us": statistics.median(fresh_times),
        "fresh_mean_us": statistics.fmean(fresh_times),
        "fresh": len(fresh),
        "names": len(names),
    }


def run(quick: bool = False) -> str:
    rows = load_pairs()
    distractors = 20_000 if quick else 100_000
    search = search_quality(rows, distractors)
    auc = score_quality(rows)
    speed = normalise_speed(rows, repeats=3 if quick else 7, fresh_names=2_000 if quick else 20_000)
    timing = search.pop("_timing")
    lines = [
        "## Names",
        "",
        f"Each left name of the {search['all']['pairs']:.0f} positive pairs of dev_pairs.csv searched among "
        f"{timing['records']:,.0f} names (all right-hand names and {distractors:,} generated distractors in "
        "Armenian, Russian and Azerbaijani names, any script and spelling, namesakes of the pair people left out) "
        "through an in-memory index of `index_keys`, candidates chosen by `find_candidates` with the database "
        "search's policy (DEFAULT_POLICY) and ranked by `name_score`. In-memory search times include the first "
        "queries' cold caches.",
        "",
        "| pairs | n | recall@1 | recall@10 | MRR | a negative outranks the match |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for category in ("all", "cross_script", "same_script_variant", "one typo in the query"):
        if category in search:
            s = search[category]
            above = "" if math.isnan(s["negative_above"]) else f"{s['negative_above']:.3f}"
            lines.append(
                f"| {category} | {s['pairs']:.0f} | {s['recall@1']:.3f} | {s['recall@10']:.3f} | {s['mrr']:.3f} "
                f"| {above} |"
            )
    lines += [
        "",
        "| figure | value |",
        "|---|---:|",
        f"| ROC AUC of name_similarity, all {len(rows)} pairs | {auc['all']:.3f} |",
        f"| ROC AUC, cross-script pairs | {auc['cross_script']:.3f} |",
        f"| ROC AUC, without cross-script pairs | {auc['without_cross_script']:.3f} |",
        f"| CPU µs per name normalised, cold: every cache emptied before each name (median, {speed['names']:.0f} "
        f"distinct names, median of repeats) | {speed['cold_us']:.1f} |",
        f"| CPU µs per name normalised, {speed['fresh']:,.0f} names never seen, in a process that has seen 100,000 "
        f"others: median / mean | {speed['fresh_us']:.1f} / {speed['fresh_mean_us']:.1f} |",
        f"| CPU µs per name normalised, warm: the same names again (median) | {speed['warm_us']:.1f} |",
        f"| search keys per name (mean) | {timing['keys_per_name']:.1f} |",
        f"| in-memory index build, {timing['records']:,.0f} names (s) | {timing['build_s']:.1f} |",
        f"| in-memory search p50 / p95 (ms) | {timing['search_ms_p50']:.1f} / {timing['search_ms_p95']:.1f} |",
        "",
        "Command: `make bench` (or `python bench/bench_names.py [--quick]`); measured on a 2-core / 24 GiB machine.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
