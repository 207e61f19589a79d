"""Comparison features of one record: plain values the model compares, computed once per record.

A record arrives as written (Armenian, Russian or Latin script; given-family or family-given
order; a full date, a year, or only an age range). The features put every record in the same
shape: folded name forms (ASCII, lower case), a phonetic skeleton that makes the usual
Armenian/Russian/passport spellings of one name equal (Khachatryan / Хачатрян / Խաչատրյան ->
"hacatran"), the family name found by its suffix when the order is unknown, the patronymic,
birth date parts, the range of birth years an age allows at the status date, sex and a
home place id.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rollcall_core.names.matching import given_name_groups, known_given_names, name_group, parse_name
from rollcall_core.names.normalize import matching_form, phonetic
from rollcall_core.names.normalize import skeleton as name_skeleton
from rollcall_core.schema import STATUSES

FEATURE_COLUMNS: tuple[str, ...] = (
    "unique_id",
    "given",
    "family",
    "patronymic",
    "patronymic_initials",
    "given_sk",
    "family_sk",
    "given_lo",
    "family_lo",
    "family_alt_sk",
    "given_initial",
    "given_initial_alt",
    "family_prefix",
    "sex",
    "birth_year",
    "birth_month",
    "birth_day",
    "by_low",
    "by_high",
    "place",
    "district",
    "event_place",
    "status",
    "status_on",
    "status_md",
)
# Columns that hold whole numbers or nothing (pandas' nullable Int64, so DuckDB compares them as integers).
INTEGER_FEATURES: tuple[str, ...] = (
    "birth_year",
    "birth_month",
    "birth_day",
    "by_low",
    "by_high",
    "status_on",
    "status_md",
)

# A patronymic's key is the father's name: Russian -ovich/-ovna/-ich, Armenian genitive -i removed.
_PATRONYMIC_ENDING = re.compile(r"(ovic|evic|ovna|evna|inicna|icna|ic|i)$")
_DIGRAPHS = (
    ("tch", "c"),
    ("kh", "h"),
    ("x", "h"),
    ("zh", "z"),
    ("sh", "s"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("gh", "g"),
    ("th", "t"),
    ("ph", "p"),
    ("dz", "z"),
    ("ou", "u"),
    ("w", "v"),
    ("q", "k"),
    ("j", "i"),
    ("y", "i"),
    ("iu", "u"),
    ("ia", "a"),
    ("io", "o"),
    ("ie", "e"),
)
_REFERENCE_YEAR = 2023  # the crisis year: statuses without a date are read as of it


@lru_cache(maxsize=1)
def _transliterator() -> Any:
    import icu  # PyICU: ICU's transliterators (DESIGN.md, chosen dependencies)

    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """ASCII lower-case letters and spaces: any script, accents and apostrophes removed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if text.isascii():
        latin = text.lower()
    else:
        latin = _transliterator().transliterate(text)
    latin = re.sub(r"['`\u02bc\u2019]", "", latin)
    return " ".join(re.sub(r"[^a-z]+", " ", latin).split())


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """A phonetic key of one folded token: spelling variants of a name across scripts become equal.

    Rules (in order): digraphs to one letter, every remaining 'h' dropped (Armenian h, Russian kh
    and passport KH disagree), y/j to i, i before a vowel dropped (-yan/-ян/-ian -> -an), doubled
    letters collapsed.
    """
    out = token
    for before, after in _DIGRAPHS:
        out = out.replace(before, after)
    out = out.replace("h", "")
    out = re.sub(r"i(?=[aeou])", "", out)
    out = re.sub(r"(.)\1+", r"\1", out)
    return out or token


def _tokens(text: str) -> list[str]:
    return [skeleton(fold(matching_form(t))) for t in text.split() if fold(matching_form(t))]


def _phonetic_tokens(text: str) -> list[str]:
    """The names core's phonetic form of each word: romanisation habits and Western Armenian
    voicing merged, vowels kept (Sdepanian = STEPANYAN, Asdghig = ASTGHIK, Etkar = EDGAR)."""
    return [p for p in (phonetic(t) for t in text.split()) if p]


