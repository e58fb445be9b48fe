"""A bounded load test on loopback: gunicorn with the shipped settings, N users at once.

Each user is a thread with its own keep-alive connection and a logged-in session (made
with the test client in the same database), requesting without pause: first the mixed
pages (case list, case page, dashboard) for the given time, then the floor page alone.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.urls import reverse

from bench.generate import database_url
from bench.run import SHIPPED, percentile
from meldcode.models import User
from tests.two_factor import TwoFactorClient

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session(username: str) -> str:
    client = TwoFactorClient(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _server(port: int, workers: int, database: str, log) -> subprocess.Popen:
    env = {**os.environ, **SHIPPED, "DATABASE_URL": database_url(database),
           # The sessions were signed here: the server must check them with the same key.
           "SECRET_KEY": settings.SECRET_KEY,
           # DEBUG off needs an attachment key; the load test reads no attachment.
           "ATTACHMENT_KEYS": os.environ.get("ATTACHMENT_KEYS") or Fernet.generate_key().decode(),
           "PYTHONPATH": str(ROOT)}
    if not (ROOT / "staticfiles" / "staticfiles.json").exists():  # DEBUG=0 needs the manifest
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=ROOT, env=env, check=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "bench.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--timeout", "30", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


def _phase(port: int, cookie: str, urls: list[str], users: int, seconds: float) -> dict:
    stop = time.monotonic() + seconds
    latencies, errors, statuses = [], [0], {}
    lock = threading.Lock()

    def user(offset: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=35)
        k = offset
        mine, bad, seen = [], 0, {}
        while time.monotonic() < stop:
            url = urls[k % len(urls)]
            k += 1
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=35)
                status = 0
            mine.append(time.perf_counter() - started)
            seen[status] = seen.get(status, 0) + 1
            if status != 200:
                bad += 1
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad
            for key, value in seen.items():
                statuses[key] = statuses.get(key, 0) + value

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"requests": len(latencies), "seconds": round(elapsed, 1),
            "per_second": round(len(latencies) / elapsed, 1),
            "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
            "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
            "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
            "errors": errors[0], "statuses": {str(k): v for k, v in statuses.items()}}


def run(info: dict, args, *, database: str) -> dict:
    port = _free_port()
    cookie = f"{settings.SESSION_COOKIE_NAME}={_session(info['af'])}"
    mixed = [reverse("case_list"), reverse("case_detail", kwargs={"case_id": info["case_20"]}),
             reverse("dashboard")]
    log_path = ROOT / "bench" / "results" / "gunicorn.log"
    with open(log_path, "w") as log:
        server = _server(port, args.workers, database, log)
        try:
            warm = _phase(port, cookie, mixed + ["/bench/floor/"], min(args.users, 8), 2)
            if warm["errors"] == warm["requests"]:
                raise RuntimeError(f"gunicorn answered no request: see {log_path}")
            result = {"users": args.users, "workers": args.workers,
                      "mixed": _phase(port, cookie, mixed, args.users, args.load_seconds),
                      "floor": _phase(port, cookie, ["/bench/floor/"], args.users,
                                      args.load_seconds)}
        finally:
            server.terminate()
            server.wait(timeout=30)
    result["mixed_vs_floor"] = round(result["mixed"]["per_second"]
                                     / result["floor"]["per_second"], 2)
    return result
