"""`make bench`: Rongrian against a bare Flask + SQLAlchemy baseline, side by side, on PostgreSQL.

Both apps run under gunicorn with the same settings (gunicorn.conf.py, 2 sync workers) on the
same database, and wrk (from Debian) loads one endpoint at a time, alternating between the
baseline and Rongrian for ``BENCH_ROUNDS`` rounds so that a noisy neighbour on a shared machine
weighs on both alike. Figures are reported as ratios to the baseline of the same run.

Environment (all optional):

    BENCH_DATABASE     database name (default bench_rongrian); dropped and created afresh
    BENCH_SERVER       PostgreSQL server URL without a database (postgresql://postgres@127.0.0.1)
    BENCH_CASES        comma-separated stages of total cases (default 100000,1000000)
    BENCH_SECONDS      seconds per wrk run (default 10)
    BENCH_ROUNDS       rounds of every endpoint per stage (default 2; the median is kept)
    BENCH_CONNECTIONS  wrk connections (default 4)
    BENCH_APP_DIR      serve Rongrian from another checkout (a before/after comparison)
    BENCH_KEEP=1       keep the database afterwards (it is dropped by default: 1M cases ~ 2 GB)
    BENCH_RESULTS      the JSON results file (default bench/results/latest.json)
    BENCH_WEBHOOK_RATE     LINE events per second (default 50)
    BENCH_WEBHOOK_SECONDS  seconds of LINE events (default 20)

The published statistics (/stats and /api/v1/stats for the whole previous fiscal year, the one
holding most seeded cases) are loaded by wrk at every stage with the app's per-process cache of
figures off (STATS_CACHE_SECONDS=0), so each request computes them; their target compares the
last stage with the first. Beside them, bench/figures.py times the same year's figures computed
from the cases (as before the rollup) and read from the rollup, straight from the domain.

The LINE webhook is driven by bench/paced.py, a small Python client at a fixed rate (Debian's
wrk has no fixed-rate mode), with signed bodies and LINE's API faked on 127.0.0.1
(lineoa.simulator.FakeLine); it runs once, after the last stage.
"""

from __future__ import annotations

import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench import bare as bare_app

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LUA = ROOT / "bench" / "load.lua"

SUBJECT = "ถนนชำรุดเป็นหลุมบ่อ"
DETAILS = "ถนนหน้าบ้านเลขที่ 12 ซอยเทศบาล 3 เป็นหลุมลึก รถจักรยานยนต์ล้มไปแล้วสองคัน ขอให้ซ่อมด่วน"
REPORTER = {"name": "นายสมชาย ใจดี", "phone": "081 234 5678"}
UNLIMITED = "1000000 per second"

# Targets of issue 12, as ratios within one run.
FILING_TARGET = 0.6  # filing throughput >= 0.6 x the bare insert
TRACKING_TARGET = 2.0  # tracking p95 <= 2 x the bare select
RSS_TARGET_MB = 150
STATS_TARGET = 2.0  # /stats at the last stage (1M) <= 2 x at the first (100k), by p95
WEBHOOK_TARGET_MS = 200  # p99 acknowledgement at 50 events/s
RULES = "rules"  # bench/rules.py's application_name
LINE_SECRET = secrets.token_hex(16)  # this run's LINE channel secret (the fake LINE is local)


def env(name: str, default: str) -> str:
    return os.environ.get(name) or default


