"""The `rollcall` command: a stable, scriptable contract (DESIGN.md, "Interfaces").

Every subcommand's --help is its reference; docs/commands.md is generated from it and checked in CI.
Exit status 0 on success; non-zero with a one-line reason on stderr on failure.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

PROG = "rollcall"
EXIT_FAILURE = 1
EXIT_USAGE = 2


class CommandError(Exception):
    """A failure to report as one line on stderr."""


# ----------------------------------------------------------------------------- set-up


def setup_django(home: str | None) -> None:
    """Point Django at the data directory, then create and migrate its database if needed."""
    if home:
        os.environ["ROLLCALL_HOME"] = str(Path(home).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rollcall.settings")
    import django

    django.setup()
    migrate_if_needed()


def migrate_if_needed() -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    from rollcall.registry.roles import ensure_role_groups

    ensure_role_groups()


# ----------------------------------------------------------------------------- commands


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the web app with gunicorn and run the background workers beside it (one per queue)."""
    import subprocess

    from rollcall.progress import ProgressBar
    from rollcall.registry.search import ensure_current_index

    # Searches on an index of older keys would miss spellings: bring it up to date first.
    if ensure_current_index(progress=ProgressBar("the names index is from an older version; rebuilding")):
        print("rollcall: names index rebuilt", flush=True)
    from django.conf import settings

    env = dict(os.environ)
    # One worker per queue: imports and linkage on "default", estimates on their own.
    workers = [
        subprocess.Popen([sys.executable, "-m", "django", "db_worker", "--interval", "1", "--queue-name", queue],
                         env=env)
        for queue in settings.TASK_QUEUES
    ]  # fmt: skip
    bind = f"{args.host}:{args.port}"
    print(
        f"rollcall: serving http://{bind}/ (data in {os.environ.get('ROLLCALL_HOME')}); Ctrl-C stops",
        flush=True,
    )
    command = [
        sys.executable, "-m", "gunicorn", "rollcall.wsgi:application",
        "--bind", bind, "--workers", str(args.workers), "--threads", "4",
        "--timeout", "300", "--access-logfile", "-",
    ]  # fmt: skip
    try:
        return subprocess.call(command, env=env)
    except KeyboardInterrupt:
        return 0
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()


def cmd_demo(args: argparse.Namespace) -> int:
    from rollcall.demo import load_demo
    from rollcall.registry.models import Record

    if args.if_empty and Record.objects.exists():
        print("rollcall: the database already has records; demo not loaded")
        return 0
    load_demo(people=args.people, seed=args.seed, out=sys.stdout, link=not args.no_link)
    return 0


def _parse_map(pairs: Sequence[str]) -> dict[str, str]:
    from rollcall_core.schema import CANONICAL_COLUMNS

    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.partition("=")
        if not sep or not column.strip():
            raise CommandError(f"--map {pair!r}: expected COLUMN=FIELD, e.g. --map 'Фамилия=family_name'")
        # COLUMN= (no field) keeps the column as extra data even when its header is recognised.
        if field.strip() and field.strip() not in CANONICAL_COLUMNS:
            raise CommandError(
                f"--map {pair!r}: {field.strip()!r} is not a column; use one of {', '.join(CANONICAL_COLUMNS)}"
            )
        mapping[column.strip()] = field.strip()
    return mapping


def cmd_import(args: argparse.Namespace) -> int:
    from rollcall.progress import ProgressBar
    from rollcall.registry.actions import ImportFailed, do_import_list, write_rejects

    path = Path(args.file)
    try:
        report = do_import_list(
            path,
            source_name=args.source,
            kind=args.kind,
            format=args.format,
            column_map=_parse_map(args.map or []),
            sheet=args.sheet,
            dry_run=args.dry_run,
            progress=ProgressBar(f"importing {path.name}"),
        )
    except ImportFailed as error:
        raise CommandError(str(error)) from error
    print(report.summary())
    if report.mapping and not report.already_imported:
        mapped = ", ".join(f"{k} -> {v}" for k, v in report.mapping.items())
        print(f"columns: {mapped}")
        if report.unmapped:
            print(f"kept as extra data (no canonical column): {', '.join(report.unmapped)}")
    for reject in report.rejected[:10]:
        print(f"  rejected line {reject.line}, {reject.field or 'row'}: {reject.reason}")
    if len(report.rejected) > 10:
        print(f"  ... and {len(report.rejected) - 10} more")
    if report.rejected:
        from django.conf import settings

        rejects_path = (
            Path(args.rejects)
            if args.rejects
            else Path(settings.HOME) / "rejects" / f"{path.stem}-{report.sha256[:12]}-rejects.csv"
        )
        rejects_path.parent.mkdir(parents=True, exist_ok=True)
        with rejects_path.open("w", encoding="utf-8-sig", newline="") as out:
            headers = list(report.rejected[0].raw.keys())
            for reject in report.rejected:
                headers += [h for h in reject.raw if h not in headers]
            write_rejects(report.rejected, headers, out)
        print(f"rejected rows written to {rejects_path}: correct them and import that file again")
    return 0


