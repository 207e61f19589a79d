"""Settings come only from environment variables, read through these typed helpers."""

from __future__ import annotations

import ipaddress
import os
from pathlib import Path
from urllib.parse import unquote, urlparse


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}={value!r}: expected 1/0, true/false, yes/no or on/off")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}: expected a whole number") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return float(value)
    except ValueError:
        raise ValueError(f"{name}={value!r}: expected a number") from None


def env_networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Comma-separated addresses or CIDR networks ("10.0.0.1, 172.16.0.0/12, ::1"); empty by default."""
    networks = []
    for item in os.environ.get(name, "").split(","):
        if not item.strip():
            continue
        try:
            networks.append(ipaddress.ip_network(item.strip(), strict=False))
        except ValueError:
            raise ValueError(
                f"{name}: {item.strip()!r} is not an IP address or network (e.g. 10.0.0.1 or 10.0.0.0/8)"
            ) from None
    return tuple(networks)


def rollcall_home() -> Path:
    """The one data directory: SQLite database, kept uploaded files, exports."""
    return Path(os.environ.get("ROLLCALL_HOME") or "rollcall-data").resolve()


def database_from_url(url: str, home: Path) -> dict[str, object]:
    """DATABASE_URL (postgres://user:pass@host:port/name) or the embedded SQLite default."""
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(home / "rollcall.sqlite3"),
            # WAL lets readers proceed during an import; IMMEDIATE avoids "database is locked"
            # upgrades when two writers start transactions at once.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql"}:
        raise ValueError(f"DATABASE_URL: unsupported scheme {parts.scheme!r} (use postgres://)")
    options: dict[str, object] = {}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(parts.port or ""),
        "OPTIONS": options,
        "CONN_MAX_AGE": 60,
    }