class Settings:
    def __init__(self):
        self.database = env("BENCH_DATABASE", "bench_rongrian")
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", self.database) or self.database == "test":
            raise SystemExit(f"bench: refusing database name {self.database!r}")
        self.server = env("BENCH_SERVER", "postgresql://postgres@127.0.0.1").rstrip("/")
        self.stages = [int(n) for n in env("BENCH_CASES", "100000,1000000").split(",")]
        self.seconds = int(env("BENCH_SECONDS", "10"))
        self.rounds = int(env("BENCH_ROUNDS", "2"))
        self.connections = int(env("BENCH_CONNECTIONS", "4"))
        self.app_dir = Path(env("BENCH_APP_DIR", str(ROOT))).resolve()
        self.keep = env("BENCH_KEEP", "0") == "1"
        self.results = Path(env("BENCH_RESULTS", str(ROOT / "bench" / "results" / "latest.json")))
        self.webhook_rate = float(env("BENCH_WEBHOOK_RATE", "50"))
        self.webhook_seconds = float(env("BENCH_WEBHOOK_SECONDS", "20"))
        self.url = f"{self.server}/{self.database}"
        self.sa_url = self.url.replace("postgresql://", "postgresql+psycopg://", 1)

    def app_url(self, application: str, driver: bool = False) -> str:
        """The database URL a server connects with, named so its backends can be told apart."""
        return f"{self.sa_url if driver else self.url}?application_name={application}"


def log(message: str) -> None:
    print(f"[{datetime.now().strftime('%H:%M:%S')}] {message}", flush=True)


# --- the database ---------------------------------------------------------------------------


def recreate_database(s: Settings) -> None:
    with psycopg.connect(f"{s.server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{s.database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{s.database}"')


def drop_database(s: Settings) -> None:
    with psycopg.connect(f"{s.server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{s.database}" WITH (FORCE)')


def fill_bare(s: Settings, total: int) -> None:
    """The baseline's table holds as many rows as there are cases (ids 1..total)."""
    with psycopg.connect(s.url, autocommit=True) as conn:
        have = conn.execute("SELECT coalesce(max(id), 0) FROM bench_bare").fetchone()[0]
        if have < total:
            conn.execute(
                "INSERT INTO bench_bare (id, subject, details, created_at) "
                "SELECT n, %s, %s, now() FROM generate_series(%s::int, %s::int) AS n",
                (SUBJECT, DETAILS, have + 1, total),
            )
            conn.execute(
                "SELECT setval(pg_get_serial_sequence('bench_bare', 'id'), "
                "(SELECT max(id) FROM bench_bare))"
            )
            conn.execute("ANALYZE bench_bare")


# --- the servers ----------------------------------------------------------------------------


class Server:
    def __init__(self, name: str, target: str, port: int, chdir: Path, environ: dict, logs: Path):
        self.name, self.port = name, port
        self.log = (logs / f"gunicorn-{name}.log").open("w")
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--worker-class",
                "sync",
                "--chdir",
                str(chdir),
                target,
            ],
            env=environ,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait(self, path: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: {self.name} server exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url(path), timeout=5):
                    return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"bench: {self.name} server did not start; see {self.log.name}")

    def worker_pids(self) -> list[int]:
        """The workers: the master's children."""
        pids = []
        for proc in Path("/proc").glob("[0-9]*"):
            with suppress(OSError, AttributeError, ValueError):
                status = (proc / "status").read_text()
                if int(re.search(r"PPid:\s+(\d+)", status).group(1)) == self.process.pid:
                    pids.append(int(proc.name))
        return pids

    def worker_rss_mb(self) -> list[float]:
        """The resident memory of each worker, in MB."""
        sizes = []
        for pid in self.worker_pids():
            with suppress(OSError, AttributeError):
                status = Path(f"/proc/{pid}/status").read_text()
                kb = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1))
                sizes.append(round(kb / 1024, 1))
        return sorted(sizes)

    def worker_private_mb(self) -> list[float]:
        """Each worker's own memory (USS: private pages, not the libraries it shares), in MB."""
        sizes = []
        for pid in self.worker_pids():
            with suppress(OSError, AttributeError):
                rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
                kb = sum(int(n) for n in re.findall(r"Private_(?:Clean|Dirty):\s+(\d+) kB", rollup))
                sizes.append(round(kb / 1024, 1))
        return sorted(sizes)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()


# --- CPU time: robust on a shared machine, where wall-clock figures swing with the neighbours ---


def cpu_seconds(pids) -> dict[int, float]:
    """user + system CPU seconds of each process (clock ticks from /proc/<pid>/stat)."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for pid in pids:
        with suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[pid] = (int(fields[11]) + int(fields[12])) / tick
    return out


def backends(url: str, application: str) -> list[int]:
    """The PostgreSQL server processes serving one app's connections."""
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE application_name = %s", (application,)
        ).fetchall()
    return [row[0] for row in rows]


