"""Run the test suite on PostgreSQL, with Chromium for the browser tests.

Database, in this order: $DATABASE_URL; a server answering on 127.0.0.1:5432; otherwise a
throwaway cluster made with Debian's PostgreSQL binaries in a temporary folder (the
`postgresql` package is installed with apt-get when absent), stopped afterwards. The
backup tests need `pg_dump`/`pg_restore`: `postgresql-client` is installed when absent.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def log(message: str) -> None:
    print(f"[make test] {message}", flush=True)


def port_open(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def apt_install(*packages: str) -> None:
    if os.geteuid() != 0:
        sys.exit(f"Missing {', '.join(packages)}; install it with apt-get (needs root).")
    log(f"apt-get install {' '.join(packages)}")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)


def ensure_chromium() -> None:
    if not Path(CHROMIUM).exists():
        apt_install("chromium")


def ensure_pg_client() -> None:
    """pg_dump and pg_restore, for the backup tests."""
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        apt_install("postgresql-client")


def pg_bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


class ThrowawayCluster:
    """A PostgreSQL cluster in a temporary folder, trust auth, stopped on exit."""

    def __init__(self):
        bindir = pg_bindir()
        if bindir is None:
            apt_install("postgresql")
            bindir = pg_bindir()
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="meldcode-pg-"))
        self.port = free_port()
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            shutil.chown(self.dir, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> str:
        data = self.dir / "data"
        self.run(str(self.bindir / "initdb"), "-D", str(data), "-U", "postgres",
                 "--auth=trust", "-E", "UTF8")
        self.run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"),
                 "-w", "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1",
                 "start")
        for _ in range(50):
            if port_open("127.0.0.1", self.port):
                break
            time.sleep(0.2)
        else:
            raise SystemExit(f"PostgreSQL did not start; see {self.dir / 'log'}")
        log(f"throwaway PostgreSQL on port {self.port}")
        return f"postgres://postgres@127.0.0.1:{self.port}/meldcode"

    def stop(self) -> None:
        subprocess.run([*self.as_user, str(self.bindir / "pg_ctl"), "-D",
                        str(self.dir / "data"), "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL, check=False)
        shutil.rmtree(self.dir, ignore_errors=True)


def main() -> int:
    ensure_chromium()
    ensure_pg_client()
    env = dict(os.environ)
    cluster = None
    if env.get("DATABASE_URL"):
        log("using DATABASE_URL")
    elif port_open("127.0.0.1", 5432):
        env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/meldcode"
        log("using PostgreSQL on 127.0.0.1:5432")
    else:
        cluster = ThrowawayCluster()
    env.setdefault("DEBUG", "1")
    # Test uploads must not land in the working tree.
    media = tempfile.mkdtemp(prefix="meldcode-media-")
    env.setdefault("PRIVATE_MEDIA_ROOT", media)
    try:
        if cluster is not None:
            env["DATABASE_URL"] = cluster.start()
        # One worker per core (pytest-xdist): each has its own test database, and the
        # browser tests their own live server and Chromium.
        cmd = [sys.executable, "-m", "pytest", "-n", "auto", *sys.argv[1:]]
        return subprocess.run(cmd, cwd=ROOT, env=env, check=False).returncode
    finally:
        shutil.rmtree(media, ignore_errors=True)
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())
