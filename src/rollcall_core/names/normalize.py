"""From a name as written, in any script, to Latin matching forms and phonetic skeletons.

Steps, each from a standard or a documented habit:
1. Unicode clean-up: NFC, invisible characters (RTL marks, zero-width joiners) removed, case folded.
2. Script per token (Unicode blocks: Armenian U+0530-058F, Cyrillic U+0400-04FF).
3. Transliteration to Latin: Armenian through ICU's Armenian-Latin/BGN (BGN/PCGN 1981), with
   the classical ending -եան read as -յան; Cyrillic through ICU's Russian-Latin/BGN, after
   rewriting the Russian renderings of Armenian sounds that Russian has no letter for (initial
   Ог- for Hovh-, Мг- for Mh-); Azerbaijani letters through an explicit table (ə, x, q, c, ç,
   ş, ğ, ı); other diacritics of ISO 9985 and Hübschmann-Meillet (č, š, ž, ǰ, ġ, ł, ṙ) by table.
4. The matching form: lower-case ASCII Latin with the variants that differ only by
   romanisation standard folded (-ian/-jan/-ean to -yan, ou to u, tsch/tch to ch, sch to sh).
5. The skeleton: a phonetic key for candidate search that also merges Western Armenian
   consonant shifts (b/p, g/k, d/t, j/ch, dz/ts), kh/gh with k/g, drops h and y, and keeps the
   first letter's class and the consonants, so Hakobyan, Hagopian and Акопян share one key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import icu
from rapidfuzz.distance import Indel

MAX_NAME_CHARS = 300
MAX_TOKENS = 8
MAX_TOKEN_CHARS = 40

_INVISIBLE = {"Cf", "Cc", "Cs", "Co", "Cn", "Mn", "Me"}
_TRANSLITERATORS: dict[str, icu.Transliterator] = {}


def _transliterator(transform_id: str) -> icu.Transliterator:
    found = _TRANSLITERATORS.get(transform_id)
    if found is None:
        found = _TRANSLITERATORS[transform_id] = icu.Transliterator.createInstance(transform_id)
    return found


@lru_cache(maxsize=200_000)
def detect_script(token: str) -> str:
    """'armenian', 'cyrillic', 'latin', 'mixed' or 'other' for the letters of a token."""
    scripts = set()
    for ch in token:
        if not ch.isalpha():
            continue
        code = ord(ch)
        if 0x0530 <= code <= 0x058F or 0xFB13 <= code <= 0xFB17:
            scripts.add("armenian")
        elif 0x0400 <= code <= 0x052F:
            scripts.add("cyrillic")
        elif code < 0x02B0 or 0x1E00 <= code <= 0x1EFF:  # Latin and IPA (ə of Azerbaijani is U+0259)
            scripts.add("latin")
        else:
            scripts.add("other")
    if not scripts:
        return "other"
    if len(scripts) > 1:
        return "mixed"
    return scripts.pop()


_SEPARATORS = re.compile(r"[\s,;/|()\[\]{}\"«»“”„]+")


def clean_text(text: str) -> str:
    """NFC text with invisible and control characters removed, whitespace collapsed, bounded length."""
    text = text[: MAX_NAME_CHARS * 4]
    if text.isascii() and text.isprintable():
        return _SEPARATORS.sub(" ", text).strip()[:MAX_NAME_CHARS]  # nothing invisible to remove
    text = unicodedata.normalize("NFD", text)
    # Combining marks are dropped here only after decomposition of Latin; Armenian and Cyrillic
    # letters with marks (й, ё) are recomposed first so they survive.
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if category in {"Mn", "Me"}:
            kept.append(ch)
        elif category in _INVISIBLE:
            kept.append(" " if ch in "\t\n\r" else "")
        else:
            kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept))
    text = _SEPARATORS.sub(" ", text)
    return text.strip()[:MAX_NAME_CHARS]


def tokens_of(text: str) -> list[str]:
    """The name's words, case-folded, letters only (apostrophes of ISO 9985 kept), at most MAX_TOKENS."""
    return list(_tokens_of(text[: MAX_NAME_CHARS * 4]))