class CpuMeter:
    """CPU spent by a server's workers and their database backends between two readings."""

    def __init__(self, server: Server, url: str):
        self.server, self.url = server, url

    def read(self) -> tuple[dict, dict]:
        return (
            cpu_seconds(self.server.worker_pids()),
            cpu_seconds(backends(self.url, self.server.name)),
        )

    @staticmethod
    def spent(before: tuple[dict, dict], after: tuple[dict, dict]) -> tuple[float, float]:
        return tuple(
            round(sum(t - b.get(pid, 0.0) for pid, t in a.items()), 3)
            for b, a in zip(before, after, strict=True)
        )


# --- HTTP helpers (setting up, not measuring) -------------------------------------------------


def post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def form_session(url: str) -> tuple[str, str]:
    """A form's session cookie and CSRF token, as a browser gets them with the page."""
    with urllib.request.urlopen(url, timeout=30) as response:
        page = response.read().decode()
        cookie = response.headers.get("Set-Cookie", "").split(";", 1)[0]
    return cookie, csrf_token(page)


def csrf_token(page: str) -> str:
    """The CSRF token a form page carries."""
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if token is None:
        token = re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    return token.group(1)


# --- wrk ------------------------------------------------------------------------------------


class Load:
    """One endpoint as wrk loads it."""

    def __init__(
        self, name, server, path, body, *, form=False, cookie="", max_id=1, codes=None, get=False
    ):
        self.name, self.server, self.path, self.get = name, server, path, get
        self.meter: CpuMeter | None = None
        self.body, self.form, self.cookie = body, form, cookie
        self.max_id, self.codes = max_id, codes

    def run(self, work: Path, seconds: int, connections: int) -> dict:
        body_file = work / "body.txt"
        out = work / "out.json"
        if self.get:
            text = ""
        elif self.form:
            text = urllib.parse.urlencode(self.body)
            for mark in ("CODE", "TOKEN"):
                text = text.replace(urllib.parse.quote(f"%{mark}%"), f"%{mark}%")
        else:
            text = json.dumps(self.body, ensure_ascii=False).replace('"%ID%"', "%ID%")
        body_file.write_text(text)
        out.unlink(missing_ok=True)
        environ = {
            **os.environ,
            "BENCH_BODY_FILE": str(body_file),
            "BENCH_TYPE": "application/x-www-form-urlencoded" if self.form else "application/json",
            "BENCH_COOKIE": self.cookie,
            "BENCH_MAX_ID": str(self.max_id),
            "BENCH_CODES_FILE": str(self.codes or ""),
            "BENCH_OUT": str(out),
            "BENCH_METHOD": "GET" if self.get else "POST",
        }
        before = self.meter.read() if self.meter else None
        subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "30s",
                "-s",
                str(LUA),
                self.server.url(self.path),
            ],
            env=environ,
            check=True,
            capture_output=True,
        )
        figures = json.loads(out.read_text())
        figures["rps"] = round(figures["requests"] / figures["seconds"], 1)
        if before is not None:
            app_cpu, db_cpu = CpuMeter.spent(before, self.meter.read())
            requests = max(1, figures["requests"])
            figures["app_cpu_ms"] = round(app_cpu * 1000 / requests, 3)
            figures["db_cpu_ms"] = round(db_cpu * 1000 / requests, 3)
            figures["cpu_ms"] = round((app_cpu + db_cpu) * 1000 / requests, 3)
        return figures


def median_of(runs: list[dict]) -> dict:
    keys = ("rps", "p50_ms", "p95_ms", "p99_ms", "mean_ms", "app_cpu_ms", "db_cpu_ms", "cpu_ms")
    merged = {k: round(statistics.median(r[k] for r in runs), 3) for k in keys if k in runs[0]}
    merged["requests"] = sum(r["requests"] for r in runs)
    merged["non_2xx"] = sum(r["non_2xx"] for r in runs)
    merged["socket_errors"] = sum(r["socket_errors"] for r in runs)
    merged["runs"] = runs
    return merged


