"""The field report's facts as plain data for the situation-picture demo.

Source: Mark Dovich, "Officials meet for 'reintegration' talks as Karabakh death toll tops 200",
CivilNet, 21 September 2023 (/work/shared/seeds/000_3e3f317ea0a504ae.txt). Quotes are verbatim
(typographic quotes and apostrophes as published). "Wednesday" is 20 September 2023 and "Thursday"
21 September; the report gives no clock times, so dates carry a precision instead of invented hours.
Place values are gazetteer keys (rollcall_core.gazetteer).
"""

from __future__ import annotations

SOURCES: tuple[dict[str, str], ...] = (
    {
        "key": "civilnet-2023-09-21",
        "publisher": "CivilNet",
        "title": "Officials meet for ‘reintegration’ talks as Karabakh death toll tops 200",
        "author": "Mark Dovich",
        "published": "2023-09-21",
        "kind": "media",
    },
)

_SOURCE = "civilnet-2023-09-21"

# A claim is one number someone reported. "more_than" marks a floor ("more than 200"), in which case
# only `low` is known; `reported_by` is who the report attributes the figure to.
CLAIMS: tuple[dict[str, object], ...] = (
    {
        "metric": "killed",
        "low": 200,
        "best": None,
        "high": None,
        "more_than": True,
        "as_of": "2023-09-20",
        "reported": "2023-09-20",
        "scope_place": "nagorno-karabakh",
        "scope_category": "all",
        "reported_by": "Nagorno-Karabakh authorities",
        "source": _SOURCE,
        "quote": "More than 200 people have been killed and 400 wounded, according to the latest update "
        "Wednesday evening from the authorities in Nagorno-Karabakh.",
    },
    {
        "metric": "wounded",
        "low": 400,
        "best": 400,
        "high": None,
        "more_than": False,
        "as_of": "2023-09-20",
        "reported": "2023-09-20",
        "scope_place": "nagorno-karabakh",
        "scope_category": "all",
        "reported_by": "Nagorno-Karabakh authorities",
        "source": _SOURCE,
        "quote": "More than 200 people have been killed and 400 wounded, according to the latest update "
        "Wednesday evening from the authorities in Nagorno-Karabakh.",
    },
    {
        "metric": "displaced",
        "low": 7000,
        "best": None,
        "high": None,
        "more_than": True,
        "as_of": "2023-09-21",
        "reported": "2023-09-21",
        "scope_place": "nagorno-karabakh",
        "scope_category": "civilian",
        "reported_by": "CivilNet",
        "source": _SOURCE,
        "quote": "More than 7,000 civilians have been evacuated or fled from villages reportedly seized by "
        "Azerbaijani troops.",
    },
    {
        "metric": "sheltering",
        "low": 2000,
        "best": None,
        "high": None,
        "more_than": True,
        "as_of": "2023-09-21",
        "reported": "2023-09-21",
        "scope_place": "stepanakert-airport",
        "scope_category": "civilian",
        "reported_by": "CivilNet",
        "source": _SOURCE,
        "quote": "Thousands of displaced people have temporarily relocated to the non-functioning Stepanakert "
        "airport, which is controlled by Russian peacekeepers.",
        "notes": "'Thousands' read as at least 2,000; no figure given.",
    },
    {
        "metric": "crossed_to_armenia",
        "low": 0,
        "best": 0,
        "high": 0,
        "more_than": False,
        "as_of": "2023-09-21",
        "reported": "2023-09-21",
        "scope_place": "lachin-corridor",
        "scope_category": "all",
        "reported_by": "CivilNet",
        "source": _SOURCE,
        "quote": "Despite Azerbaijan’s claim that “humanitarian corridors” have been opened to allow Armenians "
        "to leave Nagorno-Karabakh for Armenia through the Lachin corridor, so far no Armenian has left the region.",
        "notes": "Contradicts Baku's claim that humanitarian corridors were open.",
    },
    {
        "metric": "missing",
        "low": 200,
        "best": None,
        "high": None,
        "more_than": True,
        "as_of": "2023-09-21",
        "reported": "2023-09-21",
        "scope_place": "nagorno-karabakh",
        "scope_category": "all",
        "reported_by": "CivilNet",
        "source": _SOURCE,
        "quote": "Hundreds more are missing. That includes Siranush Adamyan, a CivilNet reporter based in "
        "Stepanakert.",
        "notes": "'Hundreds' read as at least 200; no figure given.",
    },
    {
        "metric": "population",
        "low": None,
        "best": 120000,
        "high": None,
        "more_than": False,
        "as_of": "2023-09-21",
        "reported": "2023-09-21",
        "scope_place": "nagorno-karabakh",
        "scope_category": "civilian",
        "reported_by": "CivilNet",
        "source": _SOURCE,
        "quote": "Azerbaijan’s blockade had pushed Nagorno-Karabakh’s roughly 120,000 Armenians to the brink "
        "of famine",
        "notes": "'roughly'; after more than nine months of blockade.",
    },
    {
        "metric": "peacekeepers_killed",
        "low": 1,
        "best": None,
        "high": None,
        "more_than": False,
        "as_of": "2023-09-20",
        "reported": "2023-09-20",
        "scope_place": "chankatagh",
        "scope_category": "military",
        "reported_by": "Russian peacekeepers",
        "source": _SOURCE,
        "quote": "An unknown number of Russian peacekeepers have also been killed in this week’s clashes.",
        "notes": "Number not given; 'servicemen were killed' implies at least one.",
    },
)

