#!/usr/bin/env python3
"""Independent synthetic scenario generator: the September 2023 Nagorno-Karabakh crisis.

usage: python3 heldout.py --people N --seed S --out DIR [--shuffle]

Simulates households of Nagorno-Karabakh, gives every member a fate during 19-30 September 2023
(offensive of 19-20 Sep, fuel-depot explosion near Stepanakert on 25 Sep, detentions at the
Lachin/Hakari checkpoint, exodus through Kornidzor 24-30 Sep) and lets seven list-makers
record them the way they would.  Writes DIR/<list>.csv, DIR/lists.json, DIR/truth.csv and
DIR/summary.json.  N = number of distinct people who appear on at least one list.
See README.md for the design.
"""
import argparse
import csv
import datetime as dt
import json
import os
import random
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from names import (parse_tables, parse_places, REGIONS, tr_pass, tr_lat, tr_bgn, tr_iso, ascii_fold,  # noqa: E402
                   tr_west, tr_hy_classical, tr_ru_rule, tr_rulat, arm_genitive, ru_patronymic,
                   typo, homoglyph, lat_style, CANON_LAT_STYLE)

REF = dt.date(2023, 9, 19)
D = lambda day, h=0, m=0: dt.datetime(2023, 9, day, h, m) if day <= 30 else dt.datetime(2023, 10, day - 30, h, m)

LISTS = [  # file stem / source name, kind
    ('tracing_requests', 'missing_reports'),
    ('casualties_authorities', 'casualties'),
    ('hospital_admissions', 'hospital'),
    ('shelter_airport', 'shelter'),
    ('kornidzor_crossings', 'crossing'),
    ('rpk_bulletin', 'other'),
    ('detainees_az', 'detainees'),
]
COLUMNS = {
    'tracing_requests': ['record_id', 'full_name', 'alternate_names', 'sex', 'age', 'birth_date', 'home_place',
                         'status', 'status_date', 'event_place', 'category', 'reporter_name', 'reporter_contact',
                         'notes'],
    'casualties_authorities': ['record_id', 'full_name', 'sex', 'age', 'birth_date', 'home_place', 'status',
                               'status_date', 'event_place', 'category', 'notes'],
    'hospital_admissions': ['record_id', 'given_name', 'family_name', 'patronymic', 'sex', 'age', 'birth_date',
                            'home_place', 'status', 'status_date', 'current_place', 'category', 'notes'],
    'shelter_airport': ['record_id', 'full_name', 'sex', 'age', 'home_place', 'status', 'status_date',
                        'current_place', 'notes'],
    'kornidzor_crossings': ['record_id', 'given_name', 'family_name', 'sex', 'birth_date', 'home_place', 'status',
                            'status_date', 'event_place', 'current_place'],
    'rpk_bulletin': ['record_id', 'full_name', 'sex', 'age', 'home_place', 'status', 'status_date',
                     'current_place'],
    'detainees_az': ['record_id', 'full_name', 'birth_date', 'home_place', 'status', 'status_date', 'event_place',
                     'category', 'notes'],
}

HOSPITALS = {  # key: (hy, ru, lat)
    'rmc': ('Հանրապետական բժշկական կենտրոն, Ստեփանակերտ', 'Республиканский медицинский центр, Степанакерт',
            'Republican Medical Center, Stepanakert'),
    'martakert': ('Մարտակերտի հիվանդանոց', 'Мартакертская больница', 'Martakert hospital'),
    'martuni': ('Մարտունու հիվանդանոց', 'Мартунинская больница', 'Martuni hospital'),
    'burn': ('Այրվածքաբանության ազգային կենտրոն, Երևան', 'Национальный ожоговый центр, Ереван',
             'National Burn Centre, Yerevan'),
}
DESTINATIONS = ['Goris', 'Yerevan', 'Yerevan', 'Yerevan', 'Vayk', 'Masis', 'Abovyan', 'Kapan', 'Sisian',
                'Ararat', 'Armavir', 'Artashat', 'Jermuk', 'Gyumri', 'Vanadzor', 'Echmiadzin', 'Hrazdan']
RANKS = [('շարքային', 'рядовой', 'private', 50), ('կրտսեր սերժանտ', 'мл. сержант', 'junior sergeant', 12),
         ('սերժանտ', 'сержант', 'sergeant', 12), ('ավագ սերժանտ', 'ст. сержант', 'senior sergeant', 6),
         ('լեյտենանտ', 'лейтенант', 'lieutenant', 6), ('ավագ լեյտենանտ', 'ст. лейтенант', 'senior lieutenant', 5),
         ('կապիտան', 'капитан', 'captain', 5), ('մայոր', 'майор', 'major', 3)]
FRONT = ['chankatagh', 'vank', 'drmbon', 'haterk', 'mataghis', 'maghavuz', 'kichan', 'getavan', 'khramort',
         'nakhichevanik', 'sarnaghbyur', 'aygestan', 'chartar', 'karmir_shuka', 'taghavard', 'machkalashen',
         'mets_shen', 'hin_shen', 'yeghtsahogh', 'martakert', 'askeran']
SHELTER_PLACES = ['Stepanakert airport', 'Airport (RPK base)', 'Stepanakert airport, peacekeepers base',
                  'airport', 'RPK base', 'Stepanakert Airport']


class Person:
    __slots__ = ('pid', 'hh', 'role', 'sex', 'given', 'surname', 'maiden', 'father', 'bdate', 'home', 'origin',
                 'military', 'fate', 'cause', 'fate_date', 'front', 'hosp_death', 'nick', 'rank', 'phone',
                 'n_events')

    def age_at(self, d=REF):
        if isinstance(d, dt.datetime):
            d = d.date()
        b = self.bdate
        return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


class Household:
    __slots__ = ('hid', 'surname', 'home', 'origin', 'members')


def wchoice(rng, items, weights):
    return rng.choices(items, weights=weights, k=1)[0]