def _group(token: str) -> str | None:
    """The names core's equivalence group of a given name, also when a German or Polish clerk
    wrote y as j (Sergej = Sergey, Gajane = Gayane), which the group lists do not spell out.

    The fallback folds the names core's matching form, not the token: folding Armenian or Cyrillic
    straight drops the hacek of its transliteration (Շուշան became "susan", which is Susanna's group,
    while Latin Shushan stayed Shushan)."""
    folded = fold(matching_form(token))
    return (
        name_group(token)
        or name_group(folded)
        or (name_group(folded.replace("j", "y")) if "j" in folded else None)
        or _group_with_a_slip(folded)
    )


@lru_cache(maxsize=1)
def _group_slips() -> Slips:
    """The given-name groups' folded forms, for slips: names under five letters have too many
    neighbours a letter away, and none is longer than thirty."""
    return Slips(((fold(form), group) for form, group in given_name_groups().items()), shortest=5, longest=30)


def _group_with_a_slip(folded: str) -> str | None:
    """The group of a given name a clerk misspelt by a letter lost, added, changed or two swapped
    (SERGEI and Serkey for Sergey, Mikaeel for Mikayel): the one group some form of which is that slip away.
    A name the names core knows as itself (Arman beside Armen's group) is never read as another."""
    return None if folded in known_given_names() else _group_slips().only(folded)


def _given_key(token: str) -> str:
    """The given name's equivalence group when the names core knows one (Hovhannes = Ованес), else its phonetic form."""
    group = _group(token)
    return phonetic(group) if group else " ".join(_phonetic_tokens(token))


def _loose(text: str) -> str:
    """A key that forgives what Cyrillic does to Armenian h and gh: Russian writes հ as г or not at
    all (Гоар/Гогар = Gohar, Анаит/Анагит = Anahit, Грант = Hrant, Абрагамян = Abrahamyan), so
    every g and h is dropped before the names core's phonetic form (vowels kept, so that the key
    stays nearly as selective as the phonetic one). Coarse on purpose (Gagik and Hayk share it):
    it is a level below the exact and phonetic ones, weighed by its own u."""
    keys = []
    for token in text.split():
        # j too: German and Polish clerks write y as j (Gajane = Gayane), and every script's
        # own j sound (ջ, дж) is folded to j before this, so j as y loses nothing here.
        form = matching_form(token).replace("g", "").replace("h", "").replace("j", "y")
        key = phonetic(form) if form else ""
        if key:
            keys.append(key)
    return " ".join(keys)


@dataclass(frozen=True)
class NameParts:
    given: str
    family: str
    patronymic: str
    given_sound: str = ""
    family_sound: str = ""
    given_initial: str = ""
    given_initial_alt: str = ""
    patronymic_initials: str = ""
    given_loose: str = ""
    family_loose: str = ""


def split_name(fields: Mapping[str, str]) -> NameParts:
    """Given, family and patronymic keys, from separate columns or a full name in any order.

    A full name is parsed by the names core (`parse_name`: patronymics, surname-first Russian
    order, family-name endings); each part becomes its phonetic skeleton.
    """
    return _split_name(
        (fields.get("full_name", "") or "").strip(),
        (fields.get("given_name", "") or "").strip(),
        (fields.get("family_name", "") or "").strip(),
        (fields.get("patronymic", "") or "").strip(),
    )


_ONLY_INITIALS = re.compile(r"\w\.?|\w(?:\.\s*|\s+)\w\.?")
# Words a clerk writes where a given name is not known (a baby not yet named, a patient who could not
# say): no given name, not a name that differs from every other (on gen4 "Baby Nersesyan" weighed
# -6.6 bits against the border list's ARAM NERSESYAN, born that April).
_NOT_A_GIVEN_NAME = frozenset({
    "baby", "infant", "newborn", "child", "unknown", "nn", "n/a", "unnamed",
    "ребенок", "ребёнок", "младенец", "новорожденный", "новорождённый", "новорожденная", "неизвестный",
    "неизвестная", "մանուկ", "երեխա", "նորածին", "անհայտ", "körpə", "uşaq",
})  # fmt: skip