# Armenian chat Latin ("Armenglish") writes ч/չ as the digit 4, which looks like it: Xa4atryan,
# Mkrt4yan. Only a 4 between two Latin letters: a digit anywhere else is not a letter of the name.
_ARMENGLISH_CH = re.compile(r"(?<=[a-z])4(?=[a-z])")


def _armenglish_letters(text: str) -> str:
    """Lower-case text with Armenglish's digit letters read as letters (where names' words are split,
    and in `to_latin` for a word taken as it is written)."""
    return _ARMENGLISH_CH.sub("ch", text) if "4" in text else text


@lru_cache(maxsize=100_000)
def _tokens_of(text: str) -> tuple[str, ...]:
    cleaned = _armenglish_letters(clean_text(text).casefold())
    tokens = []
    for raw in re.split(r"[\s\-‐‑–—_.]+", cleaned):
        token = "".join(ch for ch in raw if ch.isalpha() or ch in "'’ʼ`")
        if any(ch.isalpha() for ch in token):
            tokens.append(token)
    if any(_GERMAN_SPELLING.search(t) for t in tokens):
        # One German-looking word marks the whole name as German transcription: Juri Schtscherbakow.
        tokens = [_german_to_english(t) if detect_script(t) == "latin" else t for t in tokens]
    # No real name part is longer than MAX_TOKEN_CHARS letters: bound the work on garbage.
    return tuple(token[:MAX_TOKEN_CHARS] for token in tokens[:MAX_TOKENS])


# Russian renderings of Armenian sounds (Russian has no h): initial Ог/Ов before a vowel stands
# for Hovh-/Hov- (Оганесян = Hovhannisyan, Ованес = Hovhannes); Мг- for Mh- (Мгер = Mher).
# Applied to the Latin output of the Russian transform, since Cyrillic has no letter for h.
_RUSSIAN_ARMENIAN = (
    (re.compile(r"^og(?=[aeiouy])"), "hovh"),
    (re.compile(r"^ov(?=[aeiouy])"), "hov"),
    (re.compile(r"^mg(?=[aeiouy])"), "mh"),
)

_LATIN_TABLE = str.maketrans(
    {
        "ə": "a", "ı": "i", "ş": "sh", "ç": "ch", "ğ": "gh", "ö": "o", "ü": "u",  # Azerbaijani
        "č": "ch", "š": "sh", "ž": "zh", "ǰ": "j", "ġ": "gh", "ł": "gh", "ṙ": "r", "ŕ": "r",  # ISO 9985, H-M
        "ē": "e", "ō": "o", "ё": "e", "ß": "ss", "ä": "a", "ë": "e", "ï": "i", "å": "a", "ø": "o", "æ": "ae",
        "'": "", "’": "", "ʼ": "", "`": "", "ʻ": "", "ʿ": "",
    }
)  # fmt: skip
_AZERBAIJANI_LETTERS = set("əışçğöü")
_NOT_LATIN_LETTER = re.compile(r"[^a-z]+")
# Words written the German way: sch/tsch, or the endings -jan, -ow, -owa, -jew.
_GERMAN_SPELLING = re.compile(r"sch|(?:jan|jans|ow|owa|jew|jewa|jow|jowa)$")


def _german_to_english(text: str) -> str:
    """German transcription (Duden practice) to English-style: dsch=j, tsch=ch, sch=sh, ch=kh, j=y, w=v, z=ts.

    dsch goes first: read as d + sch it would become "dsh" (Aghadschanjan must meet Aghajanyan)."""
    text = text.replace("dsch", "\x03").replace("tsch", "\x01").replace("sch", "\x02").replace("ch", "kh")
    text = text.replace("j", "y").replace("w", "v").replace("z", "ts")
    return text.replace("\x01", "ch").replace("\x02", "sh").replace("\x03", "j")


