"""Run a command against a throwaway PostgreSQL 15 cluster, then stop and remove the cluster.

    python tests/pgcluster.py -- pytest -m "not browser"

The cluster lives in a temporary directory, listens only on a Unix socket and a loopback port,
and is gone afterwards. As root (CI, these machines) the server runs as the `postgres` user,
since PostgreSQL refuses to run as root. DATABASE_URL is set for the command.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def find_bindir() -> Path:
    explicit = os.environ.get("PG_BINDIR")
    candidates = [explicit] if explicit else sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    raise SystemExit("pgcluster: no PostgreSQL server binaries (initdb) found; install postgresql-15")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main(argv: list[str]) -> int:
    if "--" not in argv:
        raise SystemExit("usage: pgcluster.py -- COMMAND [ARGS...]")
    command = argv[argv.index("--") + 1 :]
    bindir = find_bindir()
    root = Path(tempfile.mkdtemp(prefix="rollcall-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    as_user: list[str] = []
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        for path in (root, sockets):
            os.chown(path, pw.pw_uid, pw.pw_gid)
        as_user = ["runuser", "-u", "postgres", "--"]
    port = free_port()
    log = root / "server.log"
    try:
        subprocess.run(
            [*as_user, str(bindir / "initdb"), "-D", str(data), "-U", "rollcall", "--auth=trust", "-E", "UTF8",
             "--locale=C.UTF-8", "--no-sync"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        options = f"-k {sockets} -p {port} -h 127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(50):
            if (
                subprocess.run(
                    [str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)], capture_output=True
                ).returncode
                == 0
            ):
                break
            time.sleep(0.2)
        subprocess.run(
            [str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "rollcall", "rollcall"],
            check=True,
        )
        env = dict(os.environ, DATABASE_URL=f"postgres://rollcall@127.0.0.1:{port}/rollcall")
        print(f"pgcluster: PostgreSQL running on 127.0.0.1:{port}", file=sys.stderr, flush=True)
        return subprocess.call(command, env=env)
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
                           stdout=subprocess.DEVNULL, check=False)  # fmt: skip
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