class World:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.surnames, self.given = parse_tables()
        self.places = parse_places()
        self.sur_w = [s['w'] for s in self.surnames]
        self.given_by = {}
        for sex in 'MF':
            for era in range(3):
                rows = [g for g in self.given if g['sex'] == sex and g['w'][era] > 0]
                self.given_by[(sex, era)] = (rows, [g['w'][era] for g in rows])
        self.home_keys = [k for k, p in self.places.items() if p['w'] > 0]
        self.home_w = [self.places[k]['w'] for k in self.home_keys]
        self.persons = []
        self.households = []
        self.events = defaultdict(list)   # list -> [event dict]
        self.n_obs = 0
        self.flags = set()   # variation flags of the record being rendered

    # ------------------------------------------------------------------ people
    def pick_given(self, sex, year, avoid=()):
        era = 0 if year < 1960 else (1 if year < 1985 else 2)
        rows, w = self.given_by[(sex, era)]
        for _ in range(10):
            g = wchoice(self.rng, rows, w)
            if g['hy'] not in avoid:
                return g
        return g

    def bdate_for_age(self, age):
        days = int(age * 365.25 + self.rng.uniform(1, 364))
        return REF - dt.timedelta(days=days)

    def new_person(self, hh, role, sex, age, surname, father, maiden=None, avoid=(), given=None):
        rng = self.rng
        p = Person()
        p.pid = 'P%06d' % (len(self.persons) + 1)
        p.hh, p.role, p.sex = hh, role, sex
        p.bdate = self.bdate_for_age(max(0, age))
        p.given = given or self.pick_given(sex, p.bdate.year, avoid)
        p.surname, p.maiden, p.father = surname, maiden, father
        p.home, p.origin = hh.home, hh.origin
        p.military = False
        p.fate, p.cause, p.fate_date, p.front, p.hosp_death, p.rank = 'alive', None, None, None, False, None
        p.nick = rng.choice(p.given['dims']) if p.given['dims'] and rng.random() < 0.75 else None
        p.phone = None
        p.n_events = 0
        self.persons.append(p)
        return p

    def other_surname(self, not_this):
        while True:
            s = wchoice(self.rng, self.surnames, self.sur_w)
            if s['hy'] != not_this['hy']:
                return s

    def make_household(self):
        rng = self.rng
        hh = Household()
        hh.hid = len(self.households) + 1
        hh.surname = wchoice(rng, self.surnames, self.sur_w)
        hh.home = wchoice(rng, self.home_keys, self.home_w)
        hh.origin = None
        if hh.home == 'stepanakert' and rng.random() < 0.10:   # displaced in 2020, now in Stepanakert
            hh.origin = rng.choice(['hadrut', 'hadrut', 'hadrut', 'shushi'])
        hh.members = []
        sur = hh.surname
        anyfather = lambda y: self.pick_given('M', y)
        r = rng.random()
        M = hh.members
        if r < 0.08:      # elderly person alone (mostly widows)
            sex = 'F' if rng.random() < 0.72 else 'M'
            age = rng.randint(63, 92)
            M.append(self.new_person(hh, 'single', sex, age, sur, anyfather(2023 - age - 28),
                                     maiden=self.other_surname(sur) if sex == 'F' else None))
        elif r < 0.18:    # elderly couple
            a = rng.randint(60, 88)
            M.append(self.new_person(hh, 'head', 'M', a, sur, anyfather(2023 - a - 28)))
            b = max(55, a - rng.randint(0, 7))
            M.append(self.new_person(hh, 'wife', 'F', b, sur, anyfather(2023 - b - 28),
                                     maiden=self.other_surname(sur)))
        elif r < 0.23:    # single adult
            sex = 'M' if rng.random() < 0.6 else 'F'
            a = rng.randint(19, 60)
            M.append(self.new_person(hh, 'single', sex, a, sur, anyfather(2023 - a - 28)))
        else:             # nuclear family, 35% with grandparents
            three_gen = rng.random() < 0.35
            ha = rng.randint(24, 62) if not three_gen else rng.randint(27, 55)
            widow = rng.random() < 0.07
            gf_name = anyfather(2023 - ha - 30)
            if three_gen and rng.random() < 0.6:
                gfa = ha + rng.randint(23, 36)
                gf = self.new_person(hh, 'gf', 'M', gfa, sur, anyfather(2023 - gfa - 28), given=gf_name)
                M.append(gf)
            if three_gen and rng.random() < 0.85:
                gma = ha + rng.randint(20, 32)
                M.append(self.new_person(hh, 'gm', 'F', gma, sur, anyfather(2023 - gma - 28),
                                         maiden=self.other_surname(sur)))
            wa = max(19, ha - rng.randint(0, 7))
            if widow:
                father_name = self.pick_given('M', 2023 - ha)
                head = None
            else:
                head = self.new_person(hh, 'head', 'M', ha, sur, gf_name)
                M.append(head)
                father_name = head.given
            wife = self.new_person(hh, 'wife', 'F', wa, sur, anyfather(2023 - wa - 28), maiden=self.other_surname(sur))
            M.append(wife)
            nkids = wchoice(rng, [0, 1, 2, 3, 4, 5], [8, 20, 35, 25, 9, 3])
            used = set()
            kid_ages = sorted((wa - rng.randint(19, 40) for _ in range(nkids)), reverse=True)
            first_son = True
            twins = nkids >= 2 and rng.random() < 0.03
            prev = None
            for i, ka in enumerate(kid_ages):
                if ka < 0:
                    continue
                sex = 'M' if rng.random() < 0.53 else 'F'
                given = None
                if sex == 'M' and first_son and rng.random() < 0.3:
                    given = gf_name    # grandson named after his grandfather
                if twins and i == 1 and prev is not None:
                    ka = prev_age
                    same_initial = [g for g in self.given if g['sex'] == sex and g['hy'][0] == prev.given['hy'][0]
                                    and g['hy'] != prev.given['hy']]
                    if same_initial:
                        given = rng.choice(same_initial)
                kid = self.new_person(hh, 'child', sex, ka, sur, father_name, avoid=used, given=given)
                if twins and i == 1 and prev is not None:
                    kid.bdate = prev.bdate
                if sex == 'M':
                    first_son = False
                used.add(kid.given['hy'])
                M.append(kid)
                prev, prev_age = kid, ka
        # military service
        for p in M:
            if p.sex != 'M':
                continue
            a = p.age_at()
            pm = 0.92 if 18 <= a <= 20 else 0.30 if 21 <= a <= 45 else 0.10 if 46 <= a <= 60 else 0
            p.military = rng.random() < pm
        self.households.append(hh)
        return hh

    # ------------------------------------------------------------------ fates
    def assign_fate(self, p):
        rng = self.rng
        a = p.age_at()
        village = self.places[p.home]['kind'] == 'village'
        r = rng.random()
        if p.military:
            if r < 0.18:
                p.fate, p.cause = 'dead', 'offensive'
            elif r < 0.38:
                p.fate, p.cause = 'injured', 'offensive'
            elif r < 0.43:
                p.fate, p.cause = 'missing', 'offensive'
            elif r < 0.46:
                p.fate, p.cause = 'detained', 'captured'
            if p.fate != 'alive':
                p.fate_date = D(19) if rng.random() < 0.72 else D(20)
                p.front = rng.choice(FRONT)
                p.rank = wchoice(rng, RANKS, [x[3] for x in RANKS])
                if p.fate == 'dead' and rng.random() < 0.12:
                    p.hosp_death = True
                    p.fate_date = p.fate_date + dt.timedelta(days=rng.randint(0, 6))
                return
        # fuel depot explosion (25 Sep evening): people queueing for fuel before leaving
        if 14 <= a <= 75:
            pe_dead = 0.016 if (p.sex == 'M' and a <= 60) else 0.005
            pe_inj = 0.026 if (p.sex == 'M' and a <= 60) else 0.010
            r2 = rng.random()
            if r2 < pe_dead:
                p.fate, p.cause, p.fate_date = 'dead', 'explosion', D(25)
                if rng.random() < 0.35:
                    p.hosp_death = True
                    p.fate_date = D(25) + dt.timedelta(days=rng.choice([0, 1, 1, 2, 3, 5, 8, 12]))
                return
            if r2 < pe_dead + pe_inj:
                p.fate, p.cause, p.fate_date = 'injured', 'explosion', D(25)
                return
        if village and self.places[p.home]['shelter'] >= 0.3:
            r3 = rng.random()
            if r3 < 0.006:
                p.fate, p.cause, p.fate_date = 'dead', 'offensive', D(19) if rng.random() < 0.8 else D(20)
                return
            if r3 < 0.018:
                p.fate, p.cause, p.fate_date = 'injured', 'offensive', D(19) if rng.random() < 0.8 else D(20)
                return
            if r3 < (0.030 if a >= 70 else 0.021):
                p.fate, p.cause, p.fate_date = 'missing', 'offensive', D(19) if rng.random() < 0.7 else D(20)
                return
        if p.sex == 'M' and 18 <= a <= 70 and rng.random() < 0.008:
            p.fate, p.cause = 'detained', 'checkpoint'
            p.fate_date = D(27) + dt.timedelta(days=rng.randint(0, 6), hours=rng.randint(8, 18))
            return
        if rng.random() < 0.002:
            p.fate, p.cause, p.fate_date = 'missing', 'unknown', D(rng.randint(19, 27))

    # ------------------------------------------------------------------ list inclusion
    def add_event(self, lst, p, t, **kw):
        ev = {'list': lst, 'p': p, 't': t}
        ev.update(kw)
        self.events[lst].append(ev)
        if p.n_events == 0:
            self.n_obs += 1
        p.n_events += 1
        return ev

    def observe_household(self, hh):
        rng = self.rng
        M = hh.members
        home = self.places[hh.home]
        present = [p for p in M if p.fate in ('alive', 'injured')]
        # --- shelter at the airport / peacekeepers' base (villagers who fled 19-22 Sep)
        in_shelter = False
        if present and rng.random() < home['shelter']:
            in_shelter = True
            reg = home['region']
            start, span = {'martakert': (D(19, 15), 22), 'askeran': (D(19, 14), 30), 'martuni': (D(20, 7), 30),
                           'shushi': (D(20, 11), 40)}.get(reg, (D(19, 16), 60))
            t = start + dt.timedelta(minutes=rng.uniform(0, span * 60))
            order = sorted(present, key=lambda p: {'head': 0, 'wife': 1, 'single': 0, 'child': 2, 'gf': 3,
                                                    'gm': 4}[p.role] * 200 - (p.age_at() if p.role == 'child' else 0))
            k = 0
            for p in order:
                if p.fate == 'injured' and p.cause == 'offensive' and rng.random() < 0.7:
                    continue  # in hospital
                if rng.random() < 0.93:
                    self.add_event('shelter_airport', p, t + dt.timedelta(seconds=40 * k), group=hh.hid)
                    k += 1
        # --- Russian peacekeepers' evacuation bulletin
        if present and home['kind'] == 'village' and (rng.random() < (0.35 if in_shelter else 0.03 * (home['shelter'] > 0.3))):
            t = D(rng.choice([20, 20, 21, 21, 22]), 18)
            for p in present:
                if p.fate == 'injured' and p.cause == 'offensive' and rng.random() < 0.7:
                    continue  # in hospital
                if rng.random() < 0.9:
                    self.add_event('rpk_bulletin', p, t, group=hh.hid)
        # --- casualties, hospital, detainees: per person
        for p in M:
            if p.fate == 'dead':
                if rng.random() < 0.92:
                    self.add_event('casualties_authorities', p, dt.datetime.combine(p.fate_date.date(), dt.time(12)))
                ph = 0.45 if p.cause == 'explosion' else 0.2
                if p.hosp_death or rng.random() < ph * 0.3:
                    self.add_hospital(p)
            elif p.fate == 'injured':
                if rng.random() < 0.9:
                    self.add_hospital(p)
            elif p.fate == 'missing':
                if rng.random() < (0.5 if p.military else 0.15):
                    self.add_event('casualties_authorities', p, dt.datetime.combine(p.fate_date.date(), dt.time(12)))
            elif p.fate == 'detained':
                if rng.random() < 0.95:
                    self.add_event('detainees_az', p, p.fate_date if p.cause == 'checkpoint' else D(21, 12))
        # --- border crossing at Kornidzor, in order of arrival, families in one car
        if present:
            days = [24, 25, 26, 27, 28, 29, 30]
            if in_shelter and rng.random() < 0.8:
                base = D(24, 14) + dt.timedelta(minutes=rng.uniform(0, 30 * 60))
            else:
                dday = wchoice(rng, days, [3, 10, 18, 22, 22, 15, 10])
                base = D(dday, 5) + dt.timedelta(minutes=rng.uniform(0, 18.5 * 60))
            if rng.random() < 0.88:
                k = 0
                for p in present:
                    if p.fate == 'injured' and rng.random() < 0.35:
                        if rng.random() < 0.6:   # ICRC medical evacuation, earlier and separately
                            self.add_event('kornidzor_crossings', p, D(rng.choice([24, 25, 26, 27]), 8) +
                                           dt.timedelta(minutes=rng.uniform(0, 600)))
                        continue
                    if rng.random() < 0.12:
                        t = D(rng.choice(days), 5) + dt.timedelta(minutes=rng.uniform(0, 18.5 * 60))
                    else:
                        t = base + dt.timedelta(seconds=25 * k)
                        k += 1
                    if rng.random() < 0.97:
                        self.add_event('kornidzor_crossings', p, t)
        # --- tracing requests
        self.tracing(hh)

    def add_hospital(self, p):
        rng = self.rng
        if p.cause == 'explosion':
            t = D(25, 19) + dt.timedelta(minutes=rng.expovariate(1 / 240.0))
            hosp = 'rmc' if rng.random() < 0.9 else 'burn'
        else:
            t = p.fate_date + dt.timedelta(hours=14 + rng.expovariate(1 / 10.0))
            reg = self.places[p.front or p.home]['region']
            hosp = wchoice(rng, ['rmc', 'martakert', 'martuni'],
                           [6, 3 if reg == 'martakert' else 0.3, 3 if reg == 'martuni' else 0.3])
        ev = self.add_event('hospital_admissions', p, t, hosp=hosp)
        if rng.random() < 0.025:   # transferred, registered again
            ev2 = self.add_event('hospital_admissions', p, t + dt.timedelta(hours=rng.uniform(6, 48)),
                                 hosp='burn' if p.cause == 'explosion' else 'rmc', dup_of=ev, slip=False)
            ev2['transfer'] = True

    def make_reporter(self, hh, subjects):
        rng = self.rng
        subj = set(id(s) for s in subjects)
        cands = [m for m in hh.members if id(m) not in subj and m.fate in ('alive', 'injured') and m.age_at() >= 16]
        if cands and rng.random() < 0.55:
            m = rng.choice(cands)
            if m.phone is None:
                m.phone = self.phone()
            return {'given': m.given, 'surname': m.surname, 'sex': m.sex, 'contact': m.phone, 'person': m}
        sex = 'F' if rng.random() < 0.6 else 'M'
        g = self.pick_given(sex, rng.randint(1950, 2000))
        s = hh.surname if rng.random() < 0.5 else wchoice(rng, self.surnames, self.sur_w)
        return {'given': g, 'surname': s, 'sex': sex, 'contact': self.phone(foreign=rng.random() < 0.15),
                'person': None}

    def phone(self, foreign=False):
        rng = self.rng
        if foreign:
            f = rng.random()
            if f < 0.6:
                return '+7 9%02d %03d-%02d-%02d' % (rng.randint(0, 99), rng.randint(0, 999), rng.randint(0, 99),
                                                      rng.randint(0, 99))
            if f < 0.8:
                return '+33 6 %02d %02d %02d %02d' % tuple(rng.randint(0, 99) for _ in range(4))
            return 'user%d@mail.ru' % rng.randint(100, 99999)
        op = rng.choice(['91', '93', '94', '95', '96', '97', '98', '99', '77', '55', '41', '43'])
        num = '%06d' % rng.randint(0, 999999)
        fmt = rng.random()
        if fmt < 0.4:
            return '+374%s%s' % (op, num)
        if fmt < 0.7:
            return '0%s %s %s %s' % (op, num[:2], num[2:4], num[4:])
        if fmt < 0.85:
            return '(0%s) %s' % (op, num)
        return '+374 %s %s' % (op, num)

    def report_system(self):
        return wchoice(self.rng, ['hy', 'lat', 'ru', 'west_fr', 'west_en', 'bgn', 'iso_ascii', 'rulat_de', 'hy_cl'],
                       [46, 25, 13, 4, 4, 2.5, 1.5, 2, 2])

    def tracing(self, hh):
        rng = self.rng
        groups = defaultdict(list)
        village = self.places[hh.home]['kind'] == 'village'
        for p in hh.members:
            if p.fate == 'dead':
                pr = 0.62 if p.military else 0.5
            elif p.fate == 'injured':
                pr = 0.35
            elif p.fate == 'missing':
                pr = 0.97
            elif p.fate == 'detained':
                pr = 0.7
            else:
                continue
            if rng.random() < pr:
                groups[p.cause].append(p)
        alive = [p for p in hh.members if p.fate == 'alive']
        if alive and rng.random() < (0.20 if village else 0.08):
            for p in alive:
                a = p.age_at()
                if rng.random() < (0.8 if a >= 60 else 0.45 if a < 18 else 0.5):
                    groups['contact'].append(p)
        for reason, subs in groups.items():
            if reason == 'explosion':
                t0 = D(25, 21) + dt.timedelta(minutes=rng.uniform(0, 60 * 60))
            elif reason in ('checkpoint',):
                t0 = min(p.fate_date for p in subs) + dt.timedelta(hours=rng.uniform(2, 72))
            elif reason == 'captured' or reason == 'offensive':
                t0 = D(19, 16) + dt.timedelta(minutes=rng.uniform(0, 5 * 24 * 60))
            else:
                t0 = D(19, 15) + dt.timedelta(minutes=rng.uniform(0, 6 * 24 * 60))
            rep = self.make_reporter(hh, subs)
            system = self.report_system()
            style = lat_style(rng)
            for k, p in enumerate(subs):
                ev = self.add_event('tracing_requests', p, t0 + dt.timedelta(minutes=2 * k), reporter=rep,
                                    sys=system, style=style, reason=reason)
                if rng.random() < 0.02:    # the same relative submits the same person again
                    self.add_event('tracing_requests', p, t0 + dt.timedelta(hours=rng.uniform(1, 60)), reporter=rep,
                                   sys=system, style=style, reason=reason, dup_of=ev, slip=True)
            for p in subs:                 # another relative files an independent request
                if rng.random() < 0.12:
                    rep2 = self.make_reporter(hh, [p])
                    self.add_event('tracing_requests', p, t0 + dt.timedelta(hours=rng.uniform(3, 96)), reporter=rep2,
                                   sys=self.report_system(), style=lat_style(rng), reason=reason, second=True)

    # ------------------------------------------------------------------ rendering helpers
    def ru_given(self, g_hy, row):
        rng = self.rng
        if row is not None and row['ru']:
            r = rng.random()
            if r < 0.8:
                return row['ru'][0]
            if r < 0.95 and len(row['ru']) > 1:
                return rng.choice(row['ru'][1:])
        return tr_ru_rule(g_hy)

    def ru_family(self, s_row, female, maiden=False):
        rng = self.rng
        if s_row['ru']:
            r = rng.random()
            if r < 0.75:
                f = s_row['ru'][0]
            elif r < 0.95 and len(s_row['ru']) > 1:
                f = rng.choice(s_row['ru'][1:])
            else:
                f = tr_ru_rule(s_row['hy'])
            if female and f.endswith('ов'):
                f += 'а'
            return f
        return tr_ru_rule(self.hy_family(s_row, female))

    @staticmethod
    def hy_family(s_row, female):
        s = s_row['hy']
        return s + 'ա' if female and s.endswith('ով') else s

    def given_in(self, p, system, style, use_dim=False, father=False):
        """Given name (or, with father=True, the father's given name) in a writing system."""
        rng = self.rng
        if father:
            row, g = p.father, p.father['hy']
        else:
            row = p.given
            g = p.nick if (use_dim and p.nick) else row['hy']
            if g != row['hy']:
                row = None   # diminutive: no override table
                if getattr(p, 'pid', None):
                    self.flags.add('diminutive')
        foreign = row['foreign'] if row else False
        if system in ('hy', 'hy_cl'):
            return g
        if system == 'pass':
            return tr_pass(g)
        if system == 'lat':
            if row and row['lat'] and rng.random() < 0.2:
                return rng.choice(row['lat'])
            return tr_lat(g, style)
        if system == 'bgn':
            return tr_bgn(g)
        if system == 'iso_ascii':
            return ascii_fold(tr_iso(g), "'" if rng.random() < 0.5 else '')
        if system in ('west_fr', 'west_en'):
            if row and row['west'] and rng.random() < 0.6:
                return rng.choice(row['west'])
            return tr_west(g, fr=system == 'west_fr', foreign=foreign)
        ru = self.ru_given(g, row)
        if system == 'ru':
            return ru
        if system == 'pass_ru':
            return tr_rulat(ru, 'icao').upper()
        if system == 'az':
            return tr_rulat(ru, 'az')
        if system.startswith('rulat_'):
            return tr_rulat(ru, system[6:])
        raise ValueError(system)

    def family_in(self, p, system, style, maiden=False, s_row=None):
        rng = self.rng
        if s_row is None:
            s_row = p.maiden if (maiden and p.maiden) else p.surname
            if maiden and p.maiden:
                self.flags.add('maiden_surname')
        female = p.sex == 'F' if hasattr(p, 'sex') else False
        hy = self.hy_family(s_row, female)
        if system == 'hy':
            out = hy
        elif system == 'hy_cl':
            out = tr_hy_classical(hy)
        elif system == 'pass':
            out = tr_pass(hy)
        elif system == 'lat':
            out = tr_lat(hy, style)
        elif system == 'bgn':
            out = tr_bgn(hy)
        elif system == 'iso_ascii':
            out = ascii_fold(tr_iso(hy), "'" if rng.random() < 0.5 else '')
        elif system in ('west_fr', 'west_en'):
            if s_row['west'] and rng.random() < 0.6:
                out = rng.choice(s_row['west'])
            else:
                out = tr_west(hy, fr=system == 'west_fr')
        else:
            ru = self.ru_family(s_row, female)
            if system == 'ru':
                out = ru
            elif system == 'pass_ru':
                out = tr_rulat(ru, 'icao').upper()
            elif system == 'az':
                out = tr_rulat(ru, 'az')
            else:
                out = tr_rulat(ru, system[6:])
        if '-' in out:
            r = rng.random()
            if r < 0.15:
                out = out.replace('-', ' ')
            elif r < 0.25:
                a, b = out.split('-', 1)
                out = a + b.lower()
        return out

    def patronymic_in(self, p, system, style):
        if p.father is None:
            return ''
        rng = self.rng
        if system in ('hy', 'hy_cl'):
            return arm_genitive(p.father['hy'])
        if system in ('ru', 'rulat_bgn', 'rulat_icao', 'rulat_de', 'rulat_fr', 'az', 'pass_ru'):
            ru = ru_patronymic(self.ru_given(p.father['hy'], p.father), p.sex)
            if system == 'ru':
                return ru
            if system == 'az':
                return tr_rulat(ru, 'az').replace('ich', 'iç')
            if system == 'pass_ru':
                return tr_rulat(ru, 'icao').upper()
            return tr_rulat(ru, system[6:])
        gen = arm_genitive(p.father['hy'])
        if system == 'pass':
            return tr_pass(gen)
        if system in ('west_fr', 'west_en'):
            return tr_west(gen, fr=system == 'west_fr')
        return tr_lat(gen, style)

    def place_in(self, key, system, style, detail=None):
        """Render a place name.  detail: None (random), 'bare', 'prefixed', 'region'."""
        rng = self.rng
        pl = self.places[key]
        vill = pl['kind'] == 'village'
        reg = pl['region']
        if detail is None:
            detail = wchoice(rng, ['bare', 'prefixed', 'region'], [50, 30, 20 if (vill and reg) else 0])
        if system in ('hy', 'hy_cl'):
            nm = pl['hy']
            if detail == 'prefixed':
                return ('գ. ' if vill else 'ք. ') + nm
            if detail == 'region':
                return REGIONS[reg][0] + ', գ. ' + nm
            return nm
        if system == 'ru':
            nm = pl['ru'][0] if rng.random() < 0.85 else rng.choice(pl['ru'])
            if detail == 'prefixed':
                return ('с. ' if vill else 'г. ') + nm
            if detail == 'region':
                return REGIONS[reg][1] + ', с. ' + nm
            return nm
        if system in ('pass', 'pass_ru'):
            return tr_pass(pl['hy']) if rng.random() < 0.85 else pl['lat'][0].upper()
        if system == 'az':
            return pl['az'] or tr_rulat(pl['ru'][0], 'az')
        if system == 'azc':
            return pl['azc']
        if system in ('west_fr', 'west_en'):
            nm = tr_west(pl['hy'], fr=system == 'west_fr')
        elif system == 'lat' and rng.random() < 0.4:
            nm = tr_lat(pl['hy'], style)
        elif system.startswith('rulat'):
            nm = tr_rulat(pl['ru'][0], 'bgn')
        else:
            nm = pl['lat'][0] if rng.random() < 0.8 else rng.choice(pl['lat'])
        if detail == 'prefixed' and vill:
            return nm + ' village' if rng.random() < 0.7 else 'v. ' + nm
        if detail == 'region' and reg:
            return nm + ', ' + REGIONS[reg][2]
        return nm

    def home_of(self, p, prefer_origin):
        if p.origin and self.rng.random() < prefer_origin:
            self.flags.add('home_is_2020_origin')
            return p.origin
        return p.home

    def event_place_in(self, p, system, style):
        rng = self.rng
        if p.cause == 'explosion':
            bk = self.place_in('berkadzor', system, style, 'bare')
            if system in ('hy', 'hy_cl'):
                return bk + ', վառելիքի պահեստ' if rng.random() < 0.6 else bk
            if system == 'ru':
                return bk + ', склад ГСМ' if rng.random() < 0.6 else bk
            return bk + ' fuel depot' if rng.random() < 0.6 else bk
        if p.front:
            nm = self.place_in(p.front, system, style, 'bare')
            if rng.random() < 0.5:
                return nm
            if system in ('hy', 'hy_cl'):
                return 'մարտական դիրք, ' + nm
            if system == 'ru':
                return 'боевая позиция, ' + nm
            if system == 'az':
                return nm + ' ətrafı'
            return 'position near ' + nm
        return self.place_in(p.home, system, style, 'bare')

    def bdate_str(self, p, mode, err=0.0):
        """mode: full / year / month.  err: probability of a slip."""
        rng = self.rng
        b = p.bdate
        y, m, d = b.year, b.month, b.day
        if rng.random() < err:
            k = rng.random()
            if k < 0.5 and d <= 12 and d != m:
                m, d = d, m
                self.flags.add('birth_day_month_swapped' if mode == 'full' else 'birth_date_slip_hidden')
            elif k < 0.8:
                y += rng.choice([-1, 1])
                self.flags.add('birth_year_off_by_one')
            else:
                d = min(28, max(1, d + rng.choice([-1, 1, 10, -10])))
                self.flags.add('birth_day_wrong' if mode == 'full' else 'birth_date_slip_hidden')
        if mode == 'year':
            return '%04d' % y
        if mode == 'month':
            return '%04d-%02d' % (y, m)
        return '%04d-%02d-%02d' % (y, m, d)

    def noisy(self, s, rate):
        if s and self.rng.random() < rate:
            s2 = typo(s, self.rng)
            if s2 != s:
                self.flags.add('typo')
            s = s2
        return s

    @staticmethod
    def sexstr(p, style='MF'):
        if style == 'word':
            return 'male' if p.sex == 'M' else 'female'
        return p.sex

    # ------------------------------------------------------------------ list renderers
    def full_name(self, fam, giv, patr, order):
        parts = {'GF': [giv, fam], 'FG': [fam, giv], 'FGP': [fam, giv, patr], 'GPF': [giv, patr, fam]}[order]
        return ' '.join(x for x in parts if x)

    def r_tracing(self, ev):
        rng = self.rng
        p, system, style, rep = ev['p'], ev['sys'], ev['style'], ev['reporter']
        if ev.get('second'):
            self.flags.add('second_request_by_other_relative')
        use_dim = p.nick is not None and rng.random() < 0.14
        maiden = False
        alt = []
        if p.maiden is not None:
            ext = rep['person'] is None
            if ext and (rep['surname'] is p.maiden or rng.random() < 0.25):
                maiden = rng.random() < 0.7
            if rng.random() < 0.25:
                other = self.family_in(p, system, style, maiden=not maiden)
                pre = {'hy': 'ծն. ', 'hy_cl': 'ծն. ', 'ru': 'урожд. '}.get(system, 'née ')
                alt.append(pre + other if not maiden else other)
        giv = self.given_in(p, system, style, use_dim)
        if not use_dim and p.nick and rng.random() < 0.1:
            alt.append(self.given_in(p, system, style, True))
        fam = self.family_in(p, system, style, maiden)
        if system in ('hy', 'hy_cl'):
            order = wchoice(rng, ['GF', 'FG', 'FGP', 'GPF'], [50, 30, 12, 8])
        elif system == 'ru':
            order = wchoice(rng, ['FGP', 'FG', 'GF'], [50, 25, 25])
        else:
            order = wchoice(rng, ['GF', 'FG'], [70, 30])
        patr = self.patronymic_in(p, system, style) if order in ('FGP', 'GPF') else ''
        giv = self.noisy(giv, 0.05)
        fam = self.noisy(fam, 0.07)
        name = self.full_name(fam, giv, patr, order)
        if system not in ('hy', 'hy_cl', 'ru'):
            r = rng.random()
            if r < 0.1:
                name = name.lower()
            elif r < 0.15:
                name = name.upper()
        if system == 'ru' and rng.random() < 0.01:
            name = homoglyph(name, rng)
        if rng.random() < 0.02:
            name = name + ' ' if rng.random() < 0.5 else name.replace(' ', '  ', 1)
        a = p.age_at(ev['t'])
        bd, age = '', ''
        r = rng.random()
        if r < 0.33:
            bd = self.bdate_str(p, 'full', 0.1)
        elif r < 0.53:
            bd = self.bdate_str(p, 'year', 0.1)
        if not bd or rng.random() < 0.3:
            r = rng.random()
            if a < 18 or r < 0.4:
                age = str(max(0, a + (rng.choice([-1, 1, 2, -2]) if rng.random() < 0.1 else 0)))
            elif r < 0.7:
                age = str(int(5 * round(a / 5.0)))
            else:
                lo = 5 * (a // 5) - (5 if rng.random() < 0.3 else 0)
                age = '%d-%d' % (lo, lo + rng.choice([5, 10]))
        if p.military:
            cat = 'military' if rng.random() < 0.75 else ''
        else:
            cat = 'civilian' if rng.random() < 0.45 else ('unknown' if rng.random() < 0.1 else '')
        reason = ev['reason']
        sd = ''
        if rng.random() < 0.8:
            sd = (p.fate_date.date() if p.fate_date and reason != 'contact' else dt.date(2023, 9, 19)).isoformat()
        ep = ''
        if reason in ('explosion', 'offensive', 'captured') and rng.random() < 0.45:
            ep = self.event_place_in(p, system, style)
        elif reason == 'checkpoint' and rng.random() < 0.5:
            ep = {'hy': 'Հակարիի կամուրջ', 'ru': 'КПП Лачин', 'hy_cl': 'Հակարիի կամուրջ'}.get(system, 'Hakari bridge checkpoint')
        home = ''
        if rng.random() < 0.7:
            home = self.place_in(self.home_of(p, 0.5), system if system != 'iso_ascii' else 'lat', style)
        # reporter
        rs = rep['given']
        rp = Person.__new__(Person)
        rp.sex = rep['sex']
        rp.given, rp.nick, rp.father = rs, None, None
        rname_g = self.given_in(rp, system, style)
        rname_f = self.family_in(rp, system, style, s_row=rep['surname'])
        rname = rname_g + ' ' + rname_f if system not in ('ru',) else rname_f + ' ' + rname_g
        notes = self.tracing_note(system, reason, p)
        row = {'full_name': name, 'alternate_names': '; '.join(alt), 'sex': p.sex if rng.random() < 0.55 else '',
               'age': age, 'birth_date': bd, 'home_place': home, 'status': 'missing', 'status_date': sd,
               'event_place': ep, 'category': cat, 'reporter_name': rname, 'reporter_contact': rep['contact'],
               'notes': notes}
        return row

    def tracing_note(self, system, reason, p):
        rng = self.rng
        if rng.random() < 0.45:
            return ''
        lang = 'hy' if system in ('hy', 'hy_cl') else 'ru' if system == 'ru' else 'en'
        T = {
            ('offensive', 'hy'): ['Կապը կտրվել է սեպտեմբերի 19-ին', 'Զինծառայող է, լուր չկա', 'Վերջին անգամ զանգել է 19.09'],
            ('offensive', 'ru'): ['Связь пропала 19 сентября', 'Военнослужащий, нет вестей', 'Последний звонок 19.09'],
            ('offensive', 'en'): ['No contact since 19 Sep', 'Serving soldier, no news', 'Last call on 19.09'],
            ('explosion', 'hy'): ['Գնացել էր բենզին վերցնելու', 'Բերքաձորի պայթյունից հետո լուր չկա'],
            ('explosion', 'ru'): ['Поехал за бензином', 'После взрыва на складе ГСМ нет связи'],
            ('explosion', 'en'): ['Went to get fuel near Berkadzor', 'No news since the depot explosion'],
            ('contact', 'hy'): ['Կապ չկա սեպտեմբերի 19-ից', 'Մենակ է մնացել գյուղում', 'Հեռախոսը անջատված է'],
            ('contact', 'ru'): ['Нет связи с 19.09', 'Остался(ась) в селе один(одна)', 'Телефон выключен'],
            ('contact', 'en'): ['No contact since 19 September', 'Was alone in the village', 'Phone switched off'],
            ('checkpoint', 'hy'): ['Ձերբակալվել է Հակարիի կամրջի անցակետում'],
            ('checkpoint', 'ru'): ['Задержан на КПП у моста Хакари'],
            ('checkpoint', 'en'): ['Detained at the Hakari bridge checkpoint'],
        }
        key = (reason if reason in ('offensive', 'explosion', 'contact', 'checkpoint') else
               'offensive' if reason == 'captured' else 'contact', lang)
        opts = T[key]
        if key[0] == 'offensive' and not p.military:
            opts = [x for i, x in enumerate(opts) if i != 1]        # not "serving soldier"
        if key[0] == 'contact' and self.places[p.home]['kind'] != 'village':
            opts = [x for i, x in enumerate(opts) if i != 1]        # not "alone in the village"
        return rng.choice(opts)

    def r_casualty(self, ev):
        rng = self.rng
        p = ev['p']
        system = ev.get('sys') or ('hy' if rng.random() < 0.85 else 'ru')
        ev['sys'] = system
        style = CANON_LAT_STYLE
        giv = self.given_in(p, system, style)
        fam = self.family_in(p, system, style)
        order = 'FGP' if rng.random() < (0.85 if system == 'hy' else 0.92) else 'FG'
        patr = self.patronymic_in(p, system, style) if order == 'FGP' else ''
        r = rng.random()
        if p.cause == 'explosion' and r < 0.02:
            name = ''   # unidentified remains
            self.flags.add('unidentified')
        elif r < 0.03:
            name = fam + (' ' + patr if patr and rng.random() < 0.3 else '')
            self.flags.add('no_given_name')
        else:
            name = self.full_name(self.noisy(fam, 0.03), self.noisy(giv, 0.03), patr, order)
        if system == 'ru' and rng.random() < 0.01:
            name = homoglyph(name, rng)
        r = rng.random()
        bd = self.bdate_str(p, 'full', 0.04) if r < 0.72 else self.bdate_str(p, 'year', 0.03) if r < 0.94 else ''
        age = ''
        if not bd and rng.random() < 0.8:
            age = str(p.age_at(p.fate_date or ev['t']))
        status = 'missing' if p.fate == 'missing' else 'dead'
        sd = ''
        fd = (p.fate_date or ev['t']).date()
        if rng.random() < 0.96:
            if rng.random() < 0.03:
                fd = fd + dt.timedelta(days=rng.choice([-1, 1]))
            sd = fd.isoformat()
        cat = ('military' if p.military else 'civilian') if rng.random() < 0.97 else 'unknown'
        notes = ''
        if p.military and p.rank and rng.random() < 0.7:
            notes = p.rank[0] if system == 'hy' else p.rank[1]
        elif p.cause == 'explosion' and rng.random() < 0.5:
            notes = 'Բերքաձորի պայթյուն' if system == 'hy' else 'взрыв склада ГСМ'
        if not name:
            notes = 'Չճանաչված, ԴՆԹ փորձաքննություն' if system == 'hy' else 'не опознан, ДНК-экспертиза'
            bd = ''
            age = '%d-%d' % (max(0, 10 * (p.age_at() // 10)), 10 * (p.age_at() // 10) + 10)
        return {'full_name': name, 'sex': p.sex, 'age': age, 'birth_date': bd,
                'home_place': self.place_in(self.home_of(p, 0.3), system, style) if rng.random() < 0.85 else '',
                'status': status, 'status_date': sd,
                'event_place': self.event_place_in(p, system, style) if rng.random() < 0.8 else '',
                'category': cat, 'notes': notes}

    def r_hospital(self, ev):
        rng = self.rng
        p = ev['p']
        system = ev.get('sys') or ('hy' if rng.random() < 0.62 else 'ru')
        ev['sys'] = system
        style = CANON_LAT_STYLE
        lang = 0 if system == 'hy' else 1
        unident = p.cause == 'explosion' and rng.random() < 0.06
        giv = self.noisy(self.given_in(p, system, style, rng.random() < 0.03), 0.05)
        fam = self.noisy(self.family_in(p, system, style), 0.05)
        patr = self.noisy(self.patronymic_in(p, system, style), 0.03) if rng.random() < 0.45 else ''
        if system == 'ru' and rng.random() < 0.01:
            fam = homoglyph(fam, rng)
        if rng.random() < 0.02:
            giv = ''
            self.flags.add('no_given_name')
        a = p.age_at(ev['t'])
        if rng.random() < 0.2:
            a = 2023 - p.bdate.year          # age as a year difference
        r = rng.random()
        if r < 0.12:
            a += rng.choice([-1, 1])
        elif r < 0.15:
            a += rng.choice([-2, 2])
        notes = ''
        if p.cause == 'explosion':
            pct = rng.choice([10, 15, 20, 30, 40, 50, 60, 70, 80])
            notes = ['այրվածքներ %d%%' % pct, 'ожоги %d%%' % pct][lang]
        elif rng.random() < 0.7:
            notes = rng.choice([['բեկորային վնասվածք', 'осколочное ранение'], ['հրազենային վնասվածք',
                                                                              'огнестрельное ранение'],
                                ['կոնտուզիա', 'контузия']])[lang]
        if unident:
            self.flags.add('unidentified')
            self.flags.discard('no_given_name')
            giv = fam = patr = ''
            a = int(5 * round((p.age_at() + rng.randint(-6, 6)) / 5.0))
            notes = (['անհայտ, ', 'неизвестный, '][lang]) + notes
        status = 'injured'
        if p.fate == 'dead' and rng.random() < 0.4:
            status = 'dead'
        cat = ''
        if p.military and rng.random() < 0.85:
            cat = 'military'
        elif not p.military and rng.random() < 0.6:
            cat = 'civilian'
        home = ''
        if not unident and rng.random() < 0.5:
            home = self.place_in(self.home_of(p, 0.2), system, style)
        return {'given_name': giv, 'family_name': fam, 'patronymic': patr, 'sex': p.sex, 'age': str(max(0, a)),
                'birth_date': self.bdate_str(p, 'year', 0.05) if (not unident and rng.random() < 0.12) else '',
                'home_place': home, 'status': status, 'status_date': ev['t'].date().isoformat(),
                'current_place': HOSPITALS[ev['hosp']][lang], 'category': cat, 'notes': notes}

    def r_shelter(self, ev):
        rng = self.rng
        p = ev['p']
        system = ev.get('sys') or wchoice(rng, ['lat', 'rulat_bgn', 'hy'], [80, 12, 8])
        style = ev.get('style') or lat_style(rng)
        ev['sys'], ev['style'] = system, style
        giv = self.noisy(self.given_in(p, system, style, rng.random() < 0.06), 0.07)
        fam = self.noisy(self.family_in(p, system, style), 0.07)
        notes = ''
        if rng.random() < 0.02 or (p.age_at() < 3 and rng.random() < 0.3):
            giv = ''
            self.flags.add('no_given_name')
            notes = 'child' if p.age_at() < 14 else ''
        order = 'GF' if rng.random() < 0.65 else 'FG'
        name = self.full_name(fam, giv, '', order)
        if system != 'hy' and rng.random() < 0.15:
            name = name.lower()
        a = p.age_at(ev['t'])
        r = rng.random()
        if r < 0.7:
            ae = a + (rng.choice([-1, 1]) if rng.random() < 0.1 else 0)
            lo = 10 * (max(0, ae) // 10)
            age = '%d-%d' % (lo, lo + 9)
        elif r < 0.9:
            age = str(max(0, a + (rng.choice([-1, 1]) if rng.random() < 0.15 else 0)))
        else:
            age = ''
        if not notes and rng.random() < 0.08:
            notes = rng.choice(['needs medication', 'with family', 'disabled', 'diabetic, needs insulin',
                                'pregnant', 'lost documents'])
        return {'full_name': name, 'sex': self.sexstr(p, 'word') if rng.random() < 0.9 else '', 'age': age,
                'home_place': self.place_in(p.home, 'lat' if system == 'hy' else system, style, 'bare')
                if rng.random() < 0.6 else '',
                'status': 'alive', 'status_date': ev['t'].date().isoformat(),
                'current_place': rng.choice(SHELTER_PLACES), 'notes': notes}

    def r_crossing(self, ev):
        rng = self.rng
        p = ev['p']
        system = ev.get('sys') or ('pass' if rng.random() < 0.93 else 'pass_ru')
        ev['sys'] = system
        maiden = p.maiden is not None and p.role == 'wife' and p.age_at() < 30 and rng.random() < 0.2
        giv = self.noisy(self.given_in(p, system, None), 0.01)
        fam = self.noisy(self.family_in(p, system, None, maiden), 0.01)
        r = rng.random()
        bd = self.bdate_str(p, 'full', 0.02) if r < 0.995 else ''
        home = ''
        r = rng.random()
        if r < 0.77:
            home = self.place_in(self.home_of(p, 0.15), system, None)
        elif r < 0.92:
            pl = self.places[p.home]
            home = tr_pass(self.places[pl['region']]['hy']) if pl['region'] in self.places else tr_pass(pl['hy'])
        status = 'injured' if p.fate == 'injured' and rng.random() < 0.5 else 'alive'
        return {'given_name': giv, 'family_name': fam, 'sex': p.sex, 'birth_date': bd, 'home_place': home,
                'status': status, 'status_date': ev['t'].date().isoformat(), 'event_place': 'Kornidzor',
                'current_place': rng.choice(DESTINATIONS) if rng.random() < 0.45 else ''}

    def r_bulletin(self, ev):
        rng = self.rng
        p = ev['p']
        ev['sys'] = 'ru'
        fam = self.noisy(self.family_in(p, 'ru', None), 0.03)
        giv = self.given_in(p, 'ru', None)
        patr = self.patronymic_in(p, 'ru', None)
        r = rng.random()
        if r < 0.6 and patr:
            name = '%s %s.%s.' % (fam, giv[0], patr[0])
        elif r < 0.8:
            name = '%s %s.' % (fam, giv[0])
        else:
            name = '%s %s' % (fam, giv)
        pl = self.places[p.home]
        if rng.random() < 0.2:
            home = 'н.п. ' + pl['azc']
        else:
            home = self.place_in(p.home, 'ru', None, 'prefixed')
        return {'full_name': name, 'sex': p.sex if rng.random() < 0.4 else '',
                'age': str(p.age_at(ev['t'])) if rng.random() < 0.4 else '', 'home_place': home,
                'status': 'alive', 'status_date': ev['t'].date().isoformat(),
                'current_place': rng.choice(['ПВР, аэродром Степанакерт', 'пункт временного размещения РМК',
                                             'ПВР РМК (аэропорт)'])}

    def r_detainee(self, ev):
        rng = self.rng
        p = ev['p']
        ev['sys'] = 'az'
        fam = self.family_in(p, 'az', None)
        giv = self.given_in(p, 'az', None)
        patr = self.patronymic_in(p, 'az', None)
        order = wchoice(rng, ['FGP', 'GF', 'GPF'], [50, 30, 20])
        name = self.full_name(self.noisy(fam, 0.03), self.noisy(giv, 0.03), patr, order)
        bd = self.bdate_str(p, 'full', 0.03) if rng.random() < 0.6 else self.bdate_str(p, 'year', 0.03)
        if p.cause == 'checkpoint':
            ep = 'Laçın sərhəd-buraxılış məntəqəsi'
            cat = 'civilian' if rng.random() < 0.6 else 'unknown'
        else:
            ep = self.place_in(p.front, 'az', None, 'bare') if p.front else ''
            cat = 'military'
        return {'full_name': name, 'birth_date': bd, 'home_place': self.place_in(p.home, 'az', None),
                'status': 'detained', 'status_date': ev['t'].date().isoformat(), 'event_place': ep,
                'category': cat, 'notes': ''}

    def slip(self, row, lst):
        """A second registration of the same person: 1-2 small differences."""
        rng = self.rng
        row = dict(row)
        name_fields = [f for f in ('full_name', 'given_name', 'family_name') if row.get(f)]
        ops = rng.sample(['name', 'name', 'age', 'bdate', 'drop', 'order'], 2 if rng.random() < 0.4 else 1)
        for op in ops:
            if op == 'name' and name_fields:
                f = rng.choice(name_fields)
                row[f] = typo(row[f], rng)
            elif op == 'age' and row.get('age') and row['age'].isdigit():
                row['age'] = str(max(0, int(row['age']) + rng.choice([-1, 1])))
            elif op == 'bdate' and row.get('birth_date') and len(row['birth_date']) == 10:
                y, m, d = row['birth_date'].split('-')
                if int(d) <= 12 and rng.random() < 0.5:
                    row['birth_date'] = '%s-%s-%s' % (y, d, m)
                else:
                    row['birth_date'] = '%d-%s-%s' % (int(y) + rng.choice([-1, 1]), m, d)
            elif op == 'drop':
                opt = [f for f in ('home_place', 'sex', 'age', 'birth_date', 'current_place') if row.get(f)]
                if opt:
                    row[rng.choice(opt)] = ''
            elif op == 'order' and row.get('full_name') and ' ' in row['full_name'].strip():
                parts = row['full_name'].split()
                row['full_name'] = ' '.join(parts[1:] + parts[:1]) if len(parts) == 2 else ' '.join(parts[::-1])
            elif name_fields:
                f = rng.choice(name_fields)
                row[f] = typo(row[f], rng)
        return row

    # ------------------------------------------------------------------ driver
    def run(self, n_people):
        while True:
            hh = self.make_household()
            for p in hh.members:
                self.assign_fate(p)
            self.observe_household(hh)
            if self.n_obs >= n_people:
                break
        # trim to exactly N observed people (drop the latest observed people's events)
        obs = [p for p in self.persons if p.n_events]
        drop = set(id(p) for p in obs[n_people:])
        for lst in self.events:
            self.events[lst] = [e for e in self.events[lst] if id(e['p']) not in drop]
        for p in obs[n_people:]:
            p.n_events = 0
        self.add_slip_duplicates()

    def add_slip_duplicates(self):
        rng = self.rng
        rates = {'shelter_airport': (0.03, 12, 36), 'kornidzor_crossings': (0.004, 0.005, 0.05),
                 'casualties_authorities': (0.02, 0, 0), 'rpk_bulletin': (0.015, 0, 0),
                 'detainees_az': (0.03, 6, 72)}
        for lst, (rate, lo, hi) in rates.items():
            extra = []
            for ev in self.events[lst]:
                if rng.random() < rate:
                    e2 = {'list': lst, 'p': ev['p'], 't': ev['t'] + dt.timedelta(hours=rng.uniform(lo, hi)),
                          'dup_of': ev, 'slip': lst != 'casualties_authorities', 'group': ev.get('group')}
                    if lst == 'casualties_authorities':
                        e2['addendum'] = True   # from a second source, appended at the end
                    extra.append(e2)
            self.events[lst].extend(extra)

    def render_all(self):
        R = {'tracing_requests': self.r_tracing, 'casualties_authorities': self.r_casualty,
             'hospital_admissions': self.r_hospital, 'shelter_airport': self.r_shelter,
             'kornidzor_crossings': self.r_crossing, 'rpk_bulletin': self.r_bulletin,
             'detainees_az': self.r_detainee}
        rng = self.rng
        for lst, evs in self.events.items():
            for ev in evs:           # originals first
                if 'dup_of' not in ev:
                    self.flags = ev['flags'] = set()
                    ev['row'] = R[lst](ev)
            for ev in evs:
                if 'dup_of' in ev:
                    o = ev['dup_of']
                    self.flags = ev['flags'] = {'within_list_duplicate'}
                    if lst == 'casualties_authorities':
                        ev['sys'] = 'ru' if o.get('sys') == 'hy' and rng.random() < 0.6 else o.get('sys')
                    else:
                        ev['sys'] = o.get('sys', ev.get('sys'))
                        if 'style' in o:
                            ev['style'] = o['style']
                    if 'reporter' in o and 'reporter' not in ev:
                        ev['reporter'] = o['reporter']
                    if 'reason' in o and 'reason' not in ev:
                        ev['reason'] = o['reason']
                    if 'hosp' in o and 'hosp' not in ev:
                        ev['hosp'] = o['hosp']
                    if ev.get('slip'):
                        ev['flags'] |= set(o['flags'])
                        ev['row'] = self.slip(o['row'], lst)
                        if lst in ('shelter_airport', 'kornidzor_crossings'):
                            ev['row']['status_date'] = ev['t'].date().isoformat() if o['row'].get('status_date') else ''
                    else:
                        ev['row'] = R[lst](ev)

    def order_and_ids(self):
        """Give each list the row order and record ids a real list would have."""
        rng = self.rng
        out = {}
        E = self.events
        # tracing requests: hotline intake order
        evs = sorted(E['tracing_requests'], key=lambda e: e['t'])
        for i, e in enumerate(evs):
            e['rid'] = 'TR-%05d' % (i + 1)
        out['tracing_requests'] = evs
        # casualties: military section alphabetical, civilian section by date then alphabetical,
        # then an addendum of late/second-source entries (in the order received)
        cas = E['casualties_authorities']
        main = [e for e in cas if not e.get('addendum') and e['row']['full_name']]
        unid = [e for e in cas if not e.get('addendum') and not e['row']['full_name']]
        add = [e for e in cas if e.get('addendum')]
        # alphabetical by the Armenian spelling the authority keys its register on (rows copied from
        # Russian-language sources keep their place in that order)
        akey = lambda e: (self.hy_family(e['p'].surname, e['p'].sex == 'F'), e['p'].given['hy'])
        mil = sorted([e for e in main if e['p'].military], key=akey)
        civ = sorted([e for e in main if not e['p'].military], key=lambda e: (e['row']['status_date'] or '9',
                                                                              akey(e)))
        rng.shuffle(add)
        evs = mil + civ + unid + add
        for i, e in enumerate(evs):
            e['rid'] = str(i + 1)
        out['casualties_authorities'] = evs
        # hospital: admission register order
        evs = sorted(E['hospital_admissions'], key=lambda e: e['t'])
        for i, e in enumerate(evs):
            e['rid'] = 'H23-%05d' % (4100 + i)
        out['hospital_admissions'] = evs
        # shelter: arrival order, families together
        evs = sorted(E['shelter_airport'], key=lambda e: e['t'])
        for i, e in enumerate(evs):
            e['rid'] = 'SH%05d' % (i + 1)
        out['shelter_airport'] = evs
        # crossings: order of crossing; ids restart each day
        evs = sorted(E['kornidzor_crossings'], key=lambda e: e['t'])
        perday = Counter()
        for e in evs:
            d = e['t'].strftime('%m%d')
            perday[d] += 1
            e['rid'] = 'KRN-%s-%05d' % (d, perday[d])
        out['kornidzor_crossings'] = evs
        # peacekeepers' bulletin: by bulletin date, then settlement, then family
        evs = sorted(E['rpk_bulletin'], key=lambda e: (e['t'].date(), e['row']['home_place'], e.get('group') or 0,
                                                       e['t']))
        for i, e in enumerate(evs):
            e['rid'] = 'RPK-%s-%03d' % (e['t'].strftime('%d%m'), i + 1)
        out['rpk_bulletin'] = evs
        evs = sorted(E['detainees_az'], key=lambda e: e['t'])
        for i, e in enumerate(evs):
            e['rid'] = 'AZ-%04d' % (i + 1)
        out['detainees_az'] = evs
        return out


def write_outputs(W, ordered, outdir, shuffle, seed):
    os.makedirs(outdir, exist_ok=True)
    srng = random.Random(seed * 7919 + 17)
    lists_json = {}
    truth = []
    counts = {}
    for lst, kind in LISTS:
        evs = ordered[lst]
        rows = list(evs)
        if shuffle:
            srng.shuffle(rows)
        fn = lst + '.csv'
        cols = COLUMNS[lst]
        with open(os.path.join(outdir, fn), 'w', newline='', encoding='utf-8') as f:
            w = csv.writer(f)
            w.writerow(cols)
            for e in rows:
                r = dict(e['row'])
                r['record_id'] = e['rid']
                w.writerow([r.get(c, '') for c in cols])
        lists_json[fn] = {'source': lst, 'kind': kind}
        counts[lst] = len(evs)
        for e in evs:
            truth.append((lst, e['rid'], e['p'].pid))
        ids = [e['rid'] for e in evs]
        assert len(ids) == len(set(ids)), lst
    with open(os.path.join(outdir, 'lists.json'), 'w', encoding='utf-8') as f:
        json.dump(lists_json, f, indent=2, ensure_ascii=False)
    with open(os.path.join(outdir, 'truth.csv'), 'w', newline='', encoding='utf-8') as f:
        w = csv.writer(f)
        w.writerow(['source', 'record_id', 'person_key'])
        for t in sorted(truth, key=lambda x: (x[2], x[0], x[1])):
            w.writerow(t)
    # summary
    by_person = Counter(t[2] for t in truth)
    true_pairs = sum(n * (n - 1) // 2 for n in by_person.values())
    fates = Counter()
    obs_fates = Counter()
    for p in W.persons:
        fates[p.fate] += 1
        if p.n_events:
            obs_fates[p.fate] += 1
    pair_kinds = Counter()
    kind_of = dict(LISTS)
    per = defaultdict(list)
    for lst, rid, pk in truth:
        per[pk].append(kind_of[lst])
    for ks in per.values():
        for i in range(len(ks)):
            for j in range(i + 1, len(ks)):
                pair_kinds['|'.join(sorted((ks[i], ks[j])))] += 1
    variations = {}
    for lst, kind in LISTS:
        c = Counter()
        for e in ordered[lst]:
            c.update(e.get('flags', ()))
            sysname = e.get('sys')
            if sysname:
                c['script:' + sysname] += 1
        variations[lst] = dict(sorted(c.items()))
    summary = {'people': len(by_person), 'records': len(truth), 'records_per_person': round(len(truth) / len(by_person), 3),
               'true_pairs': true_pairs, 'rows_per_list': counts, 'shuffled': shuffle,
               'simulated_population': len(W.persons), 'households': len(W.households),
               'fates_simulated': dict(fates), 'fates_observed': dict(obs_fates),
               'records_per_person_hist': dict(sorted(Counter(by_person.values()).items())),
               'true_pairs_by_kind_pair': dict(pair_kinds.most_common()),
               'variations_per_list': variations}
    with open(os.path.join(outdir, 'summary.json'), 'w', encoding='utf-8') as f:
        json.dump(summary, f, indent=2, ensure_ascii=False)
    return summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--people', type=int, default=2000, help='distinct people appearing on at least one list')
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--out', required=True)
    ap.add_argument('--shuffle', action='store_true', help='write every list in random row order')
    a = ap.parse_args(argv)
    if a.people < 1:
        ap.error('--people must be >= 1')
    W = World(a.seed)
    W.run(a.people)
    W.render_all()
    ordered = W.order_and_ids()
    s = write_outputs(W, ordered, a.out, a.shuffle, a.seed)
    print(json.dumps({k: s[k] for k in ('people', 'records', 'records_per_person', 'true_pairs', 'rows_per_list')},
                     ensure_ascii=False))


if __name__ == '__main__':
    main()
