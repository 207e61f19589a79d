"""Header names and cell values: mapping the words clerks use to the canonical vocabulary.

Headers and value synonyms in English, Russian and Armenian are matched after folding
(case, spaces, punctuation). Values are validated; a bad value is reported with its field
and a reason a clerk can act on.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping

from rollcall_core.schema import CANONICAL_COLUMNS, CATEGORIES, SEXES, STATUSES

# Latest plausible date for this crisis's lists; dates after "today" are rejected too.
MAX_AGE_YEARS = 120


def fold_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip().lstrip("\ufeff")
    return re.sub(r"[\s_\-./:()#+*]+", "", text)


_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "record_id": ("record_id", "id", "record", "person_record_id", "№", "no", "номер", "n", "հհ", "համար", "#", "recordid"),
    "full_name": (
        "full_name", "name", "fullname", "full name", "person", "фио", "ф.и.о.", "ф.и.о", "полное имя", "имя фамилия",
        "անուն ազգանուն", "անուն, ազգանուն", "ազգանուն անուն հայրանուն", "ааш", "name of person",
    ),
    "given_name": ("given_name", "first_name", "firstname", "given name", "first name", "forename", "имя", "անուն"),
    "family_name": ("family_name", "last_name", "surname", "lastname", "family name", "last name", "фамилия", "ազգանուն"),
    "patronymic": ("patronymic", "middle_name", "father's name", "fathers name", "отчество", "հայրանուն", "ata adı"),
    "alternate_names": ("alternate_names", "other names", "aliases", "alias", "другие имена", "այլ անուններ"),
    "sex": ("sex", "gender", "пол", "սեռ", "cins"),
    "age": ("age", "возраст", "տարիք", "yaş", "age range"),
    "birth_date": (
        "birth_date", "date_of_birth", "dob", "date of birth", "birthdate", "born", "дата рождения", "год рождения",
        "ծննդյան ամսաթիվ", "ծննդյան տարեթիվ", "ծննդ. թիվ", "doğum tarixi",
    ),
    "home_place": (
        "home_place", "home", "hometown", "place of residence", "residence", "address", "home_city", "village",
        "место жительства", "адрес", "населенный пункт", "населённый пункт", "բնակության վայր", "բնակավայր", "հասցե",
    ),
    "status": ("status", "condition", "статус", "состояние", "կարգավիճակ", "վիճակ"),
    "status_date": ("status_date", "date", "date of status", "дата", "дата статуса", "ամսաթիվ", "date reported"),
    "event_place": ("event_place", "place of event", "place of incident", "место события", "место гибели", "դեպքի վայր"),
    "current_place": (
        "current_place", "current location", "location", "shelter", "where now", "current address",
        "местонахождение", "место пребывания", "текущее местонахождение", "ներկայիս գտնվելու վայր", "գտնվելու վայր",
    ),
    "category": ("category", "civilian/military", "категория", "կատեգորիա", "type of person"),
    "reporter_name": ("reporter_name", "reported by", "reporter", "author_name", "contact person", "заявитель", "դիմող"),
    "reporter_contact": (
        "reporter_contact", "contact", "phone", "telephone", "email", "author_email", "author_phone", "контакт",
        "телефон", "контакты", "հեռախոս", "կոնտակտ",
    ),
    "notes": ("notes", "note", "comment", "comments", "remarks", "description", "примечание", "примечания",
              "комментарий", "նշումներ", "մեկնաբանություն"),
}  # fmt: skip

HEADER_SYNONYMS: dict[str, str] = {
    fold_header(word): field for field, words in _HEADER_WORDS.items() for word in words
}
assert set(_HEADER_WORDS) == set(CANONICAL_COLUMNS)


def map_header(header: str) -> str | None:
    """The canonical column a header names, or None for a column rollcall keeps as extra data."""
    return HEADER_SYNONYMS.get(fold_header(header))


_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "missing": ("missing", "lost", "disappeared", "believed_missing", "пропал", "пропала", "пропал без вести",
                "пропавший", "без вести", "անհայտ կորած", "անհետ կորած", "կորած", "itkin", "itkin düşmüş", "mia",
                "missing in action", "information_sought", "розыск", "разыскивается"),
    "alive": ("alive", "safe", "found", "located", "believed_alive", "жив", "жива", "живой", "найден", "найдена",
              "ողջ", "կենդանի", "գտնված", "sağ", "is_note_author", "evacuated", "displaced", "sheltered", "registered",
              "crossed", "relocated", "эвакуирован", "эвакуирована", "эвакуированы", "տարհանված"),
    "injured": ("injured", "wounded", "hurt", "hospitalized", "hospitalised", "in hospital", "ранен", "ранена",
                "раненый", "госпитализирован", "госпитализирована", "վիրավոր", "yaralı"),
    "dead": ("dead", "killed", "deceased", "died", "believed_dead", "погиб", "погибла", "погибший", "убит", "убита",
             "умер", "умерла", "скончался", "զոհված", "մահացած", "ölü", "həlak"),
    "detained": ("detained", "arrested", "captured", "held", "задержан", "задержана", "в плену", "пленный",
                 "ձերբակալված", "կալանավորված", "գերի", "saxlanılıb", "pow", "prisoner", "prisoner of war", "captive",
                 "hostage", "əsir"),
    "unknown": ("unknown", "", "?", "неизвестно", "անհայտ", "n/a", "na", "-"),
}  # fmt: skip
STATUS_SYNONYMS = {fold_header(w): s for s, words in _STATUS_WORDS.items() for w in words}
assert set(_STATUS_WORDS) == set(STATUSES)

_SEX_WORDS: dict[str, tuple[str, ...]] = {
    "female": (
        "female",
        "f",
        "woman",
        "w",
        "girl",
        "ж",
        "жен",
        "женский",
        "женщина",
        "իգական",
        "կին",
        "ի",
        "qadın",
        "kadın",
    ),
    "male": ("male", "m", "man", "boy", "м", "муж", "мужской", "мужчина", "արական", "տղամարդ", "ա", "kişi", "erkek"),
    "other": ("other", "x", "другой", "non-binary", "nonbinary"),
    "unknown": ("unknown", "", "?", "u", "неизвестно", "անհայտ", "n/a", "na", "not known", "-"),
}
SEX_SYNONYMS = {fold_header(w): s for s, words in _SEX_WORDS.items() for w in words}
assert set(_SEX_WORDS) == set(SEXES)

_CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "civilian": (
        "civilian",
        "civil",
        "civ",
        "non-combatant",
        "noncombatant",
        "мирный житель",
        "гражданский",
        "мирный",
        "քաղաքացիական",
        "խաղաղ բնակիչ",
        "mülki",
    ),
    "military": (
        "military",
        "mil",
        "soldier",
        "army",
        "armed forces",
        "combatant",
        "serviceman",
        "военный",
        "военнослужащий",
        "զինծառայող",
        "զինվորական",
        "hərbçi",
    ),
    "unknown": ("unknown", "", "?", "неизвестно", "անհայտ"),
}
CATEGORY_SYNONYMS = {fold_header(w): s for s, words in _CATEGORY_WORDS.items() for w in words}
assert set(_CATEGORY_WORDS) == set(CATEGORIES)


class ValueProblem(ValueError):
    """A cell that cannot be accepted; the message is the reason shown to the user."""


def _today() -> dt.date:
    return dt.date.today()


def _check_date(year: int, month: int | None, day: int | None, original: str) -> str:
    if not 1850 <= year <= _today().year:
        raise ValueProblem(f"{original!r}: year {year} is not plausible")
    if month is not None and not 1 <= month <= 12:
        raise ValueProblem(f"{original!r}: there is no month {month}")
    if day is not None:
        assert month is not None
        try:
            date = dt.date(year, month, day)
        except ValueError:
            raise ValueProblem(
                f"{original!r} is not a real date ({year}-{month:02d} has no day {day})"
            ) from None
        if date > _today():
            raise ValueProblem(f"{original!r} is in the future")
        return date.isoformat()
    if month is not None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}"


# Month names as clerks write them (English, Russian and Armenian, with the Russian and Armenian
# genitive of "3 мая 1978", "3 մայիսի 1978" and the usual abbreviations).
_MONTH_WORDS: tuple[tuple[str, ...], ...] = (
    ("january", "jan", "январь", "января", "янв", "հունվար", "հունվարի"),
    ("february", "feb", "февраль", "февраля", "фев", "февр", "փետրվար", "փետրվարի"),
    ("march", "mar", "март", "марта", "мар", "մարտ", "մարտի"),
    ("april", "apr", "апрель", "апреля", "апр", "ապրիլ", "ապրիլի"),
    ("may", "май", "мая", "մայիս", "մայիսի"),
    ("june", "jun", "июнь", "июня", "июн", "հունիս", "հունիսի"),
    ("july", "jul", "июль", "июля", "июл", "հուլիս", "հուլիսի"),
    ("august", "aug", "август", "августа", "авг", "օգոստոս", "օգոստոսի"),
    ("september", "sep", "sept", "сентябрь", "сентября", "сен", "сент", "սեպտեմբեր", "սեպտեմբերի"),
    ("october", "oct", "октябрь", "октября", "окт", "հոկտեմբեր", "հոկտեմբերի"),
    ("november", "nov", "ноябрь", "ноября", "ноя", "нояб", "նոյեմբեր", "նոյեմբերի"),
    ("december", "dec", "декабрь", "декабря", "дек", "դեկտեմբեր", "դեկտեմբերի"),
)
_MONTH_OF = {word: number for number, words in enumerate(_MONTH_WORDS, start=1) for word in words}
# What says a year or an age is approximate (~1978, ca. 1978, около 40), or names a year (1978?,
# 1978 г., 1978թ.): the number is kept and the word dropped; the value as received stays in the
# record's raw row.
_APPROXIMATE = re.compile(r"^(?:~|≈|ca\.?|c\.|circa|about|approx\.?|around|около|примерно|приблизительно|մոտ\.?|շուրջ)\s*")  # fmt: skip
_YEAR_WORD_AFTER = re.compile(r"\s*(?:\?|г\.?|гг\.?|год|года|թ\.?|թվական|թվականին|y\.?)$")
_TIME = r"(?:[t ][\d:.]+(?:z|[+-]\d\d:?\d\d)?)?"  # matched casefolded


def _date_with_month_name(bare: str, value: str) -> str | None:
    """'3 may 1978', 'may 3, 1978', 'may 1978', '3 мая 1978', '3 մայիսի 1978' (casefolded, the year's
    word dropped) as ISO, else None; `value` is the cell as written, for the message."""
    words = re.findall(r"[^\W\d_]+|\d+", bare)
    months = [_MONTH_OF[w] for w in words if w in _MONTH_OF]
    numbers = [w for w in words if w.isdigit()]
    others = [w for w in words if not w.isdigit() and w not in _MONTH_OF]
    if len(months) != 1 or others or not 1 <= len(numbers) <= 2:
        return None
    years = [n for n in numbers if len(n) == 4]
    days = [n for n in numbers if len(n) <= 2]
    if len(years) != 1 or len(days) != len(numbers) - 1:
        return None
    return _check_date(int(years[0]), months[0], int(days[0]) if days else None, value)


def normalise_date(text: str) -> str:
    """A full or partial date as ISO (1970, 1970-05, 1970-05-12); raises ValueProblem with the reason.

    Accepts 1970, 1970-05, 1970-05-12 (also with dots or slashes), 12.05.1970, 12/05/1970 (day
    first, as in the region), 05.1970, 05/1970, a timestamp (the date part is kept), a month by
    name (12 May 1970, May 12, 1970, 12 мая 1970 г., 12 մայիսի 1970) and an approximate year
    (~1970, ca. 1970, около 1970, 1970?, 1970 г., 1970թ.: the year).
    """
    value = text.strip()
    if not value:
        return ""
    bare = _YEAR_WORD_AFTER.sub("", _APPROXIMATE.sub("", value.casefold())).strip()
    if m := re.fullmatch(r"(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?" + _TIME, bare):
        year, month, day = m.groups()
        return _check_date(int(year), int(month) if month else None, int(day) if day else None, value)
    if m := re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})" + _TIME, bare):
        day, month, year = m.groups()
        return _check_date(int(year), int(month), int(day), value)
    if m := re.fullmatch(r"(\d{1,2})[./](\d{4})", bare):
        month, year = m.groups()
        return _check_date(int(year), int(month), None, value)
    if (named := _date_with_month_name(bare, value)) is not None:
        return named
    raise ValueProblem(
        f"{value!r} is not a date rollcall understands (use 1970, 1970-05 or 1970-05-12; "
        "12.05.1970, 12 May 1970 and ~1970 are read too)"
    )


_AGE_AFTER = re.compile(r"\s*(?:years?(?: old)?|yrs?\.?|y\.?\s?o\.?|y\.?|лет|год|года|г\.?|л\.?|տարեկան|տարի|տ\.?)$")
# An infant's age in months, weeks or days is under one year (18 months is 1); clerks write it so.
_UNDER_A_YEAR = re.compile(
    r"(\d{1,3})\s*(?:(?P<months>months?|mos?\.?|мес\.?|месяц\w*|ամս\w*|ամիս)|weeks?|wks?\.?|нед\.?|недел\w*|շաբաթ\w*|days?|дн\.?|дней|день|дня|օր\w*)"
)  # fmt: skip
_NEWBORN = frozenset({"newborn", "infant", "baby", "новорожденный", "новорождённый", "младенец", "նորածին"})


def normalise_age(text: str) -> str:
    """An age or an age range: 35, 30-35, ~35, about 35, 35 years -> '35', '30-35', '35'; an
    infant's 6 months, 3 weeks or newborn -> '0'; a decade (30s, 30-е) -> '30-39'; 60+ -> '60-120'."""
    value = text.strip()
    if not value:
        return ""
    compact = _AGE_AFTER.sub("", _APPROXIMATE.sub("", value.casefold())).strip()
    if compact in _NEWBORN:
        return "0"
    if m := _UNDER_A_YEAR.fullmatch(compact):
        return str(int(m.group(1)) // 12 if m.group("months") else 0)
    if m := re.fullmatch(r"(\d{1,2})0\s*(?:'?s|-е|-ые|ականներ)", compact):
        return f"{m.group(1)}0-{m.group(1)}9"
    if m := re.fullmatch(r"(\d{1,3})\s*\+|(?:over|older than|старше|больше)\s*(\d{1,3})", compact):
        low = int(m.group(1) or m.group(2))
        if low > MAX_AGE_YEARS:
            raise ValueProblem(f"{value!r}: an age over {MAX_AGE_YEARS} is not plausible")
        return f"{low}-{MAX_AGE_YEARS}"
    if m := re.fullmatch(r"(\d{1,3})\s*[-–—]\s*(\d{1,3})", compact):
        low, high = int(m.group(1)), int(m.group(2))
        if low > high:
            raise ValueProblem(f"{value!r}: the range runs backwards")
        if high > MAX_AGE_YEARS:
            raise ValueProblem(f"{value!r}: an age over {MAX_AGE_YEARS} is not plausible")
        return f"{low}-{high}"
    if re.fullmatch(r"-\s*\d+", compact):
        raise ValueProblem(f"{value!r}: an age cannot be negative")
    if re.fullmatch(r"\d{1,3}", compact):
        if int(compact) > MAX_AGE_YEARS:
            raise ValueProblem(f"{value!r}: an age over {MAX_AGE_YEARS} is not plausible")
        return str(int(compact))
    raise ValueProblem(f"{value!r} is not an age (use 35 or a range like 30-35; 6 months and 60+ are read too)")


# "not dead", "не найден", "ոչ ողջ": a value that negates a word is never read as that word.
_NEGATIONS = frozenset({"not", "no", "non", "не", "нет", "ոչ", "չի", "deyil", "yox"})


def _from_synonyms(value: str, synonyms: Mapping[str, str], allowed: tuple[str, ...], what: str) -> str:
    if not value.strip():
        return ""
    found = synonyms.get(fold_header(value))
    if found is None:
        # A clerk's note around the word ("Dead (confirmed)", "alive - registered at the airport"):
        # the one value its words name; two ("alive, injured") or none is for a person to decide.
        # Split at every non-letter, so that no word hides inside markup or punctuation.
        words = [fold_header(w) for w in re.split(r"[\W_]+", value) if w]
        named = {synonyms[w] for w in words if w in synonyms} - {"unknown"}
        if len(named) != 1 or _NEGATIONS.intersection(words):
            raise ValueProblem(f"{value!r} is not a {what}; use one of {', '.join(allowed)}")
        found = named.pop()
    return found


# Characters never kept: NUL breaks databases and C libraries; everything else is kept as received.
_STRIP = str.maketrans("", "", "\x00")


def clean_text(value: str) -> str:
    return value.translate(_STRIP).strip()


def validate_fields(fields: Mapping[str, str]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Canonical fields cleaned and normalised, and the problems found as (field, reason)."""
    clean: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for field, raw in fields.items():
        value = clean_text(raw or "")
        try:
            if field in {"birth_date", "status_date"}:
                value = normalise_date(value)
            elif field == "age":
                value = normalise_age(value)
            elif field == "status":
                value = _from_synonyms(value, STATUS_SYNONYMS, STATUSES, "status")
            elif field == "sex":
                value = _from_synonyms(value, SEX_SYNONYMS, SEXES, "sex")
            elif field == "category":
                value = _from_synonyms(value, CATEGORY_SYNONYMS, CATEGORIES, "category")
        except ValueProblem as problem:
            problems.append((field, str(problem)))
            continue
        clean[field] = value
    if not any(clean.get(f) for f in ("full_name", "given_name", "family_name")) and not any(
        p[0] in {"full_name", "given_name", "family_name"} for p in problems
    ):
        problems.append(("full_name", "the row has no name (full_name, given_name or family_name)"))
    birth = clean.get("birth_date", "")
    status_date = clean.get("status_date", "")
    if birth and status_date and birth[: len(status_date)] > status_date[: len(birth)]:
        problems.append(("birth_date", f"born {birth}, after the status date {status_date}"))
    return clean, problems