def _split_name(full_name: str, given_text: str, family_text: str, patronymic_text: str) -> NameParts:
    initial = father = ""
    if _ONLY_INITIALS.fullmatch(given_text):
        # "A." or "A. G." in the given-name column is an initial (and a patronymic's), not a name.
        letters = re.findall(r"\w", given_text)
        initial, father, given_text = letters[0], (letters[1:2] or [""])[0], ""
    if not (given_text or family_text):
        parsed = parse_name(full_name)
        given_text, family_text = parsed.given, parsed.family
        patronymic_text = patronymic_text or parsed.patronymic
        initial = parsed.initials[0] if parsed.initials else ""
        # Балаян А.С.: the second initial is the father's; Armen G. Sargsyan: a lone one beside a given name.
        father = (parsed.initials[1:2] or (parsed.initials[:1] if parsed.given else ()) or ("",))[0]
    elif len(given_text.split()) > 1:
        # "Anna Armenovna" in the given-name column: the names core finds the patronymic.
        parsed = parse_name(given_text)
        given_text = parsed.given or given_text.split()[0]
        patronymic_text = patronymic_text or parsed.patronymic
    if given_text.split() and given_text.split()[0].casefold().strip(".") in _NOT_A_GIVEN_NAME:
        given_text = ""  # "Baby Ghazaryan": a baby registered before it was named
    given = _given_key(given_text.split()[0]) if given_text.split() else ""
    patronymic = _PATRONYMIC_ENDING.sub("", " ".join(_tokens(patronymic_text)))
    first_given = given_text.split()[0] if given_text.split() else ""
    group = _group(first_given) if first_given else None
    return NameParts(
        given,
        " ".join(_phonetic_tokens(family_text)),
        patronymic,
        given_sound=_sound(group or first_given) if first_given else "",
        family_sound=_sound(family_text),
        given_initial=_initial(first_given or initial),
        given_initial_alt=_initial_in_cyrillic(first_given),
        patronymic_initials=_initials_of_father(patronymic_text, father),
        given_loose=_loose(group or first_given) if first_given else "",
        family_loose=_loose(family_text),
    )


def _initial(token: str) -> str:
    """The first sound, so that an initial in one script agrees with the name in another: the
    phonetic form drops the h Russian cannot write (Hripsime = Р., Hayk = А., Hovhannes = О.)
    and gives g/k one letter (Karnig = Г.). A lone H (Latin H., Armenian Հ.) is a name written with
    h, whose own class drops it: it takes the class a Russian list's Г. has, which those names
    agree with (`_initial_in_cyrillic`)."""
    if len(token.rstrip(".")) == 1 and fold(matching_form(token)).lower() == "h":
        return _initial("Г")
    sound = phonetic(token)[:1].lower()
    return sound or fold(matching_form(token))[:1]


# What a list writes before a maiden name in `alternate_names` (née Xachatryan, урожд. Погосян,
# ծն. Դանիելյան, geb., born): the name after it is a family name whatever it looks like.
_MAIDEN_MARK = re.compile(
    r"^(?:n[ée]e|born|maiden(?:\s+name)?|geb\.?|урожд(?:\.|[её]нная)?|ծն\.?|ծնված)(?:\s+|$)", re.IGNORECASE
)


@lru_cache(maxsize=50_000)
def _other_family_sound(text: str | None) -> str | None:
    """The sound (as family_sk) of the first other family name in `alternate_names`: a maiden name
    after a mark (née X), or a name the names core reads as a family name (Հարությունյան; a given
    name or a diminutive, Davo, is not one). None if there is none."""
    for piece in re.split(r"[;,/|]", text or ""):
        piece = piece.strip()
        marked = _MAIDEN_MARK.match(piece)
        rest = piece[marked.end():].strip() if marked else piece
        if not rest:
            continue
        parsed = parse_name(rest)
        family = parsed.family or (parsed.given if marked else "")
        sound = _sound(family) if family else ""
        if sound:
            return sound
    return None