def cmd_link(args: argparse.Namespace) -> int:
    from rollcall.linkage.actions import LinkageError, do_link

    try:
        report = do_link(engine=args.engine)
    except LinkageError as error:
        raise CommandError(str(error)) from error
    print(report.summary())
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from rollcall.progress import ProgressBar
    from rollcall.registry.search import index_is_current, rebuild_index

    if index_is_current() and not args.rebuild:
        print("the names index is current")
        return 0
    written = rebuild_index(progress=ProgressBar("indexing names"))
    print(f"names index rebuilt: {written} keys")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from rollcall.registry.search import SearchFilters, index_is_current, search_persons

    if args.limit < 1 or args.limit > 1000:
        raise CommandError("--limit: expected a number from 1 to 1000")
    if not index_is_current():
        raise CommandError("the names index was built by an older version: run `rollcall index` first")
    filters = SearchFilters(
        sex=args.sex or "", birth_year=args.birth_year, age=args.age, home_place=args.home_place or ""
    )
    results = search_persons(args.query, limit=args.limit, filters=filters)
    if args.json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2))
        return 0
    if not results:
        print("no match")
    for result in results:
        lists = "; ".join(f"{r['source']}:{r['record_id']}" for r in result.records)
        print(f"{result.score:5.3f}  {result.person_id}  {result.display_name}  [{lists}]")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from rollcall.registry.exports import export

    binary = args.what == "pfif"
    if args.out:
        out_path = Path(args.out)
        partial = out_path.with_name(out_path.name + ".partial")
        with partial.open(
            "wb" if binary else "w", **({} if binary else {"encoding": "utf-8", "newline": ""})
        ) as out:
            export(args.what, out)
        partial.replace(out_path)
        print(f"wrote {out_path}", file=sys.stderr)
    else:
        export(args.what, sys.stdout.buffer if binary else sys.stdout)
        sys.stdout.flush()
    return 0


def cmd_estimate(args: argparse.Namespace) -> int:
    from rollcall.estimates import EstimateFailed, run_estimate

    try:
        return run_estimate(args)
    except EstimateFailed as error:
        # Raised as this module's CommandError: under `python -m rollcall.cli` the module is __main__.
        raise CommandError(str(error)) from error


def cmd_report(args: argparse.Namespace) -> int:
    from rollcall.reports import run_report

    return run_report(args)


def cmd_erase(args: argparse.Namespace) -> int:
    from django.contrib.auth.models import User

    from rollcall.registry.actions import ErasureRefused, do_erase_person
    from rollcall.registry.models import Person, find_person

    person = Person.objects.filter(public_id=args.person_id).first()
    if person is None:
        # Never follow a merged person's old id to erase someone else: name it and stop.
        successor, moved = find_person(args.person_id)
        if moved and successor is not None:
            raise CommandError(
                f"no person {args.person_id!r}: its records joined person {successor.public_id!r}; "
                "check that person's page, then erase it by that id if that is what you mean"
            )
        raise CommandError(f"no person {args.person_id!r}")
    admin = User.objects.filter(username=args.as_user).first()
    if admin is None:
        raise CommandError(f"--as {args.as_user!r}: no such user")
    try:
        erased = do_erase_person(person, user=admin, reason=args.reason)
    except ErasureRefused as error:
        raise CommandError(str(error)) from error
    print(f"erased the personal data of {erased} record(s) of person {args.person_id}; the act is in the audit log")
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    from rollcall.registry.users import create_user

    password = create_user(args.username, role=args.role, email=args.email or "")
    print(f"created {args.role} {args.username!r}; password (shown once): {password}")
    return 0


# ----------------------------------------------------------------------------- parser


def _counted(least: int) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``least``, refused by name otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{value} is less than {least}")
        return value

    return parse