@lru_cache(maxsize=200_000)
def to_latin(token: str) -> str:
    """A token in any script as lower-case Latin (transliterated, diacritics resolved)."""
    script = detect_script(token)
    text = token.casefold()
    if script in {"armenian", "mixed"} and any(0x0530 <= ord(c) <= 0x058F for c in text):
        # Classical orthography: -եան is the reformed -յան; իւ before a consonant is ու (yu)
        text = re.sub(r"եան$", "յան", text)
        text = text.replace("և", "եվ")
        # Classical orthography: initial յ reads h (Յակոբ = Հակոբ, Յովհաննէս = Հովհաննես) except
        # before ու (Յուրի); իւ is the reformed յու (Յարութիւն = Հարություն).
        text = re.sub(r"^յ(?!ու)", "հ", text).replace("իւ", "յու")
        text = _transliterator("Armenian-Latin/BGN").transliterate(text)
        # ICU's rule reads ո after an aspirated consonant's apostrophe as word-initial "vo"
        # (Թորոսյան -> t'vorosyan); BGN/PCGN writes o there (T'orosyan).
        text = re.sub(r"(?<=[’'ʼ])vo", "o", text)
    if script in {"cyrillic", "mixed"} and any(0x0400 <= ord(c) <= 0x04FF for c in text):
        text = _transliterator("Russian-Latin/BGN").transliterate(text)
        if text[:1] in ("o", "m"):
            for pattern, replacement in _RUSSIAN_ARMENIAN:
                text = pattern.sub(replacement, text)
    if script == "latin":
        text = _armenglish_letters(text)
    if script == "latin" and _GERMAN_SPELLING.search(text):
        text = _german_to_english(text)
    if script == "latin" and text[:1] in ("o", "m"):
        # The same Russian forms written in Latin letters (Oganesyan, Mger).
        for pattern, replacement in _RUSSIAN_ARMENIAN:
            text = pattern.sub(replacement, text)
    if script == "latin" and _AZERBAIJANI_LETTERS & set(text):
        # Azerbaijani x is kh, q is g, c is j: only in words that are written in Azerbaijani.
        text = text.replace("x", "kh").replace("q", "g").replace("c", "j")
    text = text.translate(_LATIN_TABLE)
    if text.isascii():
        return _NOT_LATIN_LETTER.sub("", text)
    return _NOT_LATIN_LETTER.sub("", unicodedata.normalize("NFD", text))


_FOLDS = (
    (re.compile(r"(?:ia|ya|ja|ea|iya|iia|yya)n(ts|tz|c|z)?$"), r"yan\1"),
    (re.compile(r"(?:ian|yan|jan)(ts|tz|c|z)$"), "yants"),
    (re.compile(r"yants?z$"), "yants"),
    (re.compile(r"^chtch"), "shch"),  # French щ
)
# Letter groups that differ only by standard, in one left-to-right pass (one pattern is faster
# than a pattern per group): dzh/dsch/dj j, tsch/tch ch, sch sh, ou/oo u, ph p, th t, x kh, w v.
_GROUPS = {"dzh": "j", "dsch": "j", "tsch": "ch", "tch": "ch", "sch": "sh", "ou": "u", "oo": "u", "dj": "j",
           "ph": "p", "th": "t", "x": "kh", "w": "v"}  # fmt: skip
_GROUP_PATTERN = re.compile("|".join(sorted(_GROUPS, key=len, reverse=True)))
_X_AS_KS = re.compile(r"(?<=[aeiou])x(?=[aeiou]|$)")
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def matching_form(token: str) -> str:
    """The folded Latin form used for similarity: romanisation-standard differences removed."""
    form = to_latin(token)
    # Latin x between vowels or at the end after one is ks (Alexei, Maxim, Felix: Алексей, Максим);
    # elsewhere it is the Azerbaijani x, kh (Orxan), like x in a word with Azerbaijani letters.
    if "x" in form:
        form = _X_AS_KS.sub("ks", form)
    # Each fold only where it can apply: a cheap test before a pattern saves most of a cold call.
    for (pattern, replacement), applies in zip(_FOLDS, _FOLD_APPLIES, strict=True):
        if applies(form):
            form = pattern.sub(replacement, form)
    form = _GROUP_PATTERN.sub(_group_of, form)
    if _DOUBLED.search(form):
        form = _DOUBLED.sub(r"\1", form)
    return form


