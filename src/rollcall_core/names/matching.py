"""Name parsing, candidate-search keys and a pairwise similarity with an explanation."""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path

from rapidfuzz.distance import JaroWinkler

from rollcall_core.names.normalize import (
    MAX_NAME_CHARS,
    clean_text,
    detect_script,
    matching_form,
    phonetic_of_form,
    phonetic_similarity,
    skeleton,
    skeleton_of_form,
    to_latin,
    tokens_of,
)

# Bump when search_keys changes, so a stored index knows it must be rebuilt.
keys_version = "names-keys-9"  # 7: German dsch read as j; 8: the Armenian genitive last, not a known given name; 9: Armenglish 4 as ch

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_KEY_TOKENS = 4
MAX_INDEX_KEYS = 12  # 1M records x keys go into one database table
MAX_KEYS = 24  # a query's keys, other readings of first sounds included


# ----------------------------------------------------------------------------- given-name groups


@lru_cache(maxsize=1)
def given_name_groups() -> dict[str, str]:
    """Folded form -> group name, from data/given_names.csv and $ROLLCALL_GIVEN_NAMES (user additions)."""
    groups: dict[str, str] = {}
    paths = [DATA_DIR / "given_names.csv"]
    extra = os.environ.get("ROLLCALL_GIVEN_NAMES")
    if extra:
        paths.append(Path(extra))
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            rows = csv.reader(line for line in handle if not line.startswith("#"))
            for row in rows:
                if len(row) < 2 or row[0] == "group":
                    continue
                group = row[0].strip()
                for form in row[1].split(";"):
                    folded = matching_form(form.strip().casefold())
                    if folded:
                        groups.setdefault(folded, group)
    return groups


def name_group(token: str) -> str | None:
    return given_name_groups().get(matching_form(token))


@lru_cache(maxsize=1)
def known_given_names() -> frozenset[str]:
    """Folded forms of the common given names of data/known_given_names.txt (not groups: see there)."""
    with (DATA_DIR / "known_given_names.txt").open(encoding="utf-8") as handle:
        lines = [line.strip() for line in handle if line.strip() and not line.startswith("#")]
    return frozenset(form for line in lines for name in line.split(";") if (form := matching_form(name.strip().casefold())))


# ----------------------------------------------------------------------------- parsing

_PATRONYMIC_CYRILLIC = re.compile(r"(ович|евич|ич|овна|евна|ична|инична)$")
_PATRONYMIC_LATIN = re.compile(r"(ovich|evich|ovna|evna|ichna)$")
_TURKIC_PATRONYMIC = {
    "оглы",
    "кызы",
    "oglu",
    "qizi",
    "ogly",
    "kyzy",
    "oğlu",
    "qızı",
    "ogli",
    "kizi",
    "gizi",
    "oğli",
}
_ARMENIAN_GENITIVE = re.compile(r"(ի|յի)$")
_FAMILY_ENDINGS = re.compile(r"(yan|ian|jan|yants|ov|ova|ev|eva|in|ina|li|lu|zade|ean)$")
# How strongly a word's ending says "family name" when both words of a name end like one: the
# Armenian -yan/-ian most (Yeva, Natali and Marina end like -eva, -li and -ina surnames), and a
# clerk's -an for -yan (Grigoran, Gasparan) least, since given names end so too (Vardan, Ruzan).
_FAMILY_LIKENESS = (
    (re.compile(r"(yan|ian|jan|yants|ean)$"), 3),
    (re.compile(r"(ov|ova|ev|eva|zade)$"), 2),
    (re.compile(r"(in|ina|li|lu|an)$"), 1),
)


@dataclass(frozen=True)
class ParsedName:
    given: str = ""
    family: str = ""
    patronymic: str = ""
    initials: tuple[str, ...] = ()
    other: tuple[str, ...] = ()


def _is_patronymic(token: str) -> bool:
    lowered = token.casefold()
    return bool(_PATRONYMIC_CYRILLIC.search(lowered) or _PATRONYMIC_LATIN.search(lowered))