def _initials_of_father(patronymic: str, initial: str) -> str:
    """The patronymic's initial class, and the one a Russian list may write for it (Грачьевич, Г.
    for Hrachi: `_initial_in_cyrillic`): "rk"; from an initial alone (Балаян А.С.), that initial's
    class. Empty when the record says nothing of the father."""
    first = patronymic.split()[0] if patronymic.split() else ""
    if first:
        return _initial(first) + _initial_in_cyrillic(first)
    return _initial(initial) if initial else ""


def _initial_in_cyrillic(token: str) -> str:
    """The other initial a Russian list may write for a given name, where it differs from
    `_initial`'s: Г for Armenian h (Грачья, Генрик, Гамлет for Hrachya, Henrik, Hamlet, where
    Айк, Акоп drop it) and Д for j (Джульетта, Джемма). Empty for other names and for initials.
    Both are initial classes (`_initial` of the letter): Г is k, Д is t."""
    if len(token.rstrip(".")) < 2:
        return ""
    form = matching_form(token).lower()
    if form.startswith("h"):
        return _initial("Г")
    if form.startswith(("j", "dzh", "dj")):
        return _initial("Д")
    return ""


def _sound(text: str) -> str:
    """The names core's phonetic skeleton (merges Western Armenian b/p, g/k, d/t shifts)."""
    return " ".join(name_skeleton(matching_form(t)) for t in text.split() if t)


_DATE = re.compile(r"^\s*(\d{4})(?:[-./](\d{1,2}))?(?:[-./](\d{1,2}))?\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[-./](\d{1,2})[-./](\d{4})\s*$")


@lru_cache(maxsize=200_000)  # dates, ages and places repeat across a million records
def parse_partial_date(text: str) -> tuple[int | None, int | None, int | None]:
    """(year, month, day) of '1970', '1970-05', '1970-05-17', '17.05.1970' or '19700517'; None where absent."""
    text = (text or "").strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = _DATE.match(text)
    if match:
        year, month, day = (int(g) if g else None for g in match.groups())
    else:
        match = _DMY.match(text)
        if not match:
            return None, None, None
        day, month, year = (int(g) for g in match.groups())
    if year is None or not 1880 <= year <= 2030:
        return None, None, None
    if month is not None and not 1 <= month <= 12:
        month, day = None, None
    if day is not None and not 1 <= day <= 31:
        day = None
    return year, month, day


@lru_cache(maxsize=200_000)  # dates, ages and places repeat across a million records
def parse_age(text: str) -> tuple[int | None, int | None]:
    """(low, high) of '35', '30-35', 'about 35' (±2), '35+'; None when no age is given."""
    numbers = [int(n) for n in re.findall(r"\d+", text or "")[:2]]
    if not numbers or numbers[0] > 120:
        return None, None
    if len(numbers) == 2:
        low, high = sorted(numbers)
        return low, min(high, 120)
    if re.search(r"about|approx|~|около|մոտ|\?", text or "", re.IGNORECASE):
        return max(numbers[0] - 2, 0), numbers[0] + 2
    return numbers[0], numbers[0]


def _sex(text: str | None) -> str | None:
    value = fold(text or "")[:1]
    if value in ("m", "f"):
        return value
    # Russian (м/ж) and Armenian (ա = արական, male; ի = իգական, female) letters, folded.
    raw = (text or "").strip().lower()[:1]
    return {"м": "m", "ж": "f", "ա": "m", "ի": "f"}.get(raw)


# Words clerks add to a place name that are not the name (Stepanakert city, г. Степанакерт,
# Մարտունի գյուղ): dropped before the place is looked up, or "STEPANAKERT CITY" and "Stepanakert"
# would be two places (measured: 1 in 6 shelter-border pairs on the variant scenario).
_PLACE_WORDS = frozenset(
    "city town village vill district region province raion rayon of the c v g s st "
    "г гор город с село н п нп пгт пос поселок посёлок район р-н р н обл область "
    "ք քաղաք գ գյուղ շրջան մարզ kənd kəndi rayonu şəhəri qəsəbəsi "
    # A front named by the town it faces (Մարտունու ուղղություն, the Martuni direction): the town.
    "ուղղություն ուղղությամբ направление направлении direction".split()
)


