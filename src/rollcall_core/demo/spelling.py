"""How clerks wrote Armenian names: the demo's own romanisation and Cyrillisation tables.

Written for the demo from the conventions (BGN/PCGN, Armenian passport practice, Western
Armenian, German and French habits, and the Russian rendering of Armenian names). It is
deliberately independent of `rollcall_core.names`, which is evaluated on this output.
"""

from __future__ import annotations

import random

VOWELS = set("աեէըիոօ")

_BASE = {
    "ա": "a", "բ": "b", "գ": "g", "դ": "d", "ե": "e", "զ": "z", "է": "e", "ը": "y", "թ": "t", "ժ": "zh",
    "ի": "i", "լ": "l", "խ": "kh", "ծ": "ts", "կ": "k", "հ": "h", "ձ": "dz", "ղ": "gh", "ճ": "ch", "մ": "m",
    "յ": "y", "ն": "n", "շ": "sh", "ո": "o", "չ": "ch", "պ": "p", "ջ": "j", "ռ": "r", "ս": "s", "վ": "v",
    "տ": "t", "ր": "r", "ց": "ts", "փ": "p", "ք": "k", "օ": "o", "ֆ": "f", "և": "ev",
}  # fmt: skip

# Each system changes some letters of the base table.
SYSTEMS: dict[str, dict[str, str]] = {
    "bgn": {},
    "passport": {},
    "west": {  # Western Armenian: voiced and voiceless stops swap; ու written ou
        "բ": "p", "պ": "b", "գ": "k", "կ": "g", "դ": "t", "տ": "d", "ջ": "ch", "ճ": "j", "ձ": "ts", "ծ": "dz",
        "ու": "ou", "յան": "ian",
    },
    "de": {"շ": "sch", "չ": "tsch", "ճ": "tsch", "ջ": "dsch", "խ": "ch", "ժ": "sch", "յ": "j", "յան": "jan",
           "ց": "z", "ծ": "z", "վ": "w", "զ": "s"},
    "fr": {"ու": "ou", "շ": "ch", "չ": "tch", "ճ": "tch", "ջ": "dj", "խ": "kh", "ժ": "j", "յան": "ian", "ու_end": "ou"},
}  # fmt: skip

_CYRILLIC = {
    "ա": "а", "բ": "б", "գ": "г", "դ": "д", "ե": "е", "զ": "з", "է": "э", "ը": "ы", "թ": "т", "ժ": "ж",
    "ի": "и", "լ": "л", "խ": "х", "ծ": "ц", "կ": "к", "հ": "г", "ձ": "дз", "ղ": "г", "ճ": "ч", "մ": "м",
    "յ": "й", "ն": "н", "շ": "ш", "ո": "о", "չ": "ч", "պ": "п", "ջ": "дж", "ռ": "р", "ս": "с", "վ": "в",
    "տ": "т", "ր": "р", "ց": "ц", "փ": "п", "ք": "к", "օ": "о", "ֆ": "ф", "և": "ев",
}  # fmt: skip


def romanise(name: str, system: str) -> str:
    """An Armenian-script name in a Latin system, capitalised (uppercase for 'passport')."""
    table = SYSTEMS[system]
    words = []
    for word in name.split():
        lower = word.lower()
        out = []
        i = 0
        while i < len(lower):
            if lower.startswith("յան", i) and i + 3 == len(lower):
                out.append(table.get("յան", "yan"))
                i += 3
                continue
            if lower.startswith("ու", i):
                out.append(table.get("ու", "u"))
                i += 2
                continue
            ch = lower[i]
            if i == 0 and ch == "ե":
                out.append("ye" if system in {"bgn", "passport"} else "e")
            elif i == 0 and ch == "ո":
                out.append("vo")
            else:
                out.append(table.get(ch, _BASE.get(ch, "")))
            i += 1
        text = "".join(out)
        words.append(text.upper() if system == "passport" else text[:1].upper() + text[1:])
    return " ".join(words)


def cyrillise(name: str) -> str:
    """An Armenian-script name as a Russian clerk writes it (Հովհաննիսյան -> Оганесян-like forms)."""
    words = []
    for word in name.split():
        lower = word.lower()
        out = []
        i = 0
        while i < len(lower):
            if lower.startswith("յան", i) and i + 3 == len(lower):
                out.append("ян")
                i += 3
                continue
            if lower.startswith("ու", i):
                out.append("у")
                i += 2
                continue
            if lower.startswith("յու", i):
                out.append("ю")
                i += 3
                continue
            ch = lower[i]
            if i == 0 and ch == "հ":
                # Russian has no h: initial հ is dropped (Հակոբյան -> Акопян, Հարությունյան -> Арутюнян)
                pass
            elif ch == "վ" and i > 0 and lower[i - 1] == "ո" and i + 1 < len(lower) and lower[i + 1] == "հ":
                # Հովհ- is Ог- in Russian (Հովհաննիսյան -> Оганесян)
                out.append("г")
                i += 2
                continue
            elif ch == "բ" and i + 3 < len(lower) + 1 and lower[i + 1 : i + 4] == "յան":
                out.append("п")  # the Russian form keeps the Western p: Акопян
            elif i == 0 and ch == "ե":
                out.append("е")
            elif i == 0 and ch == "ո":
                out.append("во")
            else:
                out.append(_CYRILLIC.get(ch, ""))
            i += 1
        text = "".join(out)
        words.append(text[:1].upper() + text[1:])
    return " ".join(words)


def typo(text: str, rng: random.Random) -> str:
    """One clerk's slip: a letter dropped, doubled or two letters swapped."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    kind = rng.random()
    if kind < 0.4:
        return text[:i] + text[i + 1 :]
    if kind < 0.7:
        return text[:i] + text[i] + text[i:]
    if i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text