def _patronymic_flags(tokens: list[str]) -> list[bool]:
    """Which tokens are patronymics: Russian forms anywhere; the Armenian genitive (Գագիկի) after
    the first of three or more words (Սիրանուշ Գագիկի Ադամյան, Ադամյան Սիրանուշ Գագիկի), unless
    it is a known given name (Զարուհի, Անի end in -ի too)."""
    flags = [_is_patronymic(t) or t in _TURKIC_PATRONYMIC for t in tokens]
    for i, token in enumerate(tokens[1:], start=1):
        if token in _TURKIC_PATRONYMIC:
            flags[i - 1] = True  # Ильгар кызы: the father's name before the marker
    if len(tokens) >= 3:
        for i in range(1, len(tokens)):
            if _is_armenian_genitive(tokens[i]):
                flags[i] = True
    return flags


def _ends_in_patronymic(text: str) -> bool:
    """Russian official order ends with the patronymic (Фамилия Имя Отчество, ... Рашид оглы)."""
    last = text.split()[-1].casefold()
    return _is_patronymic(last) or last in _TURKIC_PATRONYMIC


def _looks_like_family(token: str) -> bool:
    return bool(_FAMILY_ENDINGS.search(matching_form(token))) or (
        detect_script(token) == "armenian" and token.endswith("յան")
    )


def _family_likeness(token: str) -> int:
    """3 for -yan (-ян, -յան), 2 for -ov, -eva, 1 for an ending that given names share too, 0 for none."""
    if detect_script(token) == "armenian" and token.endswith("յան"):
        return 3
    form = matching_form(token)
    return next((score for pattern, score in _FAMILY_LIKENESS if pattern.search(form)), 0)


def _is_armenian_genitive(token: str) -> bool:
    """An Armenian father's name in the genitive (Գագիկի), not a surname's (-յանի) nor a given name
    that ends so itself."""
    return (
        detect_script(token) == "armenian"
        and bool(_ARMENIAN_GENITIVE.search(token))
        and not token.endswith("յանի")
        and not _is_known_given(token)
    )


def _is_known_given(token: str) -> bool:
    """A given name the core knows: in a group of data/given_names.csv or in data/known_given_names.txt."""
    form = matching_form(token)
    return form in given_name_groups() or form in known_given_names()


def _order_score(token: str) -> int:
    """How much a word of a two-part name looks like the family name: its ending's likeness, less 2
    for a known given name, so that -yan (3) still outweighs it."""
    return _family_likeness(token) - (2 if _is_known_given(token) else 0)


def _separate_initials(word: str) -> list[str]:
    """Initials written together are separate words: "А.С." is А. and С. (a given name's and a
    patronymic's), not a given name "АС" (the peacekeepers' bulletins write Адамян А.С.), and
    "A.Sargsyan" is A. and Sargsyan."""
    pieces = word.split(".")
    if len(pieces) < 2 or not any(len(piece) == 1 for piece in pieces[:-1]):
        return [word]  # no dot, or only a trailing one (А., Jr.)
    return [f"{piece}." if len(piece) == 1 else piece for piece in pieces if piece]


