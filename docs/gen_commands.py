"""Generate docs/commands.md from the `rollcall` command's own --help, or check that it is current.

python docs/gen_commands.py           # rewrite docs/commands.md
python docs/gen_commands.py --check   # exit 1 if docs/commands.md differs from --help (CI)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = HERE / "commands.md"


def render() -> str:
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal width: fix it so output is stable
    sys.path.insert(0, str(HERE.parent / "src"))
    from rollcall.cli import build_parser

    parser = build_parser()
    parser.prog = "rollcall"
    parts = [
        "# The `rollcall` command",
        "",
        "Generated from `rollcall --help` by `make docs`; CI fails if this page and the command disagree.",
        "Exit status is 0 on success and non-zero with a one-line reason on standard error on failure.",
        "",
        "```text",
        parser.format_help().rstrip(),
        "```",
    ]
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        sub.prog = f"rollcall {name}"
        parts += ["", f"## rollcall {name}", "", "```text", sub.format_help().rstrip(), "```"]
    return "\n".join(parts) + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print("docs/commands.md is out of date with `rollcall --help`: run `make docs`", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
