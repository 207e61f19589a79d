"""Import throughput: a 100k-row CSV and a 100k-person PFIF file through `rollcall import`.

Each import runs as the real command in a fresh data directory (SQLite), in its own process,
so that its peak memory (max RSS) is its own. Run: python bench/bench_import.py [--quick]
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def make_csv(path: Path, rows: int) -> None:
    from rollcall_core.demo import iter_names

    rng = random.Random(7)
    statuses = ["missing", "alive", "injured", "dead", "unknown"]
    places = ["Stepanakert", "Martuni", "Martakert", "Askeran", "Shushi", "Hadrut", "Chartar", "Berdzor"]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["record_id", "full_name", "sex", "birth_date", "home_place", "status", "current_place", "notes"]
        )
        for i, name in enumerate(iter_names(rows, 11)):
            writer.writerow(
                [
                    f"r{i}",
                    name,
                    rng.choice(["female", "male"]),
                    f"{rng.randint(1930, 2020)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    rng.choice(places),
                    rng.choice(statuses),
                    rng.choice(["", "Goris", "Stepanakert airport"]),
                    "",
                ]
            )


def make_pfif(path: Path, persons: int) -> None:
    from rollcall_core.demo import iter_names
    from rollcall_core.formats import PfifNote, PfifPerson, write_pfif

    def people():  # type: ignore[no-untyped-def]
        for i, name in enumerate(iter_names(persons, 12)):
            note = PfifNote(
                note_record_id=f"bench.rollcall.local/note.{i}",
                person_record_id=f"bench.rollcall.local/person.{i}",
                linked_person_record_id="",
                author_name="Tracing desk",
                author_contact="",
                source_date="2023-09-22T10:00:00Z",
                status="believed_missing",
                author_made_contact=False,
                last_known_location="",
                text="",
                extra={},
            )
            yield PfifPerson(
                person_record_id=f"bench.rollcall.local/person.{i}",
                fields={"full_name": name, "home_place": "Stepanakert"},
                extra={},
                notes=(note,),
            )

    with path.open("wb") as handle:
        write_pfif(people(), handle, domain="bench.rollcall.local")


def timed_import(path: Path, fmt: str) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of `rollcall import` in a fresh home, in a child process.

    CPU seconds (user + system) change little when other work shares the machine; wall seconds do.
    """
    home = Path(tempfile.mkdtemp(prefix="rollcall-bench-home-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "ROLLCALL_HOME"}}
    # Create and migrate the home first, so the timing is the import alone.
    subprocess.run(
        [sys.executable, "-m", "rollcall.cli", "--home", str(home), "search", "x"],
        env=env,
        check=True,
        capture_output=True,
    )
    # A fresh wrapper process measures its one child, so earlier benchmarks' children don't count.
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "used = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(time.perf_counter() - t, used.ru_utime + used.ru_stime, used.ru_maxrss)\n"
    )
    command = [
        sys.executable,
        "-m",
        "rollcall.cli",
        "--home",
        str(home),
        "import",
        str(path),
        "--source",
        "bench",
        "--format",
        fmt,
    ]
    try:
        out = subprocess.run(
            [sys.executable, "-c", wrapper, *command], env=env, check=True, capture_output=True, text=True
        ).stdout
    finally:
        # Each home holds a 100k-record database: six runs would leave about a gigabyte behind.
        shutil.rmtree(home, ignore_errors=True)
    seconds, cpu_seconds, max_rss_kib = out.split()
    return float(seconds), float(cpu_seconds), int(max_rss_kib) / 1024


def load_average() -> str:
    """The 1-minute load average: on a shared machine it says how much the figures were squeezed."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def run(quick: bool = False) -> str:
    rows = 10_000 if quick else 100_000
    repeats = 1 if quick else 3
    load_before = load_average()
    work = Path(tempfile.mkdtemp(prefix="rollcall-bench-import-"))
    csv_path, pfif_path = work / "list.csv", work / "persons.pfif.xml"
    make_csv(csv_path, rows)
    make_pfif(pfif_path, rows)
    lines = [
        "## Import",
        "",
        f"`rollcall import` of a {rows:,}-row CSV ({csv_path.stat().st_size / 2**20:.1f} MiB) and a {rows:,}-person PFIF 1.4 file "
        f"({pfif_path.stat().st_size / 2**20:.1f} MiB, one note each), each into a fresh SQLite home; the names index is written "
        f"in the same transaction. Median of {repeats} runs; peak memory is the importing process's max RSS. Command: `make bench`.",
        "",
        "| file | rows | median seconds | fastest-slowest (s) | rows/s (median) | CPU seconds (median) | rows per CPU second | peak memory (MiB) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    measured: dict[str, list[tuple[float, float, float]]] = {}
    try:
        for label, path, fmt in (("CSV", csv_path, "csv"), ("PFIF 1.4", pfif_path, "pfif")):
            measured[label] = [timed_import(path, fmt) for _ in range(repeats)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    for label, results in measured.items():
        times = [r[0] for r in results]
        seconds = statistics.median(times)
        cpu = statistics.median(r[1] for r in results)
        peak = max(r[2] for r in results)
        lines.append(
            f"| {label} | {rows:,} | {seconds:.1f} | {min(times):.1f}-{max(times):.1f} | {rows / seconds:,.0f} "
            f"| {cpu:.1f} | {rows / cpu:,.0f} | {peak:,.0f} |"
        )
    # The machines are shared (six engineers on two cores when these figures were refreshed): the
    # load average says how contended a run was, so that two runs' figures can be compared fairly.
    lines += [
        "",
        f"1-minute load average on the {os.cpu_count()}-core machine: {load_before} when the run started, "
        f"{load_average()} when it ended. Above the core count, other work competed for the CPU: wall "
        "seconds are longer than on an idle machine, and rows per CPU second is the fairer figure to compare.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