def parse_name(text: str, *, surname_first: bool | None = None) -> ParsedName:
    """Given, family and patronymic of a name as written (Russian surname-first records included)."""
    words = [w for word in clean_text(text).split() for w in _separate_initials(word) if any(ch.isalpha() for ch in w)]
    initials = tuple(w.rstrip(".") for w in words if len(w.rstrip(".")) == 1)
    words = [w for w in words if len(w.rstrip(".")) > 1]
    patronymic = ""
    # Turkic "X oğlu" / "X кызы": the father's name and the marker form the patronymic.
    for i, w in enumerate(words):
        if w.casefold() in _TURKIC_PATRONYMIC and i > 0:
            patronymic = f"{words[i - 1]} {w}"
            words = words[: i - 1] + words[i + 1 :]
            break
    if not patronymic:
        for i, w in enumerate(words):
            if _is_patronymic(w) and i > 0:
                patronymic = w
                words = words[:i] + words[i + 1 :]
                break
    armenian_genitive_last = False
    if not patronymic and len(words) == 3:
        # The father's name in the genitive: last in the registers' order family, given, father
        # (Ադամյան Սիրանուշ Գագիկի), in the middle in the spoken order (Սիրանուշ Գագիկի Ադամյան).
        # Given names end in -ի too (Անի, Նազելի): a known one is not taken for the genitive.
        genitive = [i for i in (2, 1) if _is_armenian_genitive(words[i])]
        if genitive:
            armenian_genitive_last = genitive[0] == 2
            patronymic = words.pop(genitive[0])
    if not words:
        return ParsedName(patronymic=patronymic, initials=initials)
    if len(words) == 1:
        token = words[0]
        if _looks_like_family(token) and not _is_known_given(token):
            return ParsedName(family=token, patronymic=patronymic, initials=initials)
        return ParsedName(given=token, patronymic=patronymic, initials=initials)
    first, last = words[0], words[-1]
    if surname_first is None:
        # "hovhannisyan vitali": both end like family names, the stronger ending decides; a
        # given name the core knows counts against (Nazeli Grigorya, Harutyunyn Narek: a slip
        # takes the surname's ending, and Nazeli ends like -li surnames).
        first_score, last_score = _order_score(first), _order_score(last)
        surname_first = first_score > last_score
        if not surname_first and patronymic and text.split() and _ends_in_patronymic(text):
            surname_first = True  # "Мелкумян Давид Ашотович": surname, given, patronymic
        if armenian_genitive_last and first_score == last_score:
            surname_first = True  # the registers' order, where the words themselves do not say
    if surname_first:
        return ParsedName(
            given=words[1], family=first, patronymic=patronymic, initials=initials, other=tuple(words[2:])
        )
    return ParsedName(
        given=first, family=last, patronymic=patronymic, initials=initials, other=tuple(words[1:-1])
    )


# ----------------------------------------------------------------------------- normalised names


@dataclass(frozen=True)
class NormalizedName:
    original: str
    tokens: tuple[str, ...] = ()
    scripts: tuple[str, ...] = ()
    skeletons: tuple[str, ...] = ()
    patronymic_tokens: tuple[str, ...] = field(default=())


def normalize_name(text: str) -> NormalizedName:
    raw_tokens = tokens_of(text)
    flags = _patronymic_flags(raw_tokens)
    patronymics = tuple(matching_form(t) for t, flag in zip(raw_tokens, flags, strict=True) if flag)
    return NormalizedName(
        original=text,
        tokens=tuple(matching_form(t) for t in raw_tokens),
        scripts=tuple(detect_script(t) for t in raw_tokens),
        skeletons=tuple(skeleton(t) for t in raw_tokens),
        patronymic_tokens=patronymics,
    )


def _key_tokens(text: str) -> list[str]:
    """The tokens that identify a person: patronymics and Turkic markers left out, at most four."""
    all_tokens = tokens_of(text)
    tokens = [t for t, flag in zip(all_tokens, _patronymic_flags(all_tokens), strict=True) if not flag]
    return [t for t in tokens if len(matching_form(t)) >= 2][:MAX_KEY_TOKENS]


MAX_UNIT_CHARS = 24  # keeps every key under 64 characters (two units, a prefix and a bar)
_INITIAL_KEY = {**dict.fromkeys("aeiouyh", "a"), **dict.fromkeys("gkqx", "k"), **dict.fromkeys("bp", "p"),
                **dict.fromkeys("dt", "t"), **dict.fromkeys("fvw", "v"), **dict.fromkeys("cjz", "c")}  # fmt: skip


def _initial_key(form: str) -> str:
    """A coarse class of a name's first letter, as an initial would give it (Y. for Yervand or Ervand)."""
    return _INITIAL_KEY.get(form[:1], form[:1])


