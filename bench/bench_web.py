"""The web app under concurrent load on loopback: requests per second and latency percentiles.

A fresh data directory gets one list of synthetic names (`rollcall import`), then `rollcall serve`
(gunicorn, 2 workers, SQLite) answers concurrent clients on 127.0.0.1 for a fixed time per page:
the public home, the public search (names from the list, so each search finds people), a public
person page and the public JSON search. The public rate limit is lifted for the run (it would
otherwise answer most requests with 429). Run: python bench/bench_web.py [--quick]
"""

from __future__ import annotations

import csv
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLIENTS = 8
WORKERS = 2


def make_list(path: Path, rows: int, seed: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "src"))
    from rollcall_core.demo import iter_names

    names = list(iter_names(rows, seed))
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "full_name", "birth_date", "current_place"])
        for i, name in enumerate(names):
            writer.writerow([f"b{i}", name, str(rng.randint(1930, 2020)), "a shelter"])
    return names


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL"}}
    env["ROLLCALL_HOME"] = str(home)
    env["ROLLCALL_PUBLIC_SEARCHES_PER_MINUTE"] = str(10**9)
    env["PYTHONPATH"] = str(ROOT / "src")
    return env


def fetch(url: str) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started


def load(urls: list[str], seconds: float) -> dict[str, float]:
    """CLIENTS threads fetch the URLs round-robin for `seconds`; returns rps and latency percentiles."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(offset: int) -> None:
        nonlocal errors
        i = offset
        while time.perf_counter() < deadline:
            status, took = fetch(urls[i % len(urls)])
            i += CLIENTS
            with lock:
                latencies.append(took)
                errors += status != 200

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * ordered[len(ordered) // 2],
        "p95_ms": 1000 * ordered[int(len(ordered) * 0.95)],
        "errors": errors,
    }


def run(quick: bool = False) -> str:
    rows = 5_000 if quick else 50_000
    seconds = 3.0 if quick else 10.0
    repeats = 3
    with tempfile.TemporaryDirectory(prefix="rollcall-bench-web-") as folder:
        home = Path(folder) / "home"
        listing = Path(folder) / "list.csv"
        names = make_list(listing, rows, seed=7)
        env = command_env(home)
        rollcall = [sys.executable, "-m", "rollcall.cli", "--home", str(home)]
        subprocess.run(
            [*rollcall, "import", str(listing), "--source", "bench"], env=env, check=True, capture_output=True
        )
        port = free_port()
        server = subprocess.Popen(
            [*rollcall, "serve", "--port", str(port), "--workers", str(WORKERS)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    fetch(base + "/")
                    break
                except OSError:
                    time.sleep(0.2)
            rng = random.Random(11)
            queries = [urllib.parse.quote(name) for name in rng.sample(names, 200)]
            with urllib.request.urlopen(f"{base}/api/public/search?q={queries[0]}") as response:
                public_ids = [m["person_id"] for m in json.load(response)]
            pages = {
                "public home `/`": [base + "/"],
                "public search `/?q=`": [f"{base}/?q={q}" for q in queries],
                "public person page `/p/<id>/`": [f"{base}/p/{pid}/" for pid in public_ids],
                "public JSON search `/api/public/search?q=`": [
                    f"{base}/api/public/search?q={q}" for q in queries
                ],
            }
            figures = {}
            for title, urls in pages.items():
                load(urls, 1.0)  # warm-up
                runs = [load(urls, seconds) for _ in range(repeats)]
                figures[title] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)
    lines = [
        "## Web",
        "",
        f"`rollcall serve` (gunicorn, {WORKERS} workers, SQLite, the database cache for the rate limiter) "
        f"with {rows:,} records; {CLIENTS} concurrent clients on loopback, {seconds:.0f} s per page, "
        f"median of {repeats} runs. Every request is a new connection (urllib).",
        "",
        "| page | requests/s | p50 ms | p95 ms | non-200 |",
        "|---|---:|---:|---:|---:|",
    ]
    for title, f in figures.items():
        lines.append(
            f"| {title} | {f['rps']:.0f} | {f['p50_ms']:.1f} | {f['p95_ms']:.1f} | {f['errors']:.0f} |"
        )
    lines += [
        "",
        f"Reproduce: `make bench` (or `python bench/bench_web.py{' --quick' if quick else ''}`); "
        "measured on a 2-core / 24 GiB machine, where client threads and server share the cores.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