# Words that make a part of an address a district or region, not the place itself.
_DISTRICT_WORDS = frozenset(
    "district region province raion rayon район районе обл область р-н շրջան շրջանի մարզ մարզի rayonu".split()
)


def _address_parts(text: str) -> list[str]:
    """The parts of an address, between commas, semicolons and brackets, empty ones left out."""
    return [part for part in re.split(r"[,;()]+", text) if part.strip()]


def _is_district(part: str) -> bool:
    return any(word.casefold() in _DISTRICT_WORDS for word in re.split(r"[\s.]+", part))


@lru_cache(maxsize=200_000)  # dates, ages and places repeat across a million records
def place_name(text: str) -> str:
    """A home place as written, without the designators around the name (н.п. Мец Шен = Mets Shen),
    without the district an address adds to a village (Մարտունու շրջան, գ. Սպիտակաշեն = Taghavard,
    Martuni region = с. Тагавард; a district alone stays) and with hyphens as spaces (Karmir-Shuka =
    Karmir Shuka)."""
    parts = _address_parts(text)
    if len(parts) > 1:
        text = next((part for part in parts if not _is_district(part)), parts[0])
    words = re.split(r"[\s.,;()\-\u2010\u2011\u2013]+", text.strip())
    kept = [w for w in words if w and w.casefold() not in _PLACE_WORDS]
    return " ".join(kept) if kept else text.strip()


def place_sound(text: str) -> str:
    """A place name's spelling-independent key, for places the gazetteer does not name: the names
    core's phonetic form of each word, which merges what Russian, Western Armenian and passports do
    to the same sounds (Чанкатах = Chankatagh, Sdepanagerd = Stepanakert, Егцаох = Yeghtsahogh)."""
    return " ".join(p for p in (phonetic(word) for word in place_name(text).split()) if p)


class Slips:
    """Keys by forms, for a clerk's slip: `only(text)` is the one key some form of which lies a letter
    lost, added, changed or two neighbours swapped away from the text, else None. Each form is indexed
    under itself and every form with one letter taken out (Garbe 2007's symmetric deletion), so a
    look-up tries as many entries as the text has letters. Forms and texts shorter than `shortest`
    have too many neighbours to guess from; texts longer than `longest` are no such name (and their
    variants would be as many as their letters, each as long)."""

    def __init__(self, forms: Iterable[tuple[str, str]], shortest: int, longest: int) -> None:
        self.shortest, self.longest = shortest, longest
        self._keys: dict[str, set[str]] = {}
        for form, key in forms:
            if shortest <= len(form) <= longest:
                for variant in _one_deletion(form):
                    self._keys.setdefault(variant, set()).add(key)

    def only(self, text: str) -> str | None:
        if not self.shortest <= len(text) <= self.longest:
            return None
        keys = set().union(*(self._keys.get(variant, set()) for variant in _one_deletion(text)))
        return keys.pop() if len(keys) == 1 else None


def _one_deletion(text: str) -> set[str]:
    """The text and every text with one of its letters taken out."""
    return {text, *(text[:i] + text[i + 1 :] for i in range(len(text)))}