_positive, _positive_or_zero = _counted(1), _counted(0)


def build_parser() -> argparse.ArgumentParser:
    from rollcall_core.schema import LIST_KINDS

    parser = argparse.ArgumentParser(
        prog=PROG,
        description=(
            "rollcall accounts for people in a crisis: a registry of lists kept exactly as received, "
            "name search across scripts, multiple systems estimation and a sourced situation picture. "
            "Data lives in --home DIR or $ROLLCALL_HOME (default ./rollcall-data, SQLite); "
            "set DATABASE_URL=postgres://... for PostgreSQL. A fresh home is created and migrated on first use."
        ),
    )
    parser.add_argument(
        "--home", metavar="DIR", help="data directory (default: $ROLLCALL_HOME or ./rollcall-data)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(
        name: str, handler: Callable[[argparse.Namespace], int], help_text: str
    ) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    serve = add("serve", cmd_serve, "Serve the web app (gunicorn) and its background workers: one for imports and linkage, one for estimates.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")

    demo = add(
        "demo",
        cmd_demo,
        "Load a reproducible synthetic scenario of the September 2023 crisis, with demo staff accounts.",
    )
    demo.add_argument(
        "--people", type=int, default=2000, help="size of the synthetic population (default 2000)"
    )
    demo.add_argument("--seed", type=int, default=2023, help="random seed (default 2023)")
    demo.add_argument(
        "--if-empty", action="store_true", help="do nothing if the database already has records"
    )
    demo.add_argument(
        "--no-link", action="store_true", help="import the lists without linking them (run `rollcall link` later)"
    )

    imp = add(
        "import",
        cmd_import,
        "Import one list (CSV, XLSX, PFIF XML or HXL-tagged CSV), kept exactly as received.",
    )
    imp.add_argument("file", metavar="FILE", help="the file to import")
    imp.add_argument(
        "--source",
        required=True,
        metavar="NAME",
        help="who the list came from, e.g. 'Stepanakert Republican Hospital'",
    )
    imp.add_argument(
        "--kind",
        default="other",
        choices=LIST_KINDS,
        metavar="KIND",
        help=f"list kind: {', '.join(LIST_KINDS)} (default other)",
    )
    imp.add_argument(
        "--format",
        default="auto",
        choices=("auto", "csv", "xlsx", "pfif", "hxl"),
        help="file format (default auto: detected)",
    )
    imp.add_argument(
        "--map",
        action="append",
        metavar="COLUMN=FIELD",
        help="map a column to a canonical field (repeatable), e.g. --map 'Фамилия=family_name'; "
        "'COLUMN=' keeps a column as extra data even if rollcall recognises its header",
    )
    imp.add_argument("--sheet", metavar="NAME", help="XLSX sheet to read (default: the first)")
    imp.add_argument("--dry-run", action="store_true", help="report what would happen and store nothing")
    imp.add_argument(
        "--rejects",
        metavar="FILE",
        help="where to write rejected rows as CSV (default: under the data directory)",
    )

    link = add("link", cmd_link, "Link records of the same person across and within lists.")
    link.add_argument(
        "--engine", default="duckdb", choices=("duckdb", "spark"), help="Splink backend (default duckdb)"
    )

    search = add("search", cmd_search, "Search persons by name in any script; ranked.")
    search.add_argument("query", metavar="QUERY", help="a name, in any script, whole or partial")
    search.add_argument("--limit", type=int, default=10, help="how many persons (default 10, at most 1000)")
    search.add_argument(
        "--json", action="store_true", help="print a JSON array of {person_id, display_name, score, records}"
    )
    search.add_argument(
        "--sex", choices=("female", "male", "other", "unknown"), help="only persons of this sex"
    )
    search.add_argument(
        "--birth-year", type=int, metavar="YEAR", help="only records born that year (or with no birth date)"
    )
    search.add_argument(
        "--age", type=int, metavar="YEARS", help="only records whose age fits (within 3 years)"
    )
    search.add_argument(
        "--home-place", metavar="PLACE", help="only records from this place, by any of its names"
    )

    index = add(
        "index",
        cmd_index,
        "Build the names index again (needed only after an upgrade changes the name keys).",
    )
    index.add_argument("--rebuild", action="store_true", help="rebuild even if it is current")

    exp = add(
        "export",
        cmd_export,
        "Export records, persons, PFIF 1.4 XML or HXL-tagged CSV (contains restricted data; audited).",
    )
    exp.add_argument("what", choices=("records", "persons", "pfif", "hxl"), help="what to export")
    exp.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")

    est = add(
        "estimate", cmd_estimate, "Estimate how many people no list recorded (multiple systems estimation)."
    )
    group = est.add_mutually_exclusive_group(required=True)
    group.add_argument(
        "--status", metavar="STATUS", help="estimate from the registry: persons with this status (e.g. dead)"
    )
    group.add_argument(
        "--table", metavar="COUNTS.csv", help="estimate from a capture-history table (0/1 columns + Freq)"
    )
    est.add_argument(
        "--by",
        metavar="FIELD",
        help="also estimate each stratum of home_place, sex, age_band, category or status_date (with "
        "--status; status_date groups by --window); the total comes first, strata that cannot be estimated say why",
    )
    est.add_argument(
        "--window",
        choices=("week", "month"),
        help="with --by status_date: group deaths by the week (Monday to Sunday, the default) or the month of "
        "the earliest date their records give",
    )
    est.add_argument(
        "--method",
        default="default",
        choices=("default", "loglinear", "dga", "lcmcr", "all"),
        help="method (default: chosen by the table: log-linear models, with a model-averaged interval, for 3 "
        "to 5 lists; LCMCR latent classes for 6 or more, which the output says; loglinear and dga refuse "
        "more than 5 lists); all runs the three",
    )
    est.add_argument("--seed", type=int, default=1, help="random seed for samplers (default 1)")
    sampler = est.add_argument_group(
        "LCMCR sampler", "settings for the latent class sampler, wherever it runs (docs/estimation.md); "
        "when its chains disagree, run longer or with --split-merge 5 --replicas 10 --coldest 0.6",
    )  # fmt: skip
    sampler.add_argument("--chains", type=_positive, metavar="N", help="chains (default 4)")
    sampler.add_argument("--burn-in", type=_positive_or_zero, metavar="N",
                         help="iterations discarded at the start of each chain (default 10000)")  # fmt: skip
    sampler.add_argument("--draws", type=_positive, metavar="N", help="draws kept per chain (default 1000)")
    sampler.add_argument("--thinning", type=_positive, metavar="N",
                         help="iterations between kept draws (default 500)")  # fmt: skip
    sampler.add_argument("--split-merge", type=_positive_or_zero, metavar="N",
                         help="split-merge moves tried per iteration (default 0; needs numba)")  # fmt: skip
    sampler.add_argument("--replicas", type=_positive, metavar="N",
                         help="parallel-tempering replicas per chain (default 1: none; needs numba)")  # fmt: skip
    sampler.add_argument("--coldest", type=float, metavar="BETA",
                         help="with --replicas: the lowest inverse temperature, between 0 and 1 (default 0.1)")  # fmt: skip
    est.add_argument(
        "--json",
        action="store_true",
        help="print JSON: {method, observed, estimate, lower, upper, model, lists}; an array with "
        "--method all or --by (each entry with its stratum; a refusal has null figures and an error)",
    )

    rep = add("report", cmd_report, "Write a situation report.")
    rep.add_argument("--format", default="html", choices=("html", "pdf", "md"), help="format (default html)")
    rep.add_argument(
        "--out", metavar="FILE", help="write to FILE (default: standard output; required for pdf)"
    )

    erase = add("erase", cmd_erase, "Erase a person's personal data (an admin's audited act with a stated reason).")
    erase.add_argument("person_id", metavar="PERSON_ID", help="the person's id, as in exports and search results")
    erase.add_argument("--reason", required=True, help="why: the person's own request, a retention period ...")
    erase.add_argument("--as", dest="as_user", required=True, metavar="ADMIN", help="the admin account taking responsibility")

    user = add("user", cmd_user, "Create a staff account with a role; prints its generated password once.")
    user.add_argument("username")
    user.add_argument("--role", required=True, choices=("caseworker", "analyst", "admin"))
    user.add_argument("--email", help="e-mail address for notifications")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        setup_django(args.home)
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except CommandError as error:
        print(f"{PROG} {args.command}: {error}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print(f"{PROG} {args.command}: interrupted; nothing half-written was kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as error:  # noqa: BLE001 - the contract is one line on stderr, not a traceback
        if os.environ.get("ROLLCALL_DEBUG"):
            raise
        print(f"{PROG} {args.command}: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":
    raise SystemExit(main())