def _onset_alternates(form: str, unit: str) -> list[tuple[str, str]]:
    """The other readings of a name's first sound, as (unit, initial class) pairs.

    Russian writes a foreign h as Г (Гусейнова = Hüseynova) or drops it (Акопян = Hakobyan), so
    an h- or Г-name also gets the key of the other reading; BGN/PCGN writes word-initial Ո as vo
    where diaspora spellings write o (Voskanyan = Oskanian), so vo- and o- names get each other's.
    """
    if form.startswith("h") and unit.startswith("a"):
        return [("k" + unit[1:], "k")]
    if form.startswith("g") and not form.startswith("gh") and unit.startswith("k"):
        return [("a" + unit[1:], "a")]  # Гусейнова, also in Latin letters (Guseynova)
    if form.startswith("vo") and unit.startswith("v"):
        return [("a" + unit[1:], "a")]
    if form.startswith("o") and unit.startswith("a"):
        return [("v" + unit[1:], "v")]
    return []


def index_keys(text: str) -> frozenset[str]:
    """The keys a record's name is indexed under: its own reading of each part, at most MAX_INDEX_KEYS.

    - ``t:<unit>`` for each name part (patronymics left out), the unit being its given-name group
      or its phonetic skeleton: a family name alone finds every full record of that family;
    - ``p:<unit>|<unit>`` for each pair of parts: rare even when both names are common;
    - ``i:<unit>|<initial class>``: a part with the first letter of another part, so that
      "Davit M." or "Мелкумян Д." meet the full records through a key rarer than the name alone.
    """
    return _keys(text, other_readings=False, limit=MAX_INDEX_KEYS)


def search_keys(text: str) -> frozenset[str]:
    """The keys a query looks up: the index keys, then those of the other readings of a first sound.

    A part whose first sound has another reading (Г for h, o for vo) is also looked up under the
    keys that reading would have, pair keys included, so that a query meets every spelling through
    its rare keys. Only the query needs them: a record spelled the other way is indexed under
    exactly those keys, and the index stays small.
    """
    return _keys(text, other_readings=True, limit=MAX_KEYS)


def _keys(text: str, *, other_readings: bool, limit: int) -> frozenset[str]:
    tokens = tokens_of(text)
    # Each part: its readings as (unit, initial class), its own reading first.
    parts: list[list[tuple[str, str]]] = []
    initials: list[str] = []
    for token, is_patronymic in zip(tokens, _patronymic_flags(tokens), strict=True):
        form = matching_form(token)
        if is_patronymic or not form:
            continue
        if len(form) == 1:
            initials.append(_initial_key(form))
            continue
        group = name_group(token)
        unit = (f"g{group}" if group else skeleton(token))[:MAX_UNIT_CHARS]
        if unit and all(unit != part[0][0] for part in parts) and len(parts) < MAX_KEY_TOKENS:
            readings = [(unit, _initial_key(form))]
            if other_readings and not group:
                readings += _onset_alternates(form, unit)
            parts.append(readings)
    own: list[str] = ["t:" + part[0][0] for part in parts]
    other: list[str] = ["t:" + unit for part in parts for unit, _ in part[1:]]
    first = parts[:3]
    for a, b in combinations(range(len(first)), 2):
        for x, (unit_a, _) in enumerate(first[a]):
            for y, (unit_b, _) in enumerate(first[b]):
                (own if x == y == 0 else other).append("p:" + "|".join(sorted((unit_a, unit_b))))
    for i, part in enumerate(first):
        for x, (unit, _) in enumerate(part):
            for j, heads in enumerate(first):
                if i == j:
                    continue
                for y, (_, head) in enumerate(heads):
                    (own if x == y == 0 else other).append(f"i:{unit}|{head}")
            own_or_other = own if x == 0 else other
            own_or_other += [f"i:{unit}|{initial}" for initial in initials[:2]]
    # The name's own keys first, then the other readings'; a name with many parts keeps `limit`.
    return frozenset(list(dict.fromkeys(own + other))[:limit])


# ----------------------------------------------------------------------------- similarity


_SUFFIX = re.compile(r"(yants|yan|yna|ayn|ova|ov|eva|ev)$")
_INITIAL_CLASS = {"y": "e", "i": "e", "j": "e"}


@dataclass(frozen=True)
class NameScore:
    score: float
    explanation: tuple[tuple[str, str, str, str], ...] = ()