def _group_of(found: re.Match[str]) -> str:
    return _GROUPS[found.group()]


_FOLD_APPLIES = (
    lambda form: form[-1:] in ("n", "s", "z", "c"),
    lambda form: form[-1:] in ("s", "z", "c"),
    lambda form: form[-1:] == "z",
    lambda form: form.startswith("chtch"),
)


_SKELETON_STEPS = (
    (re.compile(r"^h?ovh?(?=[aeiou])|^oh(?=[aeiou])"), "o"),  # Hovhannisyan, Оганесян, Ohanessian
    # The surname ending, also as a clerk's slip leaves it (Melkumyn, Adamayn, Papoan), so that a
    # typo in the ending does not lose the key.
    (re.compile(r"(?<=.{3})(?:yants?|yan|ayn|yna|yn)$|(?<=.{3}[aeiou])an$"), ""),
    (re.compile(r"(?<=.{4})(?:ov|ova|ev|eva)$"), ""),  # Russian surname endings: Arutyunov ~ Harutyunyan
    (re.compile(r"kh|gh|q"), "k"),
    (re.compile(r"zh"), "C"),  # zh/j/ch merge: French j is ժ (zh), English j is ջ, Western ջ is ch
    (re.compile(r"sh|s(?=c)"), "C"),  # French ch is sh (Achot, Kechichian): one class for keys
    (re.compile(r"ch|j|c(?!h)"), "C"),
    (re.compile(r"ts|dz|tz"), "T"),
)
# Single letters by one table (faster than a pattern each): voicing pairs merged (b/p, g/k, d/t,
# f/v), z with s (German and French s before a vowel is z: Sawen = Zaven), h and y dropped.
_SKELETON_LETTERS = str.maketrans({"z": "s", "b": "p", "g": "k", "d": "t", "f": "v", "h": None, "y": None})
_VOWEL_RUN = re.compile(r"[aeiou]")
_REPEATS = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """A phonetic key: the first sound's class and the consonant classes, vowels dropped."""
    return skeleton_of_form(matching_form(token))


@lru_cache(maxsize=200_000)
def skeleton_of_form(form: str) -> str:
    """The skeleton of an already folded Latin form."""
    if not form:
        return ""
    # Each step only where it can apply (a cheap test first: most names need few of them).
    for (pattern, replacement), applies in zip(_SKELETON_STEPS, _SKELETON_APPLIES, strict=True):
        if applies(form):
            form = pattern.sub(replacement, form)
    form = form.translate(_SKELETON_LETTERS)
    if not form:
        return ""
    head = "a" if form[0] in "aeiou" else form[0]
    body = _VOWEL_RUN.sub("", form[1:])
    if _REPEATS.search(body):
        body = _REPEATS.sub(r"\1", body)
    return head + body


_SKELETON_APPLIES = (
    lambda form: form[:1] in ("h", "o"),
    lambda form: form[-1:] in ("n", "s", "t", "a"),
    lambda form: form[-1:] in ("v", "a"),
    lambda form: "h" in form or "q" in form,
    lambda form: "zh" in form,
    lambda form: "s" in form,
    lambda form: "c" in form or "j" in form,
    lambda form: "z" in form or "ts" in form,
)