class PlaceResolver:
    """Home place text -> place key: the gazetteer's key where one of its names (any script; `names`
    maps each case-folded name to its place's key) is written, sounds the same or, naming only one
    place, has the same consonants; else the sound.

    `district(text)` is the district the place lies in, where it is known: the district an address
    writes (Martuni region, v. Spitakashen), else the gazetteer's (`districts` maps a place's key to
    its district's key; rollcall_core.gazetteer.districts_of; a place it knows in no district, the
    capital, is a district of its own). Clerks write a district's town for
    its villages (a border list's MARTAKERT for a bulletin's с. Дрмбон), so two different places of
    one district are weaker evidence against a match than two places apart.
    """

    def __init__(self, names: Mapping[str, str], districts: Mapping[str, str] | None = None) -> None:
        self._names = dict(names)
        self._by_sound: dict[str, str] = {}
        # The coarser skeleton (vowels dropped: Венгли = Vəngli, Jangatagh = Chankatagh) only where
        # it names one place (Shosh and Shushi share one), after the sound found none.
        by_skeleton: dict[str, set[str]] = {}
        for name, key in sorted(self._names.items()):
            self._by_sound.setdefault(place_sound(name), key)
            by_skeleton.setdefault(_sound(place_name(name)), set()).add(key)
        self._by_skeleton = {skeleton: keys.pop() for skeleton, keys in by_skeleton.items() if len(keys) == 1}
        # A clerk's slip in a place's name (Stepanakkert, Maftuni, Ստեփանակետ): the one place whose sound
        # lies a slip away. Sounds under six letters (Sos, Vank) have too many neighbours.
        self._slips = Slips(self._by_sound.items(), shortest=6, longest=60)
        # A known place in no district (the capital) is a district of its own.
        self._districts = {key: key for key in self._names.values()} | dict(districts or {})
        self._key = lru_cache(maxsize=50_000)(self._resolve)
        self.district = lru_cache(maxsize=50_000)(self._district)

    def __call__(self, text: str) -> str | None:
        return self._key(text)

    def _resolve(self, text: str) -> str | None:
        text = text.strip()
        if not text:
            return None
        parts = [part for part in _address_parts(text) if not _is_district(part)]
        if len(parts) > 1:
            # Where it happened, then the place (Բենզինի պահեստ, Բերքաձոր: the fuel depot at Berkadzor;
            # боевая позиция, Тагавард): the first part that names a known place.
            known = next(filter(None, (self._known(part) for part in parts)), None)
            if known:
                return known
        sound = place_sound(text)
        return self._known(text) or self._slips.only(sound) or sound or None

    def _known(self, text: str) -> str | None:
        """The gazetteer's key of a place named by the text, by its name, its sound or its skeleton."""
        text = text.strip()
        return (
            self._names.get(text.casefold())
            or self._by_sound.get(place_sound(text))
            or self._by_skeleton.get(_sound(place_name(text)))
        )

    def _district(self, text: str) -> str | None:
        written = next((part for part in _address_parts(text) if _is_district(part)), None)
        key = self._key(place_name(written)) if written is not None else self._key(text)
        if key is None:
            return None
        # A district the gazetteer does not know still compares with the same district written again;
        # a place it does not know, with no district written, is in a district not known (None).
        return self._districts.get(key, key) if written is not None else self._districts.get(key)


def gazetteer_resolver() -> PlaceResolver:
    """A PlaceResolver of the core gazetteer's places (rollcall_core.gazetteer), where no database holds them."""
    from rollcall_core.gazetteer import districts_of, load_places

    places = load_places()
    names = {name.casefold(): place.key for place in places for name in place.all_names if name}
    return PlaceResolver(names, districts_of((place.key, place.kind, place.parent) for place in places))


def birth_year_range(
    birth_year: int | None, age_low: int | None, age_high: int | None, status_year: int | None
) -> tuple[int | None, int | None]:
    """The birth years a record allows: its own year, or the years an age allows at the status date."""
    if birth_year is not None:
        return birth_year, birth_year
    if age_low is None or age_high is None:
        return None, None
    year = status_year or _REFERENCE_YEAR
    # A person aged a at the status date was born in year - a or year - a - 1.
    return year - age_high - 1, year - age_low


def _today() -> tuple[int, int, int]:
    import datetime as dt

    today = dt.date.today()
    return today.year, today.month, today.day


def _born_after(birth: tuple[int | None, ...], limit: tuple[int | None, ...]) -> bool:
    """True when the birth date is later than the limit, comparing only the parts both give
    (born 2023-10 is after a status of 2023-09-22; born 2023 is not after it)."""
    for mine, theirs in zip(birth, limit, strict=True):
        if mine is None or theirs is None:
            return False
        if mine != theirs:
            return mine > theirs
    return False


