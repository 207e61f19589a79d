"""`make bench`: run every bench/bench_*.py and write their figures to docs/benchmarks.md.

python bench/run.py [--quick] [--only names,import]
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TARGET = ROOT / "docs" / "benchmarks.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} cores ({cpu}), {mem_gib:.0f} GiB, Python {platform.python_version()}, {platform.system()} {platform.release()}"


def load(path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    # Registered before it runs, as a normal import would: @dataclass and pickling look the module up by name.
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--only", help="comma-separated areas, e.g. names,import")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    wanted = set(args.only.split(",")) if args.only else None
    sections = []
    for path in sorted(HERE.glob("bench_*.py")):
        area = path.stem.removeprefix("bench_")
        if wanted and area not in wanted:
            continue
        started = time.monotonic()
        print(f"bench: {area} ...", file=sys.stderr, flush=True)
        try:
            sections.append(load(path).run(quick=args.quick).rstrip() + "\n")
        except Exception as error:  # noqa: BLE001 - one failing bench must not hide the others' figures
            sections.append(f"## {area}\n\nFAILED: {type(error).__name__}: {error}\n")
        print(f"bench: {area} done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    header = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (`python bench/run.py{' --quick' if args.quick else ''}`) on "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC at commit {commit or 'uncommitted'}.",
        f"Machine: {machine()}.",
        "Machines are shared and noisy: compare ratios within one run; figures are medians of repeats where stated.",
        "",
    ]
    if wanted and TARGET.exists():
        # Replace only the sections that ran, keep the others' last figures.
        kept = TARGET.read_text(encoding="utf-8").split("\n## ")[1:]
        # Titles compared without "## " and case ("## Import" from a bench, "## import" from a failure),
        # so that a section is replaced in place rather than added again at the end.
        fresh = {s.split("\n", 1)[0].removeprefix("## ").strip().lower(): s for s in sections}
        merged = []
        for old in kept:
            title = old.split("\n", 1)[0].strip().lower()
            merged.append(fresh.pop(title, "## " + old.rstrip() + "\n"))
        sections = merged + list(fresh.values())
    TARGET.write_text(
        "\n".join(header) + "\n".join(s if s.startswith("## ") else s for s in sections), encoding="utf-8"
    )
    print(TARGET.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
