"""A rollcall home served by the real command (`rollcall serve`: gunicorn and its worker) for the browser tests, and the
Debian chromium that Playwright drives against it. One way to do it, shared by every browser test module."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from rollcall.reports import CHROMIUM_FLAGS

CHROMIUM = "/usr/bin/chromium"


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (apt-get install chromium); .ci/run installs it")


def clean_env() -> dict[str, str]:
    """The environment without the test run's own settings, so the command uses the home it is given."""
    return {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "ROLLCALL_HOME", "DATABASE_URL"}}


def rollcall(home: Path, *args: str, timeout: int = 600) -> str:
    """Run `rollcall --home HOME ARGS...` as a user would; its standard output."""
    result = subprocess.run([sys.executable, "-m", "rollcall.cli", "--home", str(home), *args], env=clean_env(),
                            capture_output=True, text=True, timeout=timeout)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def in_django(home: Path, code: str, *argv: str) -> None:
    """Run Python `code` with Django set up on `home` (sys.argv[2:] are `argv`): accounts and states a test needs."""
    setup = "import sys; from rollcall.cli import setup_django; setup_django(sys.argv[1]);"
    subprocess.run([sys.executable, "-c", setup + code, str(home), *argv], env=clean_env(), check=True, timeout=120)


@contextmanager
def served(home: Path) -> Iterator[str]:
    """`rollcall serve` on a free loopback port with one worker; yields its base URL and stops it afterwards."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    process = subprocess.Popen(
        [sys.executable, "-m", "rollcall.cli", "--home", str(home), "serve", "--port", str(port), "--workers", "1"],
        env=clean_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("the server did not start")
        yield base
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page: Any, name: str) -> None:
    """Kept for a person to look at when ROLLCALL_SCREENSHOTS names a folder (never committed)."""
    folder = os.environ.get("ROLLCALL_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