SAME_SOUND = 0.97  # the phonetic forms agree: a difference of romanisation habit only
SAME_CONSONANTS = 0.86  # the consonant skeletons agree but a vowel differs (Armen / Arman)


SAME_CONSONANTS_MIN_SPELLING = 0.75  # ...unless the vowels differ too much (Hüseynova / Hasanova)


OTHER_ENDING = 0.9
# A surname against a word without a surname ending is a family name against a given name
# (Hakobyan / Hakob) unless the whole words are this alike: then the ending has a slip (Melkumyn).
TYPO_IN_ENDING = 0.85
_SUFFIX_CLASS = {"yants": "yan", "yna": "yan", "ayn": "yan", "ev": "ov", "eva": "ova"}


def _suffix_class(form: str) -> str:
    found = _SUFFIX.search(form)
    suffix = found.group() if found else ""
    return _SUFFIX_CLASS.get(suffix, suffix)


def _onset(form: str) -> str:
    """The first sound, a Russian Г for h (Гусейн = Hüseyn) counted with the vowel it precedes."""
    if form[:1] == "K" and form[1:2] in "aeiouy":
        form = form[1:]
    return "V" if form[:1] in "aeiouy" else form[:1]


def token_similarity(a: str, b: str) -> tuple[float, str]:
    """Similarity of two tokens in [0, 1] and the reason (same form, same name, same sound, close spelling)."""
    return form_similarity(matching_form(a), matching_form(b))


@lru_cache(maxsize=500_000)
def form_similarity(fa: str, fb: str) -> tuple[float, str]:
    """`token_similarity` of two matching forms.

    Everything the comparison uses (given-name group, phonetic form, skeleton) is a function of
    the folded form, so results are cached by form: Адамян, Ադամյան and Adamyan share one entry.
    """
    if not fa or not fb:
        return 0.0, "empty"
    if len(fa) == 1 or len(fb) == 1:
        # An initial: "Д." against Davit, "Y." against Yervand or Ervand (ye/e/i begin alike).
        initial_a, initial_b = _INITIAL_CLASS.get(fa[0], fa[0]), _INITIAL_CLASS.get(fb[0], fb[0])
        return (0.85, "initial agrees") if initial_a == initial_b else (0.0, "initial differs")
    if fa == fb:
        return 1.0, "same form"
    if bool(_SUFFIX.search(fa)) != bool(_SUFFIX.search(fb)) and (
        phonetic_similarity(phonetic_of_form(fa), phonetic_of_form(fb)) < TYPO_IN_ENDING
    ):
        # A family name against a given name (Hakobyan / Hakob): not the same name whatever the letters.
        return 0.3 * JaroWinkler.similarity(fa, fb), "family name against given name"
    groups = given_name_groups()
    group_a, group_b = groups.get(fa), groups.get(fb)
    if group_a and group_a == group_b:
        return 0.95, "equivalent given names"
    pa, pb = phonetic_of_form(fa), phonetic_of_form(fb)
    if pa == pb:
        return SAME_SOUND, "same sound"
    # A shared surname ending (-yan, -ov) says nothing about the person: compare the stems, by a
    # weighted edit distance where vowel insertions and habit-level letter swaps cost little.
    stem_a, stem_b = _SUFFIX.sub("", fa) or fa, _SUFFIX.sub("", fb) or fb
    spelling = phonetic_similarity(phonetic_of_form(stem_a), phonetic_of_form(stem_b))
    if _suffix_class(fa) != _suffix_class(fb):
        spelling = min(spelling, OTHER_ENDING)  # Petrosyan / Petrosov, Mammadov / Mammadova
    sa, sb = skeleton_of_form(fa), skeleton_of_form(fb)
    if sa and sa == sb and spelling >= SAME_CONSONANTS_MIN_SPELLING:
        return max(SAME_CONSONANTS, spelling), "same consonants"
    if _onset(pa) != _onset(pb):
        spelling *= 0.85  # names that begin with different sounds (Aliyev / Valiyev)
    return spelling, "close spelling" if spelling >= 0.85 else "different"


