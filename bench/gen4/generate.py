#!/usr/bin/env python3
"""Synthetic test data for record linkage: Nagorno-Karabakh, September 2023.

    python3 generate.py --people N --seed S --out DIR

Writes one CSV per list, truth.csv, lists.json and summary.json into DIR.
Standard library only; same seed => same bytes.  See README.md.
"""
import argparse
import csv
import json
import os
import random
import sys
import time
from datetime import date, timedelta

import spell
import world
from spell import hy_genitive, hy_to_latin, informal, ru_patronymic, ru_to_az, ru_to_latin, title, typo

REF = date(2023, 9, 19)  # start of the offensive


def D(m, d):
    return date(2023, m, d)


# ------------------------------------------------------------------ lists
# file, source, kind, record-id prefix, columns
LISTS = [
    ("tracing_requests.csv", "tracing_hotline", "missing_reports", "TR",
     ["record_id", "full_name", "sex", "age", "birth_date", "home_place", "status", "status_date",
      "event_place", "category", "reporter_name", "reporter_contact", "notes"]),
    ("casualties_official.csv", "artsakh_casualty_list", "casualties", "CAS",
     ["record_id", "family_name", "given_name", "patronymic", "sex", "age", "birth_date",
      "home_place", "status", "status_date", "event_place", "category", "notes"]),
    ("hospital_admissions.csv", "hospital_admissions", "hospital", "HOSP",
     ["record_id", "full_name", "sex", "age", "birth_date", "home_place", "status", "status_date",
      "event_place", "current_place", "category", "notes"]),
    ("shelter_registration.csv", "goris_shelter_volunteers", "shelter", "SH",
     ["record_id", "full_name", "sex", "age", "home_place", "status", "status_date",
      "current_place", "notes"]),
    ("border_crossings.csv", "kornidzor_registration", "crossing", "KOR",
     ["record_id", "family_name", "given_name", "patronymic", "sex", "birth_date", "home_place",
      "status", "status_date", "event_place", "current_place", "notes"]),
    ("peacekeepers_airport.csv", "rmk_airport_evacuees", "other", "RMK",
     ["record_id", "full_name", "birth_date", "home_place", "status", "status_date",
      "current_place", "notes"]),
    ("detainees_az.csv", "az_detainee_reports", "detainees", "DET",
     ["record_id", "full_name", "sex", "birth_date", "status", "status_date", "event_place",
      "category", "notes"]),
    ("diaspora_missing_sheet.csv", "diaspora_volunteer_sheet", "missing_reports", "DSP",
     ["record_id", "given_name", "family_name", "alternate_names", "age", "home_place", "status",
      "status_date", "event_place", "reporter_name", "reporter_contact", "notes"]),
]
LIST_KEYS = ["tracing", "casualties", "hospital", "shelter", "crossing", "rmk", "detainees", "diaspora"]


# ------------------------------------------------------------------ helpers
def cum(ws):
    out, t = [], 0.0
    for w in ws:
        t += w
        out.append(t)
    return out


MALE_CUM = [cum([x[2 + c] for x in world.MALE]) for c in range(3)]
FEMALE_CUM = [cum([x[2 + c] for x in world.FEMALE]) for c in range(3)]
SURNAME_CUM = cum([x[2] for x in world.SURNAMES])
SETTLE_CUM = cum([x[5] for x in world.SETTLEMENTS])
ORIGIN_CUM = cum([x[5] for x in world.ORIGINS_2020])
RANGE_M = list(range(len(world.MALE)))
RANGE_F = list(range(len(world.FEMALE)))
RANGE_S = list(range(len(world.SURNAMES)))


def cohort(year):
    return 0 if year < 1960 else (1 if year < 1990 else 2)


def pick_given(rng, male, year):
    if male:
        return rng.choices(RANGE_M, cum_weights=MALE_CUM[cohort(year)])[0]
    return rng.choices(RANGE_F, cum_weights=FEMALE_CUM[cohort(year)])[0]


def pick_surname(rng, avoid=None):
    while True:
        s = rng.choices(RANGE_S, cum_weights=SURNAME_CUM)[0]
        if s != avoid:
            return s


def rand_birth(rng, year):
    year = min(year, 2023)
    last = (REF - date(year, 1, 1)).days if year == 2023 else 365
    return date(year, 1, 1) + timedelta(days=rng.randrange(max(last, 1)))


def age_at(b, d=REF):
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def minutes(d, m=0):
    return d.toordinal() * 1440 + m


def pick_day(rng, days, weights):
    return rng.choices(days, weights=weights)[0]


def phone(rng, where):
    six = "%06d" % rng.randrange(10 ** 6)
    f = rng.random()
    if where == "ru":
        code = rng.choice(["903", "915", "916", "925", "926", "928", "938", "961", "988"])
        d7 = "%07d" % rng.randrange(10 ** 7)
        if f < 0.5:
            return "+7 %s %s-%s-%s" % (code, d7[:3], d7[3:5], d7[5:])
        return "8%s%s" % (code, d7)
    op = "97" if where == "nk" else rng.choice(["91", "93", "94", "95", "96", "98", "99", "77", "55", "41", "43", "44"])
    if f < 0.45:
        return "+374 %s %s" % (op, six)
    if f < 0.75:
        return "0%s%s" % (op, six)
    if f < 0.9:
        return "+374%s%s" % (op, six)
    return "(0%s) %s-%s-%s" % (op, six[:2], six[2:4], six[4:])


# ------------------------------------------------------------------ people
class Person:
    __slots__ = ("key", "male", "g", "fam", "maiden", "father", "birth", "home", "origin", "hh",
                 "role", "military", "fate", "nick", "pstyle", "phone", "n", "died_later",
                 "event_day", "death_day", "cross_day", "airport_day", "detain_day", "twin",
                 "transfer", "spouse", "listed")

    def __init__(self, rng, male, g, fam, father, birth, hh, role):
        self.key = None
        self.male, self.g, self.fam, self.father, self.birth = male, g, fam, father, birth
        self.maiden = None
        self.home, self.origin = hh["home"], hh["origin"]
        self.hh, self.role = hh, role
        self.military = False
        self.fate = "exodus"
        gh = self.given_hy()
        self.nick = rng.choice(world.NICK[gh]) if gh in world.NICK and rng.random() < 0.5 else None
        self.pstyle = "am"
        if birth.year < 1992 and rng.random() < 0.15:
            self.pstyle = "ru_icao" if rng.random() < 0.4 else "ru"
        a = age_at(birth)
        self.phone = phone(rng, "nk") if a >= 14 else ""
        self.n = dict.fromkeys(LIST_KEYS, 0)
        self.died_later = False
        self.event_day = self.death_day = self.cross_day = self.airport_day = self.detain_day = None
        self.twin = None
        self.transfer = False
        self.spouse = None
        self.listed = False
        hh["members"].append(self)

    def given_hy(self):
        return (world.MALE if self.male else world.FEMALE)[self.g][0]

    def given_ru(self):
        return (world.MALE if self.male else world.FEMALE)[self.g][1]

    def age(self, d=REF):
        return age_at(self.birth, d)


