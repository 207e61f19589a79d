"""Spelling engines: how a clerk of a given list writes a name stored in Armenian.

Styles
  hy        Armenian script (as stored)
  ru        traditional Russian form (from the inventory) - Оганесян, Саакян
  pass      Armenian passport Latin (2006 rules), capitals - HOVHANNISYAN
  pass_ru   Latin from the Russian form (older / Russian passports) - OGANESYAN,
            or ICAO-9303 2013 style - ARUTIUNIAN
  informal  volunteers' Latin ("Armenglish"): kh/x, ts/c, u/ou, dropped h ...
  west      diaspora spelling: -ian, ou, optionally Western-Armenian consonant shift
  az        Azerbaijani Latin made from the Russian form - Qriqoryan, Xaçatryan
"""
import re

from world import WEST_GIVEN, WEST_SURNAME

# ------------------------------------------------------------------ Armenian
_HY_LOWER = {chr(c): chr(c + 0x30) for c in range(0x531, 0x557)}


def hy_lower(s):
    return "".join(_HY_LOWER.get(ch, ch) for ch in s)


HY_LAT = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y",
    "թ": "t", "ժ": "zh", "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h",
    "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m", "յ": "y", "ն": "n", "շ": "sh", "ո": "o",
    "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v", "տ": "t", "ր": "r",
    "ց": "ts", "ւ": "v", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
}
# Western Armenian pronunciation: voiced/voiceless stops and affricates swap
WEST_SHIFT = {"բ": "p", "պ": "b", "գ": "k", "կ": "g", "դ": "t", "տ": "d",
              "ձ": "ts", "ծ": "dz", "ջ": "ch", "ճ": "j"}


def hy_to_latin(s, west=False):
    """Armenian -> lowercase Latin (passport rules; `west` = Western consonant values)."""
    s = hy_lower(s)
    out = []
    i = 0
    n = len(s)
    while i < n:
        ch = s[i]
        start = i == 0 or not s[i - 1].isalpha()
        if ch == "ո" and i + 1 < n and s[i + 1] == "ւ":
            out.append("ou" if west else "u")
            i += 2
            continue
        if ch == "ե" and start:
            out.append("ye")
        elif ch == "ո" and start:
            out.append("vo")
        elif ch == "և" and start:
            out.append("yev")
        elif west and ch in WEST_SHIFT:
            out.append(WEST_SHIFT[ch])
        else:
            out.append(HY_LAT.get(ch, ch))
        i += 1
    return "".join(out)


def title(s):
    return " ".join(w[:1].upper() + w[1:] for w in s.split(" "))


def hy_genitive(given_hy):
    """Armenian patronymic: father's name in the genitive (Գագիկի, Կամոյի)."""
    if given_hy[-1] in "աոօ":
        return given_hy + "յի"
    return given_hy + "ի"


# ------------------------------------------------------------------ Russian
def ru_patronymic(ru, male):
    if ru.endswith("ий"):
        return ru[:-2] + ("ьевич" if male else "ьевна")
    if ru.endswith("й"):
        return ru[:-1] + ("евич" if male else "евна")
    if ru.endswith("ь"):
        return ru[:-1] + ("евич" if male else "евна")
    if ru.endswith("а"):
        return ru[:-1] + ("ович" if male else "овна")
    if ru[-1] in "еиоуэюяё":
        return ru + ("евич" if male else "евна")
    return ru + ("ович" if male else "овна")


_RU_LAT = {"а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
           "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
           "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
           "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
           "ю": "yu", "я": "ya"}
_RU_ICAO = dict(_RU_LAT, **{"й": "i", "ю": "iu", "я": "ia", "ъ": "ie"})
_RU_VOW = set("аеёиоуыэюя")


def ru_to_latin(s, icao=False):
    table = _RU_ICAO if icao else _RU_LAT
    out = []
    low = s.lower()
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else " "
        if ch == "е" and (not prev.isalpha() or prev in _RU_VOW or prev in "ьъ") and not icao:
            out.append("ye")
        else:
            out.append(table.get(ch, ch))
    return "".join(out)


_RU_AZ = {"а": "a", "б": "b", "в": "v", "г": "q", "д": "d", "е": "e", "ё": "yo", "ж": "j",
          "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
          "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts",
          "ч": "ç", "ш": "ş", "щ": "şç", "ъ": "", "ы": "ı", "ь": "", "э": "e", "ю": "yu",
          "я": "ya"}


def ru_to_az(s):
    low = s.lower().replace("дж", "c")
    out = []
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else " "
        if ch == "е" and (not prev.isalpha() or prev in _RU_VOW):
            out.append("ye")
        else:
            out.append(_RU_AZ.get(ch, ch))
    return title("".join(out))