# --- the stages -----------------------------------------------------------------------------


def flask(environ: dict, *args: str) -> str:
    done = subprocess.run(
        [str(BIN / "flask"), "--app", "wsgi", *args],
        cwd=ROOT,
        env=environ,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def measure_stage(s: Settings, app: Server, bare: Server, total: int, work: Path) -> dict:
    codes = work / "codes.txt"
    filed = [post_json(app.url("/api/v1/complaints"), _complaint()) for _ in range(100)]
    codes.write_text("\n".join(f["tracking_code"] for f in filed) + "\n")
    cookie, csrf = form_session(app.url("/complaints/"))
    form = {
        "csrf_token": csrf,
        "form_token": "%TOKEN%",
        "kind": "complaint",
        "category": "roads",
        "subject": SUBJECT,
        "details": DETAILS,
    }
    loads = [
        Load("bare insert", bare, "/bare/insert", {"subject": SUBJECT, "details": DETAILS}),
        Load("API filing", app, "/api/v1/complaints", _complaint()),
        Load(
            "API filing with contact details",
            app,
            "/api/v1/complaints",
            {**_complaint(), "reporter": REPORTER, "consent": True},
        ),
        Load("web filing", app, "/complaints/", form, form=True, cookie=cookie),
        Load("bare select", bare, "/bare/select", {"id": "%ID%"}, max_id=total),
        Load("API tracking", app, "/api/v1/track", {"tracking_code": "%CODE%"}, codes=codes),
        Load(
            "web tracking",
            app,
            "/complaints/track",
            {"csrf_token": csrf, "tracking_code": "%CODE%"},
            form=True,
            cookie=cookie,
            codes=codes,
        ),
        Load("/stats", app, stats_path(), None, get=True),
        Load("/api/v1/stats", app, stats_path(api=True), None, get=True),
    ]
    meters = {server.name: CpuMeter(server, s.url) for server in (app, bare)}
    for load in loads:  # warm both apps up: first requests compile templates, fill caches
        load.run(work, 2, 2)
        load.meter = meters[load.server.name]
    runs: dict[str, list[dict]] = {load.name: [] for load in loads}
    for number in range(1, s.rounds + 1):
        for load in loads:
            log(f"  round {number}/{s.rounds}: {load.name}")
            runs[load.name].append(load.run(work, s.seconds, s.connections))
    return {name: median_of(r) for name, r in runs.items()}


def published_year() -> int:
    """The previous fiscal year (B.E.), the whole one the seed fills (the current one has begun
    only lately)."""
    from casework.dates import clock
    from casework.dates.thaidate import fiscal_year

    return fiscal_year(clock.today()) - 1


def stats_path(api: bool = False) -> str:
    return f"{'/api/v1' if api else ''}/stats?fiscal_year={published_year()}&period=year"


def figures_timing(s: Settings, environ: dict) -> dict:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "figures.py"), str(published_year())],
        cwd=s.app_dir,
        env={**environ, "PYTHONPATH": str(s.app_dir)},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def measure_webhook(s: Settings, environ: dict, logs: Path, fake_url: str) -> dict:
    """LINE's webhook at a fixed rate of signed events (bench/paced.py), on a server of its own
    with LINE on (the other rows are measured with LINE off, as before), twice: replies sent by
    the web worker after the 200 (LINE_REPLY_AFTER_RESPONSE=1, the default) and replies left to
    the outbox worker (``0``, with ``flask outbox run --interval 1`` beside it); and a third
    time with ``0`` and no outbox worker running, the acknowledgement alone (the replies wait in
    the outbox)."""
    from bench import paced

    line = {
        **environ,
        "LINE_CHANNEL_SECRET": LINE_SECRET,
        "LINE_CHANNEL_SECRET_PREVIOUS": "",
        "LINE_CHANNEL_ACCESS_TOKEN": secrets.token_hex(16),
        "LINE_API_BASE_URL": fake_url,
        "LINE_DATA_API_BASE_URL": fake_url,
    }
    out = {}
    runs = (
        ("replies_after_response", "1", 5613, False),
        ("replies_by_outbox", "0", 5614, True),
        ("acknowledgement_alone", "0", 5615, False),
    )
    for name, after, port, outbox_worker in runs:
        config = {**line, "LINE_REPLY_AFTER_RESPONSE": after}
        server = Server(f"line-{port}", "wsgi:app", port, s.app_dir, config, logs)
        worker = None
        try:
            server.wait("/healthz")
            if outbox_worker:
                worker = subprocess.Popen(
                    [str(BIN / "flask"), "--app", "wsgi", "outbox", "run", "--interval", "1"],
                    cwd=s.app_dir,
                    env=config,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            url = server.url("/line/webhook")
            paced.run(url, LINE_SECRET, rate=10, seconds=2)  # warm up
            figures = paced.run(url, LINE_SECRET, rate=s.webhook_rate, seconds=s.webhook_seconds)
            figures["worker_rss_mb"] = server.worker_rss_mb()
            out[name] = figures
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=30)
            server.stop()
    return out