# The phonetic form keeps the vowels but merges what spelling systems disagree on: Western
# Armenian voicing shifts (b/p, g/k, d/t, j/ch, dz/ts), kh/gh/x/q with k, zh/j, the h that
# Russian cannot write (Акоп = Hakob, Гусейн = Hüseyn: initial h dropped, h elsewhere dropped),
# the y (or i) that marks a palatal consonant before a vowel (Гюнель = Günel, Haroutiounian),
# initial ye-/vo- (Yervand/Ervand, Voskanyan/Oskanian) and a final h (Narineh).
_PHONETIC_STEPS = (
    (re.compile(r"^ye"), "e"),
    (re.compile(r"^vo"), "o"),
    # Hovh-/Hov-/Ov- before a vowel (Hovhannes, Ованес, Ohannes, Оганес): all one Armenian Hovh-.
    (re.compile(r"^h?ovh?(?=[aeiou])|^oh(?=[aeiou])"), "o"),
    (re.compile(r"^iu|^ju"), "yu"),
    (re.compile(r"^ia|^ja"), "ya"),
    (re.compile(r"(?<=[bdfklmnprstvz])j(?=[aeiou]|$)"), "y"),  # j marking a soft consonant: Natalja
    (re.compile(r"dzh|dj|zh|ch|j"), "J"),
    (re.compile(r"sh"), "S"),
    (re.compile(r"ts|tz|dz|c"), "C"),
    (re.compile(r"kh|gh|q|g|k|x"), "K"),
    (re.compile(r"^mh"), "mK"),  # Мгер = Mher, Mgerdich = Mkrtich
    (re.compile(r"h"), ""),
    (re.compile(r"[bp]"), "P"),
    (re.compile(r"[dt]"), "T"),
    (re.compile(r"[fv]"), "V"),
    (re.compile(r"(?<=[aeiou])y(?![aeiou])"), "i"),  # the second half of a diphthong: Zhirayr / Jirair
    (re.compile(r"(?<=[^aeiouy])i(?=[aeiou])"), "y"),
    (re.compile(r"(?<=[^aeiouy])y(?=[aeiou])"), ""),
    (re.compile(r"(?:iy|ii|yi|iy)$"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),
)


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """The matching form with the letters that differ only by habit or dialect merged, vowels kept."""
    return phonetic_of_form(matching_form(token))


@lru_cache(maxsize=200_000)
def phonetic_of_form(form: str) -> str:
    """The phonetic form of an already folded Latin form (e.g. a surname's stem)."""
    for pattern, replacement in _PHONETIC_STEPS:
        form = pattern.sub(replacement, form)
    return form


ROUGHLY_DIFFERENT = 0.5  # plain letter overlap below which the weighted distance is not computed
_VOWELS = frozenset("aeiouy")
_CLOSE_VOWELS = {frozenset("ei"), frozenset("ou"), frozenset("iy"), frozenset("ey")}
_CLOSE_CONSONANTS = {frozenset("sz"), frozenset("CS"), frozenset("JS"), frozenset("CJ"), frozenset("sC")}


def _substitution_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    pair = frozenset((a, b))
    if a in _VOWELS and b in _VOWELS:
        return 0.5 if pair in _CLOSE_VOWELS else 1.0
    return 0.6 if pair in _CLOSE_CONSONANTS else 1.0


def _indel_cost(ch: str) -> float:
    # Clerks and dialects insert and drop vowels (Mkrtchyan/Mgerdichian); consonants rarely, but
    # a Russian Г may stand for an h that other spellings drop (Гусейнова = Hüseynova).
    if ch in _VOWELS:
        return 0.4
    return 0.5 if ch == "K" else 1.0


@lru_cache(maxsize=500_000)
def phonetic_similarity(a: str, b: str) -> float:
    """1 minus a weighted edit distance between two phonetic forms, scaled by the longer one."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    a, b = a[:40], b[:40]  # names are short; bound the quadratic work
    rough = Indel.normalized_similarity(a, b)
    if rough < ROUGHLY_DIFFERENT:
        # Clearly different words: the exact weighted distance would not change the verdict.
        return rough * 0.8
    previous = [0.0]
    for ch in b:
        previous.append(previous[-1] + _indel_cost(ch))
    for ca in a:
        current = [previous[0] + _indel_cost(ca)]
        for j, cb in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + _indel_cost(ca),
                    current[j - 1] + _indel_cost(cb),
                    previous[j - 1] + _substitution_cost(ca, cb),
                )
            )
        previous = current
    return max(0.0, 1.0 - previous[-1] / max(len(a), len(b)))