def new_household(rng, hid):
    home = world.SETTLEMENTS[rng.choices(range(len(world.SETTLEMENTS)), cum_weights=SETTLE_CUM)[0]]
    origin = None
    if home[6] == "city" and rng.random() < 0.12:
        origin = world.ORIGINS_2020[rng.choices([0, 1], cum_weights=ORIGIN_CUM)[0]]
    hh = {"id": hid, "home": home, "origin": origin, "members": [], "fam": pick_surname(rng)}
    fam = hh["fam"]

    def man(year, role, father=None, g=None):
        b = rand_birth(rng, year)
        if father is None:
            father = pick_given(rng, True, year - 28)
        if g is None:
            g = pick_given(rng, True, year)
        return Person(rng, True, g, fam, father, b, hh, role)

    def wife_of(h, role="wife"):
        y = h.birth.year + rng.choice([-2, -1, 0, 1, 2, 3, 3, 4, 5, 6, 8])
        b = rand_birth(rng, y)
        w = Person(rng, False, pick_given(rng, False, y), fam, pick_given(rng, True, y - 28), b, hh, role)
        if rng.random() < 0.96:
            w.maiden = pick_surname(rng, avoid=fam)
        else:  # kept her own surname
            w.fam = pick_surname(rng, avoid=fam)
        w.spouse, h.spouse = h, w
        return w

    def children(f, m, role="child"):
        k = rng.choices([0, 1, 2, 3, 4, 5], weights=[8, 18, 34, 26, 10, 4])[0]
        years = sorted(m.birth.year + rng.randint(19, 40) for _ in range(k))
        first_son = True
        kids = []
        used = {(True, f.g), (False, m.g)}  # siblings do not share names, nor take the parents'

        def fresh(male, y):
            g = pick_given(rng, male, y)
            for _ in range(20):
                if (male, g) not in used:
                    break
                g = pick_given(rng, male, y)
            used.add((male, g))
            return g

        for y in years:
            if y > 2023:
                continue
            male = rng.random() < 0.52
            g = None
            if male and first_son and rng.random() < 0.35:
                g = f.father  # named after the paternal grandfather
            b = rand_birth(rng, y)
            if male:
                first_son = False
            if g is not None:
                used.add((True, g))
            c = Person(rng, male, g if g is not None else fresh(male, y), fam, f.g, b, hh, role)
            # adult daughters have mostly married out of the household
            if not male and c.age() >= 23 and rng.random() < 0.8:
                hh["members"].remove(c)
                continue
            kids.append(c)
            if rng.random() < 0.015:  # twins
                tm = rng.random() < 0.5
                tg = fresh(tm, y)
                t = Person(rng, tm, tg, fam, f.g, b, hh, role)
                t.twin, c.twin = c, t
                kids.append(t)
        return kids

    t = rng.random()
    if t < 0.50:  # nuclear family, sometimes with the husband's widowed mother
        h = man(rng.randint(1958, 1998), "husband")
        w = wife_of(h)
        children(h, w)
        if rng.random() < 0.25:
            y = h.birth.year - rng.randint(22, 34)
            gm = Person(rng, False, pick_given(rng, False, y), fam, pick_given(rng, True, y - 28),
                        rand_birth(rng, y), hh, "grandmother")
            gm.maiden = pick_surname(rng, avoid=fam)
    elif t < 0.70:  # three generations
        gy = rng.randint(1936, 1962)
        gf = man(gy, "grandfather")
        gmw = wife_of(gf, "grandmother")
        if rng.random() < 0.25:  # grandfather already dead: not on any list
            hh["members"].remove(gf)
        son = man(gy + rng.randint(22, 34), "husband", father=gf.g)
        sw = wife_of(son)
        children(son, sw, "grandchild")
        if rng.random() < 0.3:  # an unmarried younger sibling of the son
            y = son.birth.year + rng.randint(2, 8)
            if y <= 2005:
                male = rng.random() < 0.5
                Person(rng, male, pick_given(rng, male, y), fam, gf.g, rand_birth(rng, y), hh, "child")
        del gmw
    elif t < 0.82:  # elderly couple
        h = man(rng.randint(1933, 1962), "husband")
        wife_of(h)
    elif t < 0.92:  # widow(er) alone
        y = rng.randint(1930, 1960)
        if rng.random() < 0.75:
            w = Person(rng, False, pick_given(rng, False, y), fam, pick_given(rng, True, y - 28),
                       rand_birth(rng, y), hh, "widow")
            w.maiden = pick_surname(rng, avoid=fam)
        else:
            man(y, "widower")
    else:  # young adult, often with the mother
        y = rng.randint(1980, 2004)
        c = man(y, "child") if rng.random() < 0.6 else None
        if c is None:
            c = Person(rng, False, pick_given(rng, False, y), fam, pick_given(rng, True, y - 28),
                       rand_birth(rng, y), hh, "child")
        if rng.random() < 0.5:
            my = y - rng.randint(20, 35)
            m = Person(rng, False, pick_given(rng, False, my), fam, pick_given(rng, True, my - 28),
                       rand_birth(rng, my), hh, "mother")
            m.maiden = pick_surname(rng, avoid=fam)
            c.father = pick_given(rng, True, my - 2)
    # the family's fixed data for the crisis
    return hh


# ------------------------------------------------------------------ fates and lists
CROSS_DAYS = [D(9, 24), D(9, 25), D(9, 26), D(9, 27), D(9, 28), D(9, 29), D(9, 30), D(10, 1)]
CROSS_W = [2, 10, 20, 25, 22, 13, 6, 2]


