"""The field report's facts as the demo's claims and events.

Source: Mark Dovich, "Officials meet for 'reintegration' talks as Karabakh death toll tops 200",
CivilNet, 21 September 2023 (../shared/seeds/000_3e3f317ea0a504ae.txt). Times are UTC; Wednesday is
20 September 2023, Yerevan/Stepanakert local time is UTC+4. Times of day the report does not give
are our reading of "Wednesday afternoon/evening" and are marked as such in the quotes' context.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

CITATION: dict[str, Any] = {
    "publisher": "CivilNet",
    "url": "https://www.civilnet.am/en/news/751159/officials-meet-for-reintegration-talks-as-karabakh-death-toll-tops-200/",
    "date": date(2023, 9, 21),
}
PUBLISHED = datetime(2023, 9, 21, 10, 0, tzinfo=UTC)
WEDNESDAY_EVENING = datetime(2023, 9, 20, 16, 0, tzinfo=UTC)  # 20:00 in Stepanakert
NK = "Nagorno-Karabakh authorities"


def claim_facts() -> list[dict[str, Any]]:
    return [
        {
            "key": "nk-killed-0920",
            "metric": "killed",
            "low": 200,
            "more_than": True,
            "scope": "all",
            "source": NK,
            "as_of": WEDNESDAY_EVENING,
            "reported_at": WEDNESDAY_EVENING,
            "place": "nagorno-karabakh",
            "quote": "More than 200 people have been killed and 400 wounded, according to the latest update Wednesday "
            "evening from the authorities in Nagorno-Karabakh. Those figures include both civilian and military "
            "casualties and are likely to rise further",
        },
        {
            "key": "nk-injured-0920",
            "metric": "injured",
            "low": 400,
            "more_than": True,
            "scope": "all",
            "source": NK,
            "as_of": WEDNESDAY_EVENING,
            "reported_at": WEDNESDAY_EVENING,
            "place": "nagorno-karabakh",
            "quote": "More than 200 people have been killed and 400 wounded",
        },
        {
            "key": "evacuated-0920",
            "metric": "evacuated",
            "low": 7000,
            "more_than": True,
            "scope": "civilian",
            "source": NK,
            "as_of": WEDNESDAY_EVENING,
            "reported_at": PUBLISHED,
            "place": "nagorno-karabakh",
            "quote": "More than 7,000 civilians have been evacuated or fled from villages reportedly seized by Azerbaijani troops.",
        },
        {
            "key": "airport-sheltered-0921",
            "metric": "sheltered",
            "low": 2000,
            "more_than": True,
            "scope": "civilian",
            "source": "CivilNet",
            "as_of": PUBLISHED,
            "reported_at": PUBLISHED,
            "place": "stepanakert-airport",
            "quote": "Thousands of displaced people have temporarily relocated to the non-functioning Stepanakert airport, "
            "which is controlled by Russian peacekeepers.",
        },
        {
            "key": "baku-corridor-0921",
            "metric": "corridor_open",
            "best": 1,
            "scope": "civilian",
            "source": "Government of Azerbaijan",
            "as_of": PUBLISHED,
            "reported_at": PUBLISHED,
            "place": "lachin-corridor",
            "asserts_open": "lachin-corridor",
            "status": "contested",
            "quote": "Azerbaijan's claim that \u201chumanitarian corridors\u201d have been opened to allow Armenians to leave "
            "Nagorno-Karabakh for Armenia through the Lachin corridor",
        },
        {
            "key": "civilnet-crossed-0921",
            "metric": "crossed",
            "best": 0,
            "scope": "civilian",
            "source": "CivilNet",
            "as_of": PUBLISHED,
            "reported_at": PUBLISHED,
            "place": "lachin-corridor",
            "quote": "so far no Armenian has left the region.",
        },
        {
            "key": "missing-0921",
            "metric": "missing",
            "low": 200,
            "more_than": True,
            "scope": "all",
            "source": "CivilNet",
            "as_of": PUBLISHED,
            "reported_at": PUBLISHED,
            "place": "nagorno-karabakh",
            "quote": "Hundreds more are missing.",
        },
        {
            "key": "population-0921",
            "metric": "population",
            "best": 120000,
            "scope": "civilian",
            "source": "CivilNet",
            "as_of": PUBLISHED,
            "reported_at": PUBLISHED,
            "place": "nagorno-karabakh",
            "quote": "Azerbaijan\u2019s blockade had pushed Nagorno-Karabakh\u2019s roughly 120,000 Armenians to the brink of famine",
        },
    ]


def event_facts() -> list[dict[str, Any]]:
    sources = ["CivilNet"]
    return [
        {
            "key": "strikes-0919",
            "occurred_on": date(2023, 9, 19),
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Shelling/artillery/missile attack",
            "actors": ["Military Forces of Azerbaijan"],
            "place": "nagorno-karabakh",
            "sources": sources,
            "notes": "Azerbaijan launched strikes across Nagorno-Karabakh, the worst hostilities since the 2020 war.",
        },
        {
            "key": "peacekeepers-0920",
            "occurred_on": date(2023, 9, 20),
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Shelling/artillery/missile attack",
            "actors": ["Russian peacekeeping contingent"],
            "place": "chankatagh",
            "sources": ["Russian peacekeepers' daily bulletin", "CivilNet"],
            "notes": "Russian servicemen were killed after their vehicle was shelled returning to an observation post near "
            "Chankatagh; number not given.",
        },
        {
            "key": "ceasefire-0920",
            "occurred_on": date(2023, 9, 20),
            "event_type": "Strategic developments",
            "sub_event_type": "Agreement",
            "actors": ["Nagorno-Karabakh authorities", "Government of Azerbaijan"],
            "place": "nagorno-karabakh",
            "sources": sources,
            "notes": "Russian-brokered ceasefire on Wednesday afternoon; the Artsakh Defense Army to be fully dissolved.",
        },
        {
            "key": "talks-0921",
            "occurred_on": date(2023, 9, 21),
            "event_type": "Strategic developments",
            "sub_event_type": "Agreement",
            "actors": ["Davit Melkumyan (Nagorno-Karabakh)", "Ramin Mammadov (Azerbaijan)"],
            "place": "yevlakh",
            "sources": sources,
            "notes": "'Reintegration' talks in Yevlakh; Russian peacekeepers escorted Nagorno-Karabakh's negotiators.",
        },
    ]
