"""What every benchmark shares.

A benchmark builds its data in a fresh PostgreSQL database, serves it with gunicorn started from
the Procfile's own `web` line (production settings, Redis cache), and compares what it measures
against a floor measured in the same run, in alternating rounds, because these machines are
shared and their speed drifts. Besides wall time it reports CPU time per request, worker and
database backends together: it is far steadier than requests per second.
"""

import contextlib
import http.client
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
VAR = ROOT / "bench" / "var"
PG_SERVER = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
TICKS = os.sysconf("SC_CLK_TCK")


def database_url(name):
    return f"{PG_SERVER}/bench_{name}"


def environment(db_url, **extra):
    """Production settings on this machine: DEBUG off, Redis cache, no HTTPS redirect."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mentoring.settings",
        "DATABASE_URL": db_url,
        "REDIS_URL": REDIS_URL,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "VAR_DIR": str(VAR),
        "LOG_LEVEL": "WARNING",
        **{key: str(value) for key, value in extra.items()},
    }


def fresh_database(name, **extra_env):
    """Drops and re-creates ``bench_<name>``, migrates it, collects the static files, and sets
    Django up in this process against it (to build the data with the ORM). Returns its URL."""
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "bench_{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "bench_{name}"')
    url = database_url(name)
    env = environment(url, **extra_env)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()
    return url


def session_cookie(user):
    """A signed-in session for ``user``, made directly (no sign-in form, no rate limit)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _procfile_web():
    for line in (ROOT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.split(":", 1)[1].strip()
    raise RuntimeError("The Procfile has no web line")


class Server:
    """gunicorn as the Procfile starts it (``env`` may set WEB_CONCURRENCY and the like)."""

    def __init__(self, db_url, **env):
        self.port = _free_port()
        self.db_name = db_url.rsplit("/", 1)[1]
        command = f"{_procfile_web()} --no-control-socket"
        env = environment(db_url, BIND=f"127.0.0.1:{self.port}", **env)
        env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
        self.process = subprocess.Popen(
            ["bash", "-c", f"exec {command}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped: {self.process.stderr.read().decode()[-2000:]}")
            with contextlib.suppress(OSError):
                if request(self.port, "/healthz")[0] in (200, 503) and len(self.worker_pids()) >= 1:
                    break
            time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer in 30 s")

    def worker_pids(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def database_pids(self):
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.db_name]
            ).fetchall()
        return [row[0] for row in rows]

    def cpu_seconds(self):
        """CPU time so far of the workers and of the database backends serving this database."""
        return sum(process_cpu(pid) for pid in [*self.worker_pids(), *self.database_pids()])

    def cpu_snapshot(self):
        """CPU time so far of each worker and database backend, by (kind, process id); see ``cpu_used``."""
        return {
            **{("workers", pid): process_cpu(pid) for pid in self.worker_pids()},
            **{("database", pid): process_cpu(pid) for pid in self.database_pids()},
        }

    def cpu_used(self, snapshot):
        """CPU time used since ``snapshot`` by the processes alive now: {"workers": s, "database": s}.

        Unlike a difference of two ``cpu_seconds()``, a database backend that ended meanwhile (its
        connection reached CONN_MAX_AGE) does not take its whole past off the total; what it used
        since the snapshot before ending is lost, which errs low, by little, and never below zero.
        """
        used = {"workers": 0.0, "database": 0.0}
        for (kind, pid), cpu in self.cpu_snapshot().items():
            used[kind] += max(cpu - snapshot.get((kind, pid), 0.0), 0.0)
        return used

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def process_cpu(pid):
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


def request(port, path, cookie=None, connection=None):
    """GET ``path``: (status, seconds, body size). Reuses ``connection`` when given (keep-alive)."""
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
    if cookie:
        headers["Cookie"] = cookie
    start = time.perf_counter()
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - start
    if own:
        connection.close()
    return response.status, elapsed, len(body)


def alternate(measures, rounds):
    """Runs each measure once per round, in an order that rotates, and returns each one's results."""
    names = list(measures)
    results = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            results[name].append(measures[name]())
    return results


def spread(values, scale=1.0, digits=0):
    """'median (min–max)' of ``values`` times ``scale``."""
    values = [value * scale for value in values]
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def machine():
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    return f"{os.cpu_count()} cores, {cpu}, {memory} GiB, Python {platform.python_version()}, {platform.platform()}"


def write_result(name, markdown):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(markdown.strip() + "\n")
    print(markdown)