def assign(rng, hh):
    kind = hh["home"][6]
    village = kind == "village"
    hh["airport"] = rng.random() < {"village": 0.30, "town": 0.08, "city": 0.02}[kind]
    hh["cross_reg"] = rng.random() < 0.90
    hh["shelter"] = rng.random() < 0.22
    hh["cross_day"] = pick_day(rng, CROSS_DAYS[1:6] if hh["airport"] else CROSS_DAYS, [10, 20, 25, 22, 13] if hh["airport"] else CROSS_W)
    hh["airport_day"] = pick_day(rng, [D(9, 19), D(9, 20), D(9, 21), D(9, 22)], [45, 35, 12, 8])
    for p in hh["members"]:
        a = p.age()
        adult_m = p.male and 18 <= a <= 70
        if p.male and 18 <= a <= 20:
            p.military = rng.random() < 0.85
        elif p.male and 21 <= a <= 55:
            p.military = rng.random() < 0.25
        r = rng.random()
        if p.military:
            table = [("killed", 0.07), ("wounded", 0.09), ("missing", 0.025), ("detained", 0.012)]
        else:
            table = [("killed", 0.004 + 0.006 * village), ("wounded", 0.008 + 0.012 * village),
                     ("depot_killed", 0.010 if adult_m else 0.003 * (a >= 10)),
                     ("depot_burned", 0.018 if adult_m else 0.005 * (a >= 10)),
                     ("missing", 0.005 + 0.008 * (village and a >= 65)),
                     ("detained", 0.003 if adult_m else 0.0)]
        fate = "airport" if hh["airport"] else "exodus"
        acc = 0.0
        for f, pr in table:
            acc += pr
            if r < acc:
                fate = f
                break
        p.fate = fate
        p.cross_day = hh["cross_day"] if rng.random() < 0.92 else pick_day(rng, CROSS_DAYS, CROSS_W)
        p.airport_day = hh["airport_day"]
        if fate in ("killed", "wounded"):
            p.event_day = D(9, 19) if rng.random() < 0.7 else D(9, 20)
        elif fate in ("depot_killed", "depot_burned"):
            p.event_day = D(9, 25)
        elif fate == "missing":
            p.event_day = pick_day(rng, [D(9, 19), D(9, 20), D(9, 21), D(9, 24), D(9, 25), D(9, 26)], [30, 25, 10, 10, 15, 10])
        elif fate == "detained":
            p.detain_day = pick_day(rng, [D(9, 26), D(9, 27), D(9, 28), D(9, 29), D(9, 30), D(10, 1), D(10, 3)], [5, 15, 20, 20, 15, 15, 10])
        if fate in ("wounded", "depot_burned"):
            p.died_later = rng.random() < (0.08 if fate == "wounded" else 0.15)
            if p.died_later:
                p.death_day = p.event_day + timedelta(days=rng.randint(1, 12))
            p.cross_day = max(p.cross_day, D(9, 27)) + timedelta(days=rng.randint(0, 3))
        if fate in ("killed", "depot_killed"):
            p.death_day = p.event_day
        n = p.n
        u = rng.random
        if fate in ("exodus", "airport"):
            n["crossing"] = u() < (0.97 if hh["cross_reg"] else 0.10)
            n["shelter"] = u() < (0.90 if hh["shelter"] else 0.03)
            n["tracing"] = u() < (0.13 if fate == "airport" else 0.05)
            n["diaspora"] = u() < 0.012
            if fate == "airport":
                n["rmk"] = u() < 0.85
        elif fate == "killed":
            n["casualties"] = u() < 0.88
            n["tracing"] = u() < 0.35
            n["hospital"] = u() < 0.10
            n["diaspora"] = u() < 0.12
        elif fate == "wounded":
            n["hospital"] = u() < 0.95
            n["rmk"] = u() < 0.2
            if p.died_later:
                n["casualties"] = u() < 0.9
            else:
                n["crossing"] = u() < 0.75
                n["shelter"] = u() < 0.10
            n["tracing"] = u() < 0.15
        elif fate == "depot_burned":
            n["hospital"] = u() < 0.97
            n["tracing"] = u() < 0.40
            n["diaspora"] = u() < 0.10
            if p.died_later:
                n["casualties"] = u() < 0.85
            else:
                n["crossing"] = u() < 0.30
                n["shelter"] = u() < 0.05
        elif fate == "depot_killed":
            n["casualties"] = u() < 0.70
            n["tracing"] = u() < 0.70
            n["diaspora"] = u() < 0.20
            n["hospital"] = u() < 0.10
        elif fate == "missing":
            n["tracing"] = u() < 0.95
            n["diaspora"] = u() < 0.30
        elif fate == "detained":
            n["detainees"] = u() < 0.92
            n["tracing"] = u() < 0.50
            n["diaspora"] = u() < 0.15
        for k in LIST_KEYS:
            n[k] = int(n[k])
        # within-list repeats
        if n["tracing"]:
            r = u()
            n["tracing"] += (r < 0.16) + (r < 0.035)
        if n["hospital"]:
            p.transfer = u() < (0.45 if fate == "depot_burned" else 0.25)
            n["hospital"] += p.transfer
        for k, pr in (("shelter", 0.06), ("crossing", 0.015), ("rmk", 0.04), ("casualties", 0.02),
                      ("diaspora", 0.10), ("detainees", 0.10)):
            if n[k] and u() < pr:
                n[k] += 1


# ------------------------------------------------------------------ rendering
def names(p, style, rng, habits=None, shift=False, nick=False, maiden=False, icao=False):
    """(given, family, patronymic) of person p as written in `style`."""
    ghy, gru = p.given_hy(), p.given_ru()
    if nick and p.nick:
        ghy, gru = p.nick
    fam = p.maiden if (maiden and p.maiden is not None) else p.fam
    fhy, fru = world.SURNAMES[fam][0], world.SURNAMES[fam][1]
    fa_hy, fa_ru = world.MALE[p.father][0], world.MALE[p.father][1]
    if style == "hy":
        return ghy, fhy, hy_genitive(fa_hy)
    if style == "ru":
        return gru, fru, ru_patronymic(fa_ru, p.male)
    if style == "pass":
        return hy_to_latin(ghy).upper(), hy_to_latin(fhy).upper(), hy_to_latin(hy_genitive(fa_hy)).upper()
    if style == "pass_ru":
        return (ru_to_latin(gru, icao).upper(), ru_to_latin(fru, icao).upper(),
                ru_to_latin(ru_patronymic(fa_ru, p.male), icao).upper())
    if style == "informal":
        return informal(ghy, gru, habits), informal(fhy, fru, habits), informal(hy_genitive(fa_hy), "", habits)
    if style == "west":
        return spell.western(ghy, rng, False, shift), spell.western(fhy, rng, True, shift), ""
    if style == "az":
        return ru_to_az(gru), ru_to_az(fru), ru_to_az(ru_patronymic(fa_ru, p.male))
    raise ValueError(style)