def _name_parts(text: str) -> tuple[list[str], list[str]]:
    """A name's tokens split into (names, patronymics); Turkic markers (оглы, qızı) dropped."""
    names, patronymics = _cached_name_parts(text[: MAX_NAME_CHARS * 4])
    return list(names), list(patronymics)


@lru_cache(maxsize=100_000)
def _cached_name_parts(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tokens = tokens_of(text)
    names: list[str] = []
    patronymics: list[str] = []
    for token, is_patronymic in zip(tokens, _patronymic_flags(tokens), strict=True):
        if token in _TURKIC_PATRONYMIC:
            continue
        (patronymics if is_patronymic else names).append(token)
    return tuple(names), tuple(patronymics)


_Pairing = tuple[float, list[tuple[float, str, int, int]], list[tuple[str, bool]], list[str], list[str], bool]


def _pair_tokens(a: str, b: str) -> _Pairing | None:
    """The score of two names and how it came about (None when either has no name part)."""
    ta, pa = _name_parts(a)
    tb, pb = _name_parts(b)
    if not pa or not pb:
        # A patronymic written on one list only is left out of the pairing (it costs a little).
        ta, tb = ta + pa if pb else ta, tb + pb if pa else tb
        one_sided = pa or pb
    else:
        ta, tb, one_sided = ta + pa, tb + pb, []
    if not ta or not tb:
        return None
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    swapped = short is tb
    pairs = sorted(
        ((token_similarity(s, t), i, j) for i, s in enumerate(short) for j, t in enumerate(long_)),
        key=lambda item: -item[0][0],
    )
    used_short: set[int] = set()
    used_long: set[int] = set()
    matched: list[tuple[float, str, int, int]] = []
    for (score, reason), i, j in pairs:
        if i in used_short or j in used_long:
            continue
        used_short.add(i)
        used_long.add(j)
        matched.append((score, reason, i, j))
    # The mean rewards agreement; the weakest pair keeps one good token from carrying a wrong one.
    scores = [m[0] for m in matched]
    total = 0.5 * sum(scores) / len(short) + 0.5 * min(scores)
    patronymic = set(pa) | set(pb)
    unpaired = [(t, t in patronymic) for j, t in enumerate(long_) if j not in used_long]
    unpaired += [(t, True) for t in one_sided]
    penalty = sum(0.02 if is_patronymic or len(t) == 1 else 0.06 for t, is_patronymic in unpaired)
    return max(0.0, min(1.0, total - penalty)), matched, unpaired, short, long_, swapped


@lru_cache(maxsize=50_000)
def name_score(a: str, b: str) -> float:
    """`name_similarity(a, b).score` without the explanation, for ranking many candidates.

    Cached: a search meets the same written name many times (namesakes, repeated queries). The
    cache is kept small (each entry holds two names); the word-level caches carry the rest.
    """
    paired = _pair_tokens(a[: MAX_NAME_CHARS * 4], b[: MAX_NAME_CHARS * 4])
    return paired[0] if paired else 0.0


def name_similarity(a: str, b: str) -> NameScore:
    """How alike two names are, whatever their scripts and order, with which parts agreed.

    Each token of the shorter name is paired with its best unused token of the other; the score
    is the mean of those pairs' similarities, lowered a little for each token left unpaired on
    the longer side (a patronymic present on only one list costs little).
    """
    paired = _pair_tokens(a, b)
    if paired is None:
        return NameScore(0.0, ())
    score, matched, unpaired, short, long_, swapped = paired
    explanation = []
    for pair_score, reason, i, j in sorted(matched, key=lambda m: m[2]):
        left, right = (long_[j], short[i]) if swapped else (short[i], long_[j])
        explanation.append(
            ("name", to_latin(left) or left, to_latin(right) or right, f"{reason} ({pair_score:.2f})")
        )
    for token, is_patronymic in unpaired:
        explanation.append(
            ("unpaired", token, "", "patronymic on one side" if is_patronymic else "extra name")
        )
    return NameScore(score, tuple(explanation))