def _complaint() -> dict:
    return {"category": "roads", "subject": SUBJECT, "details": DETAILS}


def measure_tips(s: Settings, app: Server, work: Path) -> dict:
    """Tip filing, whose receipt costs two scrypt derivations by design."""
    body = {"category": "bribery", "what": "เจ้าหน้าที่เรียกรับเงินเพื่อเร่งอนุมัติใบอนุญาต"}
    post_json(app.url("/api/v1/tips"), body)
    return Load("tip filing", app, "/api/v1/tips", body).run(work, s.seconds, s.connections)


def scrypt_cost() -> dict:
    """What one receipt derivation costs (casework.crypto.receipts' production setting)."""
    from casework.crypto import receipts

    cost, times = receipts.KdfCost(), []
    for _ in range(7):
        begun = time.perf_counter()
        receipts.lookup_hash(b"p" * 32, "A" * receipts.RECEIPT_LENGTH, cost)
        times.append(time.perf_counter() - begun)
    return {
        "n": cost.n,
        "r": cost.r,
        "p": cost.p,
        "ms": round(statistics.median(times) * 1000, 1),
        "memory_mib": 128 * cost.r * cost.n // 2**20,
    }


def round_trips(s: Settings, environ: dict) -> dict:
    counts = {}
    for which, cwd in (("app", s.app_dir), ("bare", ROOT)):
        done = subprocess.run(
            [sys.executable, str(ROOT / "bench" / "roundtrips.py"), which],
            cwd=cwd,
            env={**environ, "PYTHONPATH": str(cwd)},
            capture_output=True,
            text=True,
            check=True,
        )
        counts.update(json.loads(done.stdout))
    return counts