PLACE_IDX = {"hy": 0, "ru": 1, "lat": 2, "pass": 2, "informal": 2, "west": 2, "az": 3}


def place(p, style, rng, p_region=0.1, p_origin=0.5, p_typo=0.03, habits=None):
    s = p.origin if (p.origin and rng.random() < p_origin) else p.home
    if s[6] != "city" and rng.random() < p_region:
        text = world.REGIONS[s[4]][PLACE_IDX[style]]
    else:
        text = s[PLACE_IDX[style]]
    if style == "pass":
        text = text.upper()
    elif style == "informal" and habits:
        t = text.lower()
        for a, b in habits["subs"]:
            t = t.replace(a, b)
        text = t if habits["lower"] else title(t)
    if rng.random() < p_typo:
        text = typo(text, rng)
    return text


def maybe_typo(s, pr, rng):
    if s and rng.random() < pr:
        s = typo(s, rng)
        if rng.random() < 0.1:
            s = typo(s, rng)
    return s


def join(*parts):
    return " ".join(x for x in parts if x)


def iso(d):
    return d.isoformat()


def birth_text(b, rng, full=0.0, year=0.0, month=0.0, err_swap=0.0, err_year=0.0):
    """ISO birth date, or partial; with clerical errors."""
    y, m, d = b.year, b.month, b.day
    r = rng.random()
    if rng.random() < err_year:
        y += rng.choice([-1, 1])
    if r < full:
        if d <= 12 and m != d and rng.random() < err_swap / max(full, 1e-9) * 2.5:
            m, d = d, m
        if date(y, m, min(d, 28)) > REF:  # an error may not put the birth in the future
            y, m, d = b.year, b.month, b.day
        return "%04d-%02d-%02d" % (y, m, d)
    y = min(y, REF.year)
    if r < full + month:
        return "%04d-%02d" % (y, m)
    if r < full + month + year:
        return "%04d" % y
    return ""