def prepare_record(
    unique_id: Any,
    fields: Mapping[str, str],
    place_of: PlaceResolver | None = None,
) -> dict[str, Any]:
    """The feature row of one record (see FEATURE_COLUMNS). Values that are unknown are None.

    A birth date in the future or after the status date is impossible, so it is treated as
    unknown (the age, if any, still counts) rather than trusted.
    """
    columns = prepare_columns([unique_id], {field: [value] for field, value in fields.items()}, place_of)
    return {column: values[0] for column, values in columns.items()}


# The feature columns worked out from each group of fields, in the order their functions return them.
_NAME_FIELDS = ("full_name", "given_name", "family_name", "patronymic")
_NAME_COLUMNS = (
    "given", "family", "patronymic", "given_sk", "family_sk", "given_lo", "family_lo", "given_initial",
    "given_initial_alt", "patronymic_initials", "family_prefix",
)  # fmt: skip
_DATE_FIELDS = ("status_date", "birth_date", "age")
_DATE_COLUMNS = ("birth_year", "birth_month", "birth_day", "by_low", "by_high", "status_on", "status_md")


def prepare_columns(
    unique_ids: Sequence[Any],
    fields: Mapping[str, Sequence[str | None]],
    place_of: PlaceResolver | None = None,
) -> dict[str, list[Any]]:
    """The feature columns (FEATURE_COLUMNS, in that order) of many records: `fields` maps a field
    to its values, one per record in the order of `unique_ids`; a field not given is empty.

    Each group of fields is worked out once per distinct value in the batch (a million records
    have some 120,000 distinct names, 190,000 distinct date-and-age triples and 81 home places),
    not once per record: that is most of what reading a million records costs (see prepare_record
    for one record, which is this on a batch of one).
    """
    count = len(unique_ids)

    def values(field: str) -> Sequence[str | None]:
        given = fields.get(field)
        return given if given is not None else [None] * count

    columns: dict[str, list[Any]] = {"unique_id": list(unique_ids)}
    names = _each_distinct(list(zip(*(values(f) for f in _NAME_FIELDS), strict=True)), _name_features, len(_NAME_COLUMNS))
    columns.update(zip(_NAME_COLUMNS, names, strict=True))
    today = _today()
    dates = _each_distinct(
        list(zip(*(values(f) for f in _DATE_FIELDS), strict=True)),
        lambda status_date, birth_date, age: _date_features(status_date, birth_date, age, today),
        len(_DATE_COLUMNS),
    )
    columns.update(zip(_DATE_COLUMNS, dates, strict=True))
    columns["family_alt_sk"] = _each_value(values("alternate_names"), _other_family_sound)
    columns["sex"] = _each_value(values("sex"), _sex)
    columns["place"] = _each_value(values("home_place"), lambda text: _place_key(text or "", place_of))
    columns["district"] = _each_value(
        values("home_place"), lambda text: place_of.district(text) if place_of is not None and text else None
    )
    columns["status"] = _each_value(values("status"), _status)
    event_places = _each_value(values("event_place"), lambda text: _place_key(text or "", place_of))
    # The event place is where the list says the person was killed or injured (a casualty bulletin
    # often gives only that), compared with the other record's home place (comparisons.place_comparison):
    # the offensive shelled towns and villages, and most of those it hit were at home. Anyone else's
    # is where a list saw them last, which says nothing of where they live: the border post of a
    # crossing list, the airport or checkpoint a tracing request names for a missing relative, the
    # checkpoint where a man was detained (on gen4, bench/gen4, a missing person's "Stepanakert airport"
    # weighed -2 bits against a true pair).
    columns["event_place"] = [
        place if status in _HARMED else None for status, place in zip(columns["status"], event_places, strict=True)
    ]
    return {column: columns[column] for column in FEATURE_COLUMNS}


def _each_distinct(
    keys: list[tuple[Any, ...]], work: Callable[..., tuple[Any, ...]], width: int
) -> list[list[Any]]:
    """work(*key) for every key, as `width` columns (one per item work returns), computed once per distinct key."""
    if not keys:
        return [[] for _ in range(width)]
    done = {key: work(*key) for key in dict.fromkeys(keys)}
    return [list(column) for column in zip(*(done[key] for key in keys), strict=True)]