def rule_costs(s: Settings, environ: dict) -> dict:
    """bench/rules.py on this stage's database: what each rule costs, in one process."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "rules.py")],
        cwd=s.app_dir,
        env={
            **environ,
            "PYTHONPATH": str(s.app_dir),
            "DATABASE_URL": s.app_url(RULES),
            "BENCH_DATABASE_URL": s.app_url(RULES, driver=True),
            "BENCH_BACKENDS_URL": s.url,
        },
        capture_output=True,
        text=True,
    )
    if done.returncode:  # another checkout (BENCH_APP_DIR) may lack a patched function
        return {"error": done.stderr.strip().splitlines()[-1:]}
    return json.loads(done.stdout)


# --- the report -----------------------------------------------------------------------------

FILINGS = ("API filing", "API filing with contact details", "web filing")
TRACKINGS = ("API tracking", "web tracking")
STATS = ("/stats", "/api/v1/stats")


def _cpu_ratio(figures: dict, baseline: dict) -> float | None:
    if figures.get("cpu_ms") and baseline.get("cpu_ms"):
        return round(figures["cpu_ms"] / baseline["cpu_ms"], 3)
    return None


def ratios(stage: dict) -> dict:
    """Each endpoint against its baseline: filing by throughput, tracking by latency; both by
    CPU per request too (workers and database backends), which a busy neighbour disturbs less
    than it disturbs the wall clock."""
    out = {}
    insert, select = stage["bare insert"], stage["bare select"]
    for name in FILINGS:
        ratio = stage[name]["rps"] / insert["rps"]
        out[name] = {
            "throughput_ratio": round(ratio, 3),
            "cpu_ratio": _cpu_ratio(stage[name], insert),
            "target": f"throughput >= {FILING_TARGET}x the bare insert",
            "met": ratio >= FILING_TARGET,
        }
    for name in TRACKINGS:
        figures = {
            f"{p}_ratio": round(stage[name][f"{p}_ms"] / select[f"{p}_ms"], 3)
            for p in ("p50", "p95", "p99")
        }
        figures["cpu_ratio"] = _cpu_ratio(stage[name], select)
        figures["target"] = f"p95 <= {TRACKING_TARGET}x the bare select"
        figures["met"] = figures["p95_ratio"] <= TRACKING_TARGET
        out[name] = figures
    return out


def stats_growth(stages: list[dict]) -> dict:
    """Each statistics endpoint at the last stage against the first (1M against 100k)."""
    first, last = stages[0]["endpoints"], stages[-1]["endpoints"]
    out = {}
    for name in STATS:
        figures = {
            f"{p}_ratio": round(last[name][f"{p}_ms"] / first[name][f"{p}_ms"], 3)
            for p in ("p50", "p95", "p99")
        }
        figures["cpu_ratio"] = _cpu_ratio(last[name], first[name])
        figures["target"] = (
            f"p95 at {stages[-1]['cases']:,} cases <= {STATS_TARGET}x at {stages[0]['cases']:,}"
        )
        figures["met"] = figures["p95_ratio"] <= STATS_TARGET
        out[name] = figures
    return out


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def table(results: dict) -> str:
    lines = []
    trips = results["round_trips"]
    for stage in results["stages"]:
        figures, rel = stage["endpoints"], stage["ratios"]
        lines.append("")
        lines.append(
            f"{stage['cases']:,} cases (seeded in {stage['seed_seconds']:.0f} s), "
            f"wrk -t1 -c{results['settings']['connections']}, "
            f"median of {results['settings']['rounds']} runs of {results['settings']['seconds']} s"
        )
        lines.append(
            f"  {'endpoint':32} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
            f"{'CPU ms':>7} {'trips':>5}  against the baseline"
        )
        for name, f in figures.items():
            rt = trips.get(name, {}).get("round_trips", "")
            r = rel.get(name)
            cpu = f" (CPU {r['cpu_ratio']:.2f}x)" if r and r.get("cpu_ratio") else ""
            if name in STATS:
                note = "statistics (see below)"
            elif r and "throughput_ratio" in r:
                note = f"{r['throughput_ratio']:.2f}x insert{cpu}: {_verdict(r['met'])}"
            elif r:
                note = (
                    f"p95 {r['p95_ratio']:.2f}x select (p50 {r['p50_ratio']:.2f}x, p99 "
                    f"{r['p99_ratio']:.2f}x){cpu}: {_verdict(r['met'])}"
                )
            else:
                note = "baseline"
            errors = f"  [{f['non_2xx']} non-2xx]" if f["non_2xx"] else ""
            lines.append(
                f"  {name:32} {f['rps']:7.1f} {f['p50_ms']:7.1f} {f['p95_ms']:7.1f} "
                f"{f['p99_ms']:7.1f} {f.get('cpu_ms', 0):7.2f} {rt!s:>5}  {note}{errors}"
            )
        direct = stage.get("figures")
        if direct:
            lines.append(
                f"  one fiscal year's figures ({direct['cases_in_year']:,} cases, "
                f"{direct['rollup_rows']:,} rollup rows): counted from the cases "
                f"{direct['live_ms']} ms, read from the rollup {direct['rollup_ms']} ms"
                f" (equal: {direct.get('rollup_equals_live_count', 'not compared')})"
            )
    lines.append("")
    for name, g in results.get("stats_growth", {}).items():
        cpu = f", CPU {g['cpu_ratio']:.2f}x" if g.get("cpu_ratio") else ""
        lines.append(
            f"{name} at the last stage against the first: p95 {g['p95_ratio']:.2f}x (p50 "
            f"{g['p50_ratio']:.2f}x, p99 {g['p99_ratio']:.2f}x{cpu}), target <= "
            f"{STATS_TARGET}x: {_verdict(g['met'])}"
        )
    for how, hook in results.get("webhook", {}).items():
        if not isinstance(hook, dict):
            continue
        lines.append(
            f"LINE webhook, {how.replace('_', ' ')}, at {hook['rate']:g} events/s for "
            f"{hook['seconds']:g} s ({hook['achieved_rate']} answered/s, statuses "
            f"{hook['statuses']}, {hook['socket_errors']} socket errors): p50 {hook['p50_ms']} "
            f"ms, p95 {hook['p95_ms']} ms, p99 {hook['p99_ms']} ms, max {hook['max_ms']} ms; "
            f"worker RSS {hook['worker_rss_mb']} MB (target p99 <= {WEBHOOK_TARGET_MS} ms: "
            f"{_verdict(hook['p99_ms'] is not None and hook['p99_ms'] <= WEBHOOK_TARGET_MS)})"
        )
    memory = results["memory"]
    app_mb = max(memory["app_after_complaints_mb"] + memory["app_after_tips_mb"])
    lines.append("")
    lines.append(
        "targets: filing >= 0.6x the bare insert's throughput; tracking p95 <= 2x the bare "
        "select's. CPU ms: worker and database CPU per request (a ratio above 1 costs more)."
    )
    lines.append(
        f"worker memory (RSS; private in brackets): after the complaint runs "
        f"{memory['app_after_complaints_mb']} MB [{memory['app_private_after_complaints_mb']}], "
        f"after the tip runs {memory['app_after_tips_mb']} MB "
        f"[{memory['app_private_after_tips_mb']}]; bare {memory['bare_mb']} MB "
        f"[{memory['bare_private_mb']}] (target <= {RSS_TARGET_MB} MB: "
        f"{_verdict(app_mb <= RSS_TARGET_MB)})"
    )
    tips, kdf = results["tips"], results["scrypt"]
    lines.append(
        f"tip receipts (a security setting, not a target): scrypt n=2^{kdf['n'].bit_length() - 1}"
        f" r={kdf['r']} p={kdf['p']} takes {kdf['ms']} ms and {kdf['memory_mib']} MiB per "
        f"derivation; filing a tip derives twice: {tips['rps']} tips/s, p50 {tips['p50_ms']} ms"
    )
    lines.extend(rules_table(results.get("rules") or {}))
    return "\n".join(lines)


def rules_table(rules: dict) -> list[str]:
    """What each rule costs a request (bench/rules.py): CPU of the app and of PostgreSQL, wall
    time and round trips, against the bare app measured in the same process."""
    if "bare" not in rules:
        return [f"which rule costs what: not measured {rules.get('error', '')}"]
    lines = [
        "",
        f"which rule costs what (one process, Flask's test client, median of {rules['rounds']} "
        f"rounds of {rules['requests']} requests; app CPU, PostgreSQL CPU, wall ms, round trips):",
    ]

    def row(name: str, f: dict) -> str:
        return (
            f"  {name:52} {f['cpu_ms']:7.2f} {f['db_cpu_ms']:6.2f} {f['wall_ms']:7.2f} "
            f"{f['round_trips']:>4}"
        )

    for name, f in rules["bare"].items():
        lines.append(row(name, f))
    for request, measured in rules.items():
        if not isinstance(measured, dict) or "costs" not in measured:
            continue
        whole = measured["figures"]["all rules on"]
        lines.append(row(f"{request}, every rule on", whole))
        for rule, cost in measured["costs"].items():
            lines.append(row(f"  {rule}", cost))
        left = list(measured["figures"].items())[-1]
        lines.append(row(f"  what is left with {left[0].replace('above ', '')}", left[1]))
    return lines


# --- main -----------------------------------------------------------------------------------


def main() -> None:
    s = Settings()
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is missing (scripts/ensure-wrk installs it)")
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="rongrian-bench-"))
    logs = s.results.parent
    logs.mkdir(parents=True, exist_ok=True)
    environ = {
        **os.environ,
        "DATABASE_URL": s.app_url("rongrian"),
        "BENCH_DATABASE_URL": s.app_url("bare", driver=True),
        "RONGRIAN_INSTANCE": str(work / "instance"),
        "RONGRIAN_SURFACE": "public",
        "SECRET_KEY": secrets.token_urlsafe(32),
        "SUBMIT_RATE_LIMIT": UNLIMITED,
        "TRACK_RATE_LIMIT": UNLIMITED,
        "WEB_CONCURRENCY": "2",
        "BENCH_APP_DIR": str(s.app_dir),
        "STATS_CACHE_SECONDS": "0",  # every /stats request computes its figures
        "BENCH_STATS_PATH": stats_path(),
        "BENCH_API_STATS_PATH": stats_path(api=True),
    }
    servers: list[Server] = []
    from lineoa.simulator import FakeLine

    fake_line = FakeLine().__enter__()
    try:
        log(f"database {s.database}: created afresh")
        recreate_database(s)
        flask(environ, "db", "upgrade")
        flask(environ, "demo", "load")
        with bare_app.create_app(s.sa_url).app_context():
            bare_app.db.create_all()
        app = Server("rongrian", "wsgi:app", 5611, s.app_dir, environ, logs)
        bare = Server("bare", "bench.bare:app", 5612, ROOT, environ, logs)
        servers = [app, bare]
        app.wait("/healthz")
        bare.wait("/bare/missing")
        results = {
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "settings": {k: getattr(s, k) for k in ("stages", "seconds", "rounds", "connections")}
            | {"app_dir": str(s.app_dir), "workers": 2, "worker_class": "sync"},
            "stages": [],
        }
        seeded = 0
        for total in s.stages:
            log(f"seeding {total - seeded:,} cases (to {total:,})")
            begun = time.monotonic()
            if total > seeded:
                flask(environ, "seed", "--cases", str(total - seeded))
            seed_seconds = time.monotonic() - begun
            seeded = max(seeded, total)
            fill_bare(s, total)
            log(f"measuring at {total:,} cases")
            endpoints = measure_stage(s, app, bare, total, work)
            results["stages"].append(
                {
                    "cases": total,
                    "seed_seconds": round(seed_seconds, 1),
                    "endpoints": endpoints,
                    "ratios": ratios(endpoints),
                    "figures": figures_timing(s, environ),
                }
            )
        results["stats_growth"] = stats_growth(results["stages"])
        results["memory"] = {
            "app_after_complaints_mb": app.worker_rss_mb(),
            "app_private_after_complaints_mb": app.worker_private_mb(),
            "bare_mb": bare.worker_rss_mb(),
            "bare_private_mb": bare.worker_private_mb(),
        }
        log("tip filing (scrypt receipts)")
        results["tips"] = measure_tips(s, app, work)
        results["memory"]["app_after_tips_mb"] = app.worker_rss_mb()
        results["memory"]["app_private_after_tips_mb"] = app.worker_private_mb()
        log(f"LINE webhook at {s.webhook_rate:g} events/s")
        results["webhook"] = measure_webhook(s, environ, logs, fake_line.url)
        results["webhook"]["line_api_calls"] = len(fake_line.captured)
        results["scrypt"] = scrypt_cost()
        log("round trips per request")
        results["round_trips"] = round_trips(s, environ)
        log("which rule costs what (bench/rules.py, one process)")
        results["rules"] = rule_costs(s, environ)
        results["seconds"] = round(time.monotonic() - started, 1)
        s.results.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(table(results))
        print(f"\nresults: {s.results} ({results['seconds']:.0f} s in all)")
    finally:
        for server in servers:
            server.stop()
        fake_line.__exit__(None, None, None)
        shutil.rmtree(work, ignore_errors=True)
        if not s.keep:
            drop_database(s)


if __name__ == "__main__":
    main()