def age_text(p, rng, when, mode):
    a = p.age(when)
    if mode == "exact":
        return str(a)
    if mode == "yeardiff":
        return str(when.year - p.birth.year)
    if mode == "approx":
        if a >= 25 and rng.random() < 0.45:
            return str(int(round(a / 5.0)) * 5)
        return str(max(0, a + rng.choice([0, 0, 0, 1, -1, 1, -1, 2, -2, 3])))
    if mode == "range":
        if a < 3:
            return "0-3" if rng.random() < 0.5 else str(a)
        w = 5 if a < 60 or rng.random() < 0.5 else 10
        lo = (a // w) * w
        if rng.random() < 0.2:  # estimate was off by one bracket
            lo += rng.choice([-w, w])
        lo = max(lo, 0)
        return "%d-%d" % (lo, lo + w)
    raise ValueError(mode)


def relation(rep, p, lang):
    """Relationship word of reporter to person."""
    if rep is p.spouse:
        k = "husband" if rep.male else "wife"
    elif rep.birth.year <= p.birth.year - 16:
        k = "father" if rep.male else "mother"
    elif rep.birth.year >= p.birth.year + 16:
        k = "son" if rep.male else "daughter"
    else:
        k = "brother" if rep.male else "sister"
    words = {
        "hy": {"husband": "ամուսին", "wife": "կին", "father": "հայր", "mother": "մայր", "son": "որդի",
               "daughter": "դուստր", "brother": "եղբայր", "sister": "քույր", "cousin": "զարմիկ"},
        "ru": {"husband": "муж", "wife": "жена", "father": "отец", "mother": "мать", "son": "сын",
               "daughter": "дочь", "brother": "брат", "sister": "сестра", "cousin": "двоюродный брат"},
    }
    return words.get(lang, None)[k] if lang in words else k


class Ext:
    """A relative who is not part of the simulated population (lives abroad / elsewhere)."""
    __slots__ = ("male", "g", "fam", "maiden", "father", "birth", "nick", "spouse", "phone")

    def __init__(self, rng, p):
        self.male = rng.random() < 0.5
        y = p.birth.year + rng.randint(-8, 8)
        self.g = pick_given(rng, self.male, y)
        self.fam = p.maiden if p.maiden is not None else p.fam
        if not self.male and rng.random() < 0.8:
            self.fam = pick_surname(rng)  # a married sister
        self.maiden = None
        self.father = p.father
        self.birth = date(max(1925, min(y, 2004)), 6, 1)
        self.nick = None
        self.spouse = None
        self.phone = phone(rng, "ru" if rng.random() < 0.35 else "am")

    given_hy = Person.given_hy
    given_ru = Person.given_ru


def reporter_for(p, rng, used):
    cands = [m for m in p.hh["members"] if m is not p and m.age() >= 16 and id(m) not in used]
    if cands and rng.random() < 0.75:
        rep = rng.choice(cands)
    else:
        rep = Ext(rng, p)
    used.add(id(rep))
    return rep


def contact_of(rep, rng):
    if rep.phone and rng.random() < 0.8:
        return rep.phone
    return phone(rng, "am")


# ------------------------------------------------------------------ list makers
# each returns a list of (order_key, person_key, row_dict)

def make_tracing(people, rng):
    out = []
    for p in people:
        used = set()
        for i in range(p.n["tracing"]):
            style = rng.choices(["hy", "ru", "informal", "west"], weights=[42, 25, 27, 6])[0]
            habits = spell.informal_habits(rng)
            shift = rng.random() < 0.3
            rep = reporter_for(p, rng, used)
            ext = isinstance(rep, Ext)
            maiden = p.maiden is not None and rng.random() < (0.6 if ext else 0.05)
            g, f, pat = names(p, style, rng, habits, shift, nick=rng.random() < 0.12, maiden=maiden)
            g = maybe_typo(g, 0.07, rng)
            f = maybe_typo(f, 0.07, rng)
            if style == "ru" and rng.random() < 0.35:
                full = join(f, g, pat)
            elif style == "hy" and rng.random() < 0.15:
                full = join(f, g, pat)
            elif rng.random() < 0.6:
                full = join(g, f)
            else:
                full = join(f, g)
            if rng.random() < 0.02:
                full = f  # "the Petrosyan family's grandmother": only the surname
            rg, rf, _ = names(rep, style, rng, habits, shift)
            rep_name = join(rg, rf) if rng.random() < 0.7 else join(rf, rg)
            if rng.random() < 0.12:
                rep_name = rg
            rel = relation(rep, p, style if style in ("hy", "ru") else "en") if not ext else \
                {"hy": "բարեկամ", "ru": "родственник"}.get(style, "relative")
            lang = style if style in ("hy", "ru") else "en"
            r = rng.random()
            age = birth = ""
            if r < 0.55:
                age = age_text(p, rng, REF, "approx")
            elif r < 0.8:
                birth = birth_text(p.birth, rng, full=0.25, year=0.75, err_year=0.1)
            sex = p.male and "male" or "female"
            if rng.random() < 0.45:
                sex = ""
            # what the relative last knew
            if p.fate in ("exodus", "airport"):
                last = p.cross_day - timedelta(days=rng.randint(0, 3)) if p.fate == "exodus" else p.airport_day
                ev = {"airport": world.AIRPORT, "exodus": None}[p.fate]
            elif p.fate in ("depot_killed", "depot_burned"):
                last, ev = p.event_day, world.DEPOT
            elif p.fate == "detained":
                last, ev = p.detain_day, world.CHECKPOINT
            else:
                last, ev = p.event_day, None
            plstyle = style
            if ev is not None and rng.random() < 0.7:
                event_place = ev[{"hy": 0, "ru": 1}.get(style, 2)]
            elif rng.random() < 0.4:
                event_place = place(p, plstyle, rng, habits=habits, p_region=0.3, p_origin=0.0)
            else:
                event_place = ""
            home = ""
            if rng.random() < 0.75:
                home = place(p, plstyle, rng, p_region=0.15, p_typo=0.08, habits=habits)
            cat = ""
            if p.military and rng.random() < 0.5:
                cat = "military"
            elif rng.random() < 0.1:
                cat = "civilian"
            notes = tracing_note(p, lang, rel, rng)
            intake = minutes(last + timedelta(days=rng.randint(0, 5) + 2 * i), rng.randrange(1440))
            row = {"full_name": full, "sex": sex, "age": age, "birth_date": birth, "home_place": home,
                   "status": "missing" if rng.random() < 0.93 else "unknown",
                   "status_date": iso(last) if rng.random() < 0.8 else "",
                   "event_place": event_place, "category": cat, "reporter_name": rep_name,
                   "reporter_contact": contact_of(rep, rng) if rng.random() < 0.93 else "",
                   "notes": notes}
            row["_f"] = [x for x, on in (("maiden_surname", maiden), ("reporter_is_listed", getattr(rep, "listed", False)))
                         if on]
            out.append((intake, p.key, row))
    return out


def tracing_note(p, lang, rel, rng):
    bits = []
    if rng.random() < 0.7:
        bits.append({"hy": "Դիմող՝ %s", "ru": "Обратился(ась): %s", "en": "Reported by %s"}[lang] % rel)
    if p.military and rng.random() < 0.5:
        bits.append({"hy": "ծառայում էր պաշտպանության բանակում", "ru": "служил в Армии обороны",
                     "en": "serving in the Defense Army"}[lang])
    if p.fate in ("depot_killed", "depot_burned") and rng.random() < 0.6:
        bits.append({"hy": "գնացել էր բենզին առնելու", "ru": "стоял в очереди за бензином",
                     "en": "went to queue for fuel"}[lang])
    if p.fate == "detained" and rng.random() < 0.6:
        bits.append({"hy": "կապը կտրվել է Հակարիի անցակետում", "ru": "пропал на КПП у моста Акари",
                     "en": "lost contact at the Hakari checkpoint"}[lang])
    if p.fate in ("exodus", "airport") and rng.random() < 0.3:
        bits.append({"hy": "կապ չկա, հեռախոսն անջատված է", "ru": "нет связи, телефон выключен",
                     "en": "no contact, phone off"}[lang])
    return "; ".join(bits)


def make_casualties(people, rng):
    out = []
    batch_days = [D(9, 21), D(9, 23), D(9, 26), D(9, 28), D(9, 30), D(10, 3), D(10, 6), D(10, 10)]
    for p in people:
        for i in range(p.n["casualties"]):
            target = p.death_day + timedelta(days=1 + rng.randint(0, 3) + 4 * i)
            pub = next((d for d in batch_days if d >= target), batch_days[-1])
            unidentified = p.fate == "depot_killed" and i == 0 and rng.random() < 0.3
            g, f, pat = names(p, "hy", rng)
            g, f = maybe_typo(g, 0.02, rng), maybe_typo(f, 0.02, rng)
            if rng.random() < 0.08:
                pat = ""
            if p.fate in ("depot_killed", "depot_burned"):
                ev = world.DEPOT[0]
            elif p.military:
                ev = world.REGIONS[p.home[4] if p.home[4] in ("martakert", "martuni", "askeran") else
                                   rng.choice(["martakert", "martuni", "askeran"])][0].replace("շրջան", "ուղղություն")
            else:
                ev = place(p, "hy", rng, p_region=0.0, p_origin=0.0, p_typo=0.0)
            row = {"family_name": f, "given_name": g, "patronymic": pat, "sex": "male" if p.male else "female",
                   "age": "", "birth_date": birth_text(p.birth, rng, full=0.75, year=0.22, err_swap=0.02, err_year=0.02),
                   "home_place": place(p, "hy", rng, p_region=0.08, p_typo=0.01) if rng.random() < 0.92 else "",
                   "status": "dead", "status_date": iso(p.death_day), "event_place": ev,
                   "category": "military" if p.military else "civilian", "notes": ""}
            if p.died_later:
                row["notes"] = "մահացել է հիվանդանոցում"
            if unidentified:
                row["_f"] = ["unidentified"]
                row.update(family_name="", given_name="", patronymic="", birth_date="", home_place="",
                           age=age_text(p, rng, REF, "range"),
                           notes="Անհայտ անձ, ինքնությունը պարզվում է ԴՆԹ հետազոտությամբ")
            cat_order = 0 if p.military else 1
            out.append(((minutes(pub), cat_order, f or "\uffff", g), p.key, row))
    return out


DIAG = {"depot_burned": ["այրվածք %d%%", "ожог %d%%", "burns %d%%"],
        "wounded": ["բեկորային վնասվածք", "осколочное ранение", "shrapnel wound"],
        "killed": ["մահացել է ընդունման պահին", "скончался при поступлении", "DOA"],
        "depot_killed": ["մահացել է ընդունման պահին", "скончался при поступлении", "DOA"]}


def make_hospital(people, rng):
    out = []
    for p in people:
        k = p.n["hospital"]
        if not k:
            continue
        adm = p.event_day if p.event_day else D(9, 20)
        t = minutes(adm, rng.randrange(18 * 60, 24 * 60) if p.fate.startswith("depot") else rng.randrange(1440))
        for i in range(k):
            if i == 0 and (p.fate in ("depot_burned", "wounded", "killed", "depot_killed")) and (k > 1 or rng.random() < 0.55):
                hosp = world.HOSP_NK
                style = "hy" if rng.random() < 0.6 else "ru"
            else:
                if p.fate == "depot_burned":
                    hosp = world.HOSP_AM[rng.choice([0, 0, 0, 1, 2, 4 if p.age() < 18 else 0])]
                else:
                    hosp = world.HOSP_AM[rng.choice([1, 2, 3, 3, 5, 4 if p.age() < 18 else 3])]
                style = rng.choices(["hy", "pass", "ru"], weights=[80, 12, 8])[0]
                if i > 0:
                    t += rng.randint(12 * 60, 5 * 1440)
            g, f, pat = names(p, style, rng)
            g, f = maybe_typo(g, 0.04, rng), maybe_typo(f, 0.04, rng)
            full = join(f, g, pat if rng.random() < 0.6 else "")
            if style == "pass":
                full = join(g, f)
            li = {"hy": 0, "ru": 1, "pass": 2}[style]
            when = date.fromordinal(t // 1440)
            dead = (p.fate in ("killed", "depot_killed")) or (p.died_later and i == k - 1 and rng.random() < 0.5)
            diag = DIAG[p.fate][li]
            if "%d" in diag:
                diag = diag % rng.choice([15, 20, 30, 40, 50, 60, 70, 80, 90])
            if i > 0:
                diag += {0: ", տեղափոխված", 1: ", переведён", 2: ", transfer"}[li]
                flags = ["transfer"]
            else:
                flags = []
            row = {"full_name": full, "sex": "male" if p.male else "female",
                   "age": age_text(p, rng, when, "exact" if rng.random() < 0.75 else "yeardiff") if rng.random() < 0.9 else "",
                   "birth_date": birth_text(p.birth, rng, full=0.35, year=0.1, err_swap=0.02, err_year=0.01),
                   "home_place": place(p, "lat" if style == "pass" else style, rng, p_region=0.1, p_typo=0.02) if rng.random() < 0.8 else "",
                   "status": "dead" if dead else "injured",
                   "status_date": iso(p.death_day if dead and p.death_day else when),
                   "event_place": (world.DEPOT[li] if p.fate.startswith("depot") else
                                   place(p, "lat" if style == "pass" else style, rng, p_origin=0, p_region=0.3, p_typo=0))
                   if rng.random() < 0.7 else "",
                   "current_place": hosp[li], "category": "military" if p.military and rng.random() < 0.8 else
                   ("civilian" if not p.military and rng.random() < 0.7 else "unknown"),
                   "notes": diag, "_f": flags}
            out.append((t, p.key, row))
    return out


def make_shelter(people, rng):
    out = []
    seen_hh = {}
    for p in people:
        k = p.n["shelter"]
        if not k:
            continue
        hid = p.hh["id"]
        if hid not in seen_hh:
            day = p.cross_day + timedelta(days=rng.choice([0, 0, 0, 1, 1, 2, 3, 5]))
            seen_hh[hid] = [minutes(day, rng.randrange(8 * 60, 23 * 60)), rng.choice(world.SHELTER_SITES),
                            spell.informal_habits(rng)]
        base = seen_hh[hid]
        for i in range(k):
            if i == 0:
                t, site, habits = base[0], base[1], base[2]
                base[0] += 1
            else:
                t = base[0] + rng.randint(1, 6) * 1440 + rng.randrange(600)
                site = rng.choice(world.SHELTER_SITES)
                habits = spell.informal_habits(rng)
            style = rng.choices(["informal", "hy", "ru"], weights=[85, 10, 5])[0]
            g, f, _ = names(p, style, rng, habits, nick=rng.random() < 0.1)
            g, f = maybe_typo(g, 0.09, rng), maybe_typo(f, 0.09, rng)
            a = p.age(date.fromordinal(int(t) // 1440))
            notes = ""
            if a < 2 and rng.random() < 0.5:
                g = ""
                notes = {"informal": "baby", "hy": "նորածին", "ru": "младенец"}[style]
                full = f if rng.random() < 0.6 else join("Baby", f) if style == "informal" else f
            elif rng.random() < 0.05 and len(g) > 1:
                full = join(g[0] + ".", f)
            else:
                full = join(f, g) if rng.random() < 0.45 else join(g, f)
            if p.twin is not None and rng.random() < 0.5:
                notes = join(notes, "twin")
            if rng.random() < 0.08:
                notes = join(notes, rng.choice(["needs insulin", "wheelchair", "pregnant" if not p.male and 18 < a < 45 else "medication",
                                                "with grandchildren", "lost documents"]))
            mode = rng.choices(["range", "exact", "approx", ""], weights=[55, 20, 15, 10])[0]
            row = {"full_name": full, "sex": ("male" if p.male else "female") if rng.random() < 0.6 else "",
                   "age": age_text(p, rng, REF, mode) if mode else "",
                   "home_place": place(p, "informal" if style == "informal" else style, rng, p_region=0.2, p_typo=0.06,
                                       habits=habits) if rng.random() < 0.6 else "",
                   "status": "alive", "status_date": iso(date.fromordinal(int(t) // 1440)),
                   "current_place": site, "notes": notes.strip()}
            out.append((t, p.key, row))
    return out


def make_crossing(people, rng):
    out = []
    seen_hh = {}
    for p in people:
        k = p.n["crossing"]
        if not k:
            continue
        key = (p.hh["id"], p.cross_day)
        if key not in seen_hh:
            seen_hh[key] = [minutes(p.cross_day, rng.randrange(1440)), rng.choice(world.DESTINATIONS)]
        base = seen_hh[key]
        for i in range(k):
            if i == 0:
                t = base[0]
                base[0] += 0.01
                ev = "Kornidzor"
                dest = base[1]
            else:
                t = base[0] + rng.randint(1, 3) * 1440 + rng.randrange(600)
                ev = "Goris"
                dest = rng.choice(world.DESTINATIONS)
            if p.pstyle == "am" or (i > 0 and rng.random() < 0.5):
                g, f, pat = names(p, "pass", rng)
            else:
                g, f, pat = names(p, "pass_ru", rng, icao=p.pstyle == "ru_icao")
            if i > 0 and rng.random() < 0.5:
                # the second clerk typed the name from the Armenian ID card
                g, f, pat = [x.upper() for x in names(p, "informal", rng, spell.informal_habits(rng))]
            g, f = maybe_typo(g, 0.012, rng), maybe_typo(f, 0.012, rng)
            row = {"family_name": f, "given_name": g, "patronymic": pat if rng.random() < 0.7 else "",
                   "sex": "male" if p.male else "female",
                   "birth_date": birth_text(p.birth, rng, full=0.97, year=0.03, err_swap=0.01, err_year=0.01),
                   "home_place": place(p, "pass", rng, p_region=0.08, p_origin=0.5, p_typo=0.01) if rng.random() < 0.95 else "",
                   "status": "alive", "status_date": iso(date.fromordinal(int(t) // 1440)), "event_place": ev,
                   "current_place": dest, "notes": ""}
            if p.fate in ("wounded", "depot_burned") and rng.random() < 0.5:
                row["notes"] = "wounded, by ambulance"
            out.append((t, p.key, row))
    return out


def make_rmk(people, rng):
    out = []
    for p in people:
        for i in range(p.n["rmk"]):
            g, f, pat = names(p, "ru", rng, nick=rng.random() < 0.03)
            g, f = maybe_typo(g, 0.03, rng), maybe_typo(f, 0.03, rng)
            r = rng.random()
            if r < 0.15:
                full = "%s %s.%s." % (f, g[0], pat[0])
            elif r < 0.25:
                full = join(f, g)
            else:
                full = join(f, g, pat)
            day = p.airport_day if p.fate == "airport" else (p.event_day or D(9, 20)) + timedelta(days=1)
            if i > 0:
                day += timedelta(days=rng.randint(1, 3))
            row = {"full_name": full,
                   "birth_date": birth_text(p.birth, rng, full=0.05, year=0.8, err_year=0.05),
                   "home_place": place(p, "ru", rng, p_region=0.05, p_origin=0.3, p_typo=0.02) if rng.random() < 0.9 else "",
                   "status": "injured" if p.fate == "wounded" else "alive", "status_date": iso(day),
                   "current_place": "ПВР РМК, аэропорт Степанакерт" if i == 0 else
                   rng.choice(["ПВР РМК, аэропорт Степанакерт", "база РМК, Степанакерт", "ПВР, Иванян"]),
                   "notes": "эвакуирован(а) РМК" if rng.random() < 0.2 else ""}
            sort = full.lower().replace("ё", "е")
            out.append((sort, p.key, row))
    return out


def make_detainees(people, rng):
    out = []
    seq = 0
    for p in people:
        for i in range(p.n["detainees"]):
            seq += 1
            g, f, pat = names(p, "az", rng)
            g, f = maybe_typo(g, 0.03, rng), maybe_typo(f, 0.03, rng)
            if i == 0 and rng.random() < 0.6:
                full = join(g, f)
            else:
                full = join(f, g, pat)
            day = p.detain_day + timedelta(days=i * rng.randint(1, 4))
            row = {"full_name": full, "sex": "male" if p.male else "female",
                   "birth_date": birth_text(p.birth, rng, full=0.6, year=0.4, err_swap=0.03, err_year=0.03),
                   "status": "detained", "status_date": iso(day), "event_place": world.CHECKPOINT[3],
                   "category": "military" if p.military else ("civilian" if rng.random() < 0.5 else "unknown"),
                   "notes": "barəsində cinayət işi başlanılıb" if rng.random() < 0.7 else ""}
            out.append((minutes(day, rng.randrange(1440)), p.key, row))
    return out


def make_diaspora(people, rng):
    out = []
    for p in people:
        used = set()
        for i in range(p.n["diaspora"]):
            style = rng.choices(["west", "informal", "pass"], weights=[60, 30, 10])[0]
            habits = spell.informal_habits(rng)
            shift = rng.random() < 0.35
            g, f, _ = names(p, style, rng, habits, shift)
            if style == "pass":
                g, f = title(g.lower()), title(f.lower())
            g, f = maybe_typo(g, 0.05, rng), maybe_typo(f, 0.05, rng)
            alt = []
            if p.maiden is not None and rng.random() < 0.15:
                alt.append("née " + spell.western(world.SURNAMES[p.maiden][0], rng, True, shift))
                row_f = ["maiden_alternate"]
            else:
                row_f = []
            if p.nick and rng.random() < 0.1:
                alt.append("aka " + informal(p.nick[0], p.nick[1], habits))
            rep = Ext(rng, p) if rng.random() < 0.7 else reporter_for(p, rng, used)
            rg, rf, _ = names(rep, "west", rng, habits, shift)
            email = "%s.%s%d@gmail.com" % (rg.lower(), rf.lower(), rng.randrange(100))
            email = "".join(c for c in email if c.isascii())
            alive = p.fate in ("exodus", "airport", "wounded", "depot_burned") and not p.died_later
            dead = p.death_day is not None
            r = rng.random()
            if alive:
                status = "alive" if r < 0.45 else ("dead" if r < 0.50 else "missing")
            elif dead:
                status = "dead" if r < 0.4 else "missing"
            else:
                status = "missing" if p.fate != "detained" or r < 0.6 else "detained"
            note = {"alive": "FOUND - safe in Armenia", "dead": "confirmed killed (family)" if dead else "reported killed?",
                    "missing": rng.choice(["no news since %s" % (p.event_day or p.cross_day).strftime("%d/%m"),
                                           "last seen in %s" % p.home[2], "please share", ""]),
                    "detained": "taken at Hakari bridge"}[status]
            post = minutes((p.event_day or p.detain_day or p.cross_day) + timedelta(days=rng.randint(0, 4) + 3 * i),
                           rng.randrange(1440))
            row = {"given_name": g, "family_name": f, "alternate_names": "; ".join(alt),
                   "age": age_text(p, rng, REF, "approx") if rng.random() < 0.75 else "",
                   "home_place": place(p, "west", rng, p_region=0.2, p_typo=0.04) + (", Artsakh" if rng.random() < 0.3 else "")
                   if rng.random() < 0.7 else "",
                   "status": status, "status_date": iso(date.fromordinal(post // 1440)),
                   "event_place": world.DEPOT[2] if p.fate.startswith("depot") and rng.random() < 0.5 else "",
                   "reporter_name": join(rg, rf), "reporter_contact": email if rng.random() < 0.6 else rep.phone,
                   "notes": note, "_f": row_f}
            out.append((post, p.key, row))
    return out


def hard_cases(people, per_status, flags):
    out = {}
    twins = namesakes = 0
    groups = {}
    for p in people:
        if p.twin is not None and p.twin.listed and p.key < (p.twin.key or ""):
            twins += 1
        groups.setdefault((p.hh["id"], p.male, p.g, p.fam), []).append(p)
    for g in groups.values():
        if len(g) > 1:
            namesakes += 1
    out["twin_pairs_both_listed"] = twins
    out["same_household_namesake_groups"] = namesakes
    conf = {"missing+alive": 0, "injured+dead": 0, "alive+dead": 0, "missing+dead": 0, "detained+missing": 0}
    for st in per_status.values():
        for k in conf:
            a, b = k.split("+")
            if a in st and b in st:
                conf[k] += 1
    out["persons_with_conflicting_statuses"] = conf
    single = {}
    thin_only = 0
    for p in people:
        lists = [k for k in LIST_KEYS if p.n[k]]
        if sum(p.n.values()) == 1:
            single[lists[0]] = single.get(lists[0], 0) + 1
        if set(lists) <= {"tracing", "shelter", "diaspora"}:
            thin_only += 1
    out["single_record_persons_by_list"] = single
    out["persons_only_on_thin_lists"] = thin_only
    out["record_flags"] = dict(sorted(flags.items()))
    return out


MAKERS = {"tracing": make_tracing, "casualties": make_casualties, "hospital": make_hospital,
          "shelter": make_shelter, "crossing": make_crossing, "rmk": make_rmk,
          "detainees": make_detainees, "diaspora": make_diaspora}


# ------------------------------------------------------------------ main
def build(n_people, seed):
    rng = random.Random(seed)
    people = []
    hid = 0
    while len(people) < n_people:
        hid += 1
        hh = new_household(rng, hid)
        assign(rng, hh)
        for p in hh["members"]:
            if len(people) >= n_people:
                for k in LIST_KEYS:
                    p.n[k] = 0
                continue
            if any(p.n.values()):
                p.listed = True
                p.key = "P%06d" % (len(people) + 1)
                people.append(p)
    return people, hid


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    ap.add_argument("--people", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    t0 = time.time()
    people, n_households = build(args.people, args.seed)
    os.makedirs(args.out, exist_ok=True)
    truth = []
    lists_json = {}
    counts = {}
    per_person = {}
    per_status = {}
    flags = {}
    for (fname, source, kind, prefix, cols), key in zip(LISTS, LIST_KEYS):
        rng = random.Random("%s:%s" % (args.seed, key))
        rows = MAKERS[key](people, rng)
        rows.sort(key=lambda r: r[0])
        path = os.path.join(args.out, fname)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(cols)
            for i, (_, pkey, row) in enumerate(rows, 1):
                rid = "%s-%06d" % (prefix, i)
                row["record_id"] = rid
                w.writerow([row.get(c, "") for c in cols])
                truth.append((source, rid, pkey))
                per_status.setdefault(pkey, set()).add(row["status"])
                for fl in row.get("_f", ()):
                    k2 = "%s:%s" % (key, fl)
                    flags[k2] = flags.get(k2, 0) + 1
                per_person.setdefault(pkey, {}).setdefault(source, 0)
                per_person[pkey][source] += 1
        lists_json[fname] = {"source": source, "kind": kind}
        counts[fname] = len(rows)
    with open(os.path.join(args.out, "truth.csv"), "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["source", "record_id", "person_key"])
        w.writerows(truth)
    with open(os.path.join(args.out, "lists.json"), "w", encoding="utf-8") as fh:
        json.dump(lists_json, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    # pair counts
    sources = [l[1] for l in LISTS]
    within = dict.fromkeys(sources, 0)
    cross = {}
    total = 0
    n_lists_hist = {}
    for pk, d in per_person.items():
        c = sum(d.values())
        total += c * (c - 1) // 2
        n_lists_hist[len(d)] = n_lists_hist.get(len(d), 0) + 1
        for s, k in d.items():
            within[s] += k * (k - 1) // 2
        ss = sorted(d)
        for i in range(len(ss)):
            for j in range(i + 1, len(ss)):
                kk = "%s|%s" % (ss[i], ss[j])
                cross[kk] = cross.get(kk, 0) + d[ss[i]] * d[ss[j]]
    fates = {}
    for p in people:
        fates[p.fate] = fates.get(p.fate, 0) + 1
    hard = hard_cases(people, per_status, flags)
    summary = {
        "people": len(people), "seed": args.seed, "households_generated": n_households,
        "rows": counts, "rows_total": sum(counts.values()),
        "true_pairs_total": total, "true_pairs_within_list": within,
        "true_pairs_between_lists": dict(sorted(cross.items())),
        "persons_by_number_of_lists": {str(k): v for k, v in sorted(n_lists_hist.items())},
        "persons_by_fate": dict(sorted(fates.items())),
        "hard_cases": hard,
    }
    with open(os.path.join(args.out, "summary.json"), "w", encoding="utf-8") as fh:
        json.dump(summary, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    print("wrote %d rows for %d people to %s in %.1fs" % (sum(counts.values()), len(people), args.out,
                                                          time.time() - t0), file=sys.stderr)


if __name__ == "__main__":
    main()