def _each_value(values: Sequence[Any], work: Callable[[Any], Any]) -> list[Any]:
    """work(value) for every value, computed once per distinct value."""
    done = {value: work(value) for value in dict.fromkeys(values)}
    return [done[value] for value in values]


# Names repeat a great deal across a million records (some 120,000 distinct spellings): each once.
@lru_cache(maxsize=500_000)
def _name_features(
    full_name: str | None, given_name: str | None, family_name: str | None, patronymic: str | None
) -> tuple[str | None, ...]:
    """The name columns (_NAME_COLUMNS) of one spelling of a name."""
    names = split_name(
        {"full_name": full_name or "", "given_name": given_name or "", "family_name": family_name or "",
         "patronymic": patronymic or ""}
    )  # fmt: skip
    return (
        names.given or None, names.family or None, names.patronymic or None, names.given_sound or None,
        names.family_sound or None, names.given_loose or None, names.family_loose or None,
        names.given_initial or None, names.given_initial_alt or None, names.patronymic_initials or None,
        names.family[:3] or None,
    )  # fmt: skip


@lru_cache(maxsize=500_000)  # some 190,000 distinct triples in a million records
def _date_features(
    status_date: str | None, birth_date: str | None, age: str | None, today: tuple[int, int, int]
) -> tuple[int | None, ...]:
    """The date columns (_DATE_COLUMNS) of one record's status date, birth date and age."""
    status_year, status_month, status_day = parse_partial_date(status_date or "")
    year, month, day = parse_partial_date(birth_date or "")
    if _born_after((year, month, day), (status_year, status_month, status_day) if status_year else today):
        year = month = day = None
    age_low, age_high = parse_age(age or "")
    by_low, by_high = birth_year_range(year, age_low, age_high, status_year)
    status_on = _day_number(status_year, status_month, status_day)
    # Month and day of a full status date (September 21 is 921): with an exact age it says
    # whether the birthday had come that year (see comparisons.age_reading).
    status_md = status_month * 100 + status_day if status_on is not None and status_month and status_day else None
    return year, month, day, by_low, by_high, status_on, status_md


def _place_key(text: str, place_of: Callable[[str], str | None] | None) -> str | None:
    """A place as the gazetteer's key where it knows the name, else its sound (`place_sound`)."""
    text = place_name(text)
    key = place_of(text) if place_of is not None else place_sound(text)
    return key or None


# Statuses whose event place is where the person was hurt (features' event_place).
_HARMED = frozenset({"dead", "injured"})

# Statuses that say something about the person (unknown says nothing).
_LINKED_STATUSES = frozenset(STATUSES) - {"unknown"}


def _status(text: str | None) -> str | None:
    status = (text or "").strip().casefold()
    return status if status in _LINKED_STATUSES else None


def _day_number(year: int | None, month: int | None, day: int | None) -> int | None:
    """A full date as a day count (to compare which of two reports is later); None if partial or impossible."""
    if not (year and month and day):
        return None
    try:
        return date(year, month, day).toordinal()
    except ValueError:
        return None


def has_a_name(features: Mapping[str, Any]) -> bool:
    """Records without any name cannot be linked by the model; they stay persons of their own."""
    return bool(features.get("given") or features.get("family"))


def named_rows(columns: Mapping[str, Sequence[Any]]) -> list[int]:
    """The rows of prepare_columns' columns that have a name (has_a_name), in order."""
    return [row for row, (given, family) in enumerate(zip(columns["given"], columns["family"], strict=True))
            if given or family]  # fmt: skip


def place_shares(counts: Mapping[str, int]) -> dict[str, float]:
    """Each home place's share of the records that give one (the capital's is 0.4 and more; a
    village's under 0.03), from how many records give each: the same place says more of two
    records the smaller it is. Computed once over the table the model is trained on and kept
    with the model (comparisons.PLACE_SHARE_BANDS)."""
    total = sum(counts.values())
    return {place: count / total for place, count in counts.items()} if total else {}