# ------------------------------------------------------------------ informal Latin
INFORMAL_RULES = [
    # (probability that a given volunteer has this habit, from, to)
    (0.35, "kh", "x"), (0.05, "kh", "h"), (0.12, "gh", "g"), (0.06, "gh", "x"),
    (0.25, "ts", "c"), (0.05, "ch", "4"), (0.03, "sh", "w"), (0.10, "u", "ou"),
    (0.08, "yan", "ian"), (0.03, "yan", "jan"), (0.20, "nn", "n"), (0.10, "zh", "j"),
]


def informal_habits(rng):
    """A volunteer's personal spelling habits (applied to every token of a record)."""
    h = [(a, b) for p, a, b in INFORMAL_RULES if rng.random() < p]
    return {
        "subs": h,
        "drop_h0": rng.random() < 0.30,     # Harutyunyan -> Arutyunyan, Hasmik -> Asmik
        "drop_hmid": rng.random() < 0.20,   # Hovhannes -> Hovannes, Zaruhi -> Zarui
        "ye_e": rng.random() < 0.35,        # Yeghiazaryan -> Eghiazaryan
        "ru_base": rng.random() < 0.30,     # start from the Russian form (Akopyan, Sarkisyan)
        "lower": rng.random() < 0.06,
    }


def informal(hy, ru, habits):
    if habits["ru_base"] and ru:
        s = ru_to_latin(ru)
    else:
        s = hy_to_latin(hy)
    s = s.lower()
    for a, b in habits["subs"]:
        s = s.replace(a, b)
    if habits["drop_hmid"]:
        s = s[:1] + re.sub(r"(?<=[aeiouv])h", "", s[1:])
    if habits["drop_h0"] and s.startswith("h") and len(s) > 3:
        s = s[1:]
    if habits["ye_e"] and s.startswith("ye"):
        s = s[1:]
    return s if habits["lower"] else title(s)


# ------------------------------------------------------------------ diaspora
def western(hy, rng, is_surname, shift):
    table = WEST_SURNAME if is_surname else WEST_GIVEN
    if hy in table and rng.random() < 0.6:
        return rng.choice(table[hy])
    s = hy_to_latin(hy, west=shift)
    if not shift:
        s = s.replace("u", "ou").replace("oou", "ou")
    if s.endswith("yan"):
        s = s[:-3] + "ian"
    if rng.random() < 0.3:
        # French-style doubling of intervocalic s: Petrosian -> Petrossian
        for v in "aeiou":
            s = s.replace(v + "sia", v + "ssia")
    return title(s)


# ------------------------------------------------------------------ typos
_QWERTY = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_JCUK = ["йцукенгшщзхъ", "фывапролджэ", "ячсмитьбю"]


def _adjacency(rows):
    adj = {}
    for r, row in enumerate(rows):
        for c, ch in enumerate(row):
            near = []
            if c > 0:
                near.append(row[c - 1])
            if c + 1 < len(row):
                near.append(row[c + 1])
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(rows) and c < len(rows[rr]):
                    near.append(rows[rr][c])
            adj[ch] = near
    return adj


ADJ_LAT = _adjacency(_QWERTY)
ADJ_RU = _adjacency(_JCUK)
SIMILAR = {
    # Armenian: letters clerks confuse by sound or shape
    "ր": "ռ", "ռ": "ր", "տ": "թ", "թ": "տ", "պ": "փ", "փ": "պ", "կ": "քգ", "ք": "կ",
    "ց": "ծ", "ծ": "ց", "չ": "ճ", "ճ": "չ", "ե": "է", "է": "ե", "ո": "օ", "օ": "ո",
    "ղ": "խ", "գ": "կ", "ս": "ա", "ն": "ս", "դ": "ղ",
    # Russian
    "е": "эё", "э": "е", "и": "ы", "ы": "и", "о": "а", "а": "о", "ш": "щ", "щ": "ш",
    "ц": "с", "г": "х", "к": "г",
    # Latin
    "i": "yj", "y": "i", "e": "a", "u": "o", "c": "k", "k": "c", "g": "q", "v": "w",
}


def typo(s, rng):
    """One realistic slip: drop / double / swap / adjacent key / similar letter."""
    idx = [i for i, ch in enumerate(s) if ch.isalpha()]
    if len(idx) < 3:
        return s
    i = rng.choice(idx[1:])  # first letters are rarely wrong
    ch = s[i]
    op = rng.random()
    if op < 0.25:
        return s[:i] + s[i + 1:]
    if op < 0.42:
        return s[:i] + ch + s[i:]
    if op < 0.6 and i + 1 < len(s) and s[i + 1].isalpha():
        return s[:i] + s[i + 1] + ch + s[i + 2:]
    low = ch.lower()
    cands = SIMILAR.get(low, "")
    if op < 0.8 or not cands:
        adj = ADJ_LAT.get(low) or ADJ_RU.get(low)
        if adj:
            cands = "".join(adj)
    if not cands:
        cands = SIMILAR.get(hy_lower(low), "")
        if not cands:
            return s[:i] + s[i + 1:]
    new = rng.choice(cands)
    if ch.isupper():
        new = new.upper()
    return s[:i] + new + s[i + 1:]
