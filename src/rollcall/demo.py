"""Load the synthetic September 2023 scenario through the same import path users take."""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.contrib.auth.models import User

from rollcall.progress import ProgressBar
from rollcall.registry.actions import do_import_list, do_load_gazetteer
from rollcall.registry.users import create_user
from rollcall.situation.actions import load_situation_demo
from rollcall_core.demo import write_scenario

DEMO_ACCOUNTS = (("caseworker", "caseworker"), ("analyst", "analyst"), ("admin", "admin"))


def create_demo_accounts(out: TextIO) -> None:
    """Staff accounts for trying rollcall; their passwords are printed once, here, and never stored in clear."""
    for username, role in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        password = create_user(username, role=role)
        print(f"demo account {username!r} ({role}): password {password}", file=out)


# Above this the batch run takes minutes (see docs/benchmarks.md, Linkage): a large demo is for benchmarks,
# which time `rollcall link` themselves.
LINK_DEMO_MAX_PEOPLE = 50_000


def load_demo(*, people: int, seed: int, out: TextIO, link: bool = True) -> None:
    if people < 10 or people > 2_000_000:
        raise ValueError("--people: expected a number from 10 to 2,000,000")
    do_load_gazetteer()
    target = Path(settings.HOME) / "demo" / f"seed{seed}-people{people}"
    manifest = write_scenario(
        target, people=people, seed=seed, progress=ProgressBar("generating the scenario")
    )
    for demo_list in manifest.lists:
        report = do_import_list(
            target / demo_list.filename,
            source_name=demo_list.source,
            kind=demo_list.kind,
            progress=ProgressBar(f"importing {demo_list.filename}"),
        )
        print(report.summary(), file=out)
    events = load_situation_demo()
    print(f"situation picture: {events} facts of the field report entered", file=out)
    if link and people > LINK_DEMO_MAX_PEOPLE:
        print(f"lists not linked: over {LINK_DEMO_MAX_PEOPLE:,} people, run `rollcall link` when you choose", file=out)
    elif link:
        # Linked, so that a first visit shows what the app is for: one person across lists, a review queue,
        # estimates. The same batch run as `rollcall link`; a few seconds at the default size.
        from rollcall.linkage.actions import LinkageError, do_link

        try:
            print(do_link().summary(), file=out)
        except LinkageError as error:  # a very small demo may have too few pairs to train on
            print(f"lists not linked ({error}); run `rollcall link` when there are more records", file=out)
    create_demo_accounts(out)
    print(
        f"demo scenario loaded: {people} people, seed {seed}; ground truth in {manifest.truth_path}", file=out
    )