# Events in the spirit of ACLED's event types and sub-types; fatalities None where the report gives
# no number for that event.
EVENTS: tuple[dict[str, object], ...] = (
    {
        "date": "2023-09-19",
        "precision": "day",
        "type": "Explosions/Remote violence",
        "sub_type": "Shelling/artillery/missile attack",
        "actors": ("Military Forces of Azerbaijan", "Artsakh Defense Army"),
        "place": "nagorno-karabakh",
        "fatalities": None,
        "source": _SOURCE,
        "notes": "“Azerbaijan launched strikes across Nagorno-Karabakh”, 24 hours before the ceasefire.",
    },
    {
        "date": "2023-09-20",
        "precision": "day",
        "type": "Explosions/Remote violence",
        "sub_type": "Shelling/artillery/missile attack",
        "actors": ("Unidentified armed group", "Russian peacekeepers"),
        "place": "chankatagh",
        "fatalities": None,
        "source": _SOURCE,
        "notes": "“Russian servicemen were killed” after their vehicle was shelled returning to a Russian "
        "observation post near the village of Chankatagh; number and side not given.",
    },
    {
        "date": "2023-09-20",
        "precision": "day",
        "type": "Strategic developments",
        "sub_type": "Agreement",
        "actors": ("Nagorno-Karabakh government", "Government of Azerbaijan", "Russia (mediator)"),
        "place": "nagorno-karabakh",
        "fatalities": 0,
        "source": _SOURCE,
        "notes": "Russian-brokered ceasefire Wednesday afternoon; the Artsakh Defense Army to be fully "
        "dissolved; Armenia did not take part.",
    },
    {
        "date": "2023-09-21",
        "precision": "day",
        "type": "Strategic developments",
        "sub_type": "Agreement",
        "actors": ("Davit Melkumyan (Nagorno-Karabakh)", "Ramin Mammadov (Azerbaijan)"),
        "place": "yevlakh",
        "fatalities": 0,
        "source": _SOURCE,
        "notes": "Talks on “reintegrating” Nagorno-Karabakh into Azerbaijan, Thursday morning; Russian "
        "peacekeepers escorted the negotiators.",
    },
    {
        "date": "2023-09-21",
        "precision": "day",
        "type": "Strategic developments",
        "sub_type": "Displacement",
        "actors": ("Civilians (Nagorno-Karabakh)", "Russian peacekeepers"),
        "place": "stepanakert-airport",
        "fatalities": 0,
        "source": _SOURCE,
        "notes": "Thousands sheltering at the non-functioning airport under Russian peacekeepers.",
    },
)
