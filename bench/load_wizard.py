"""Load test: physicians walk the whole wizard and finalize against gunicorn on PG.

    .venv/bin/python bench/load_wizard.py [--seconds 60] [--physicians 50] [--workers 4]

Starts PostgreSQL (scripts/ci-postgres.sh --server-only), migrates a fresh database,
serves the app with gunicorn on a free 127.0.0.1 port, registers the physicians through
the register and profile pages (RX_SELF_REGISTRATION=1 for this server; each with an NPI
of their own, then confirmed with `flask admin confirm`, as an administrator would
before anyone signs), then every physician loops through the six steps and
Finalize until the time is up. Half-way one gunicorn worker is killed (SIGKILL); a
physician whose request died with it retries, as a person pressing the button again
would. The database is then checked: every step a physician saved holds what was
posted, every finalized draft has exactly one prescription. Exits non-zero on any 5xx,
lost draft, duplicate or unexpected answer.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from rxassist.coverage import npi_is_valid  # noqa: E402 - needs ROOT on the path

DATABASE = "rxassist_load"
PASSWORD = "load test password"  # noqa: S105 (throwaway accounts in a throwaway DB)
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
TOKEN_BY_ID = re.compile(
    r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"'
)
ACCEPT = re.compile(r'<input type="hidden" name="accept" value="([^"]+)">')
CODES = ("S13.4XXA", "M54.2", "M62.838")
TECHNIQUES = ("myofascial release", "neuromuscular therapy")
REQUEST_TIMEOUT = 60.0
RETRIES = 3


class TimeUp(Exception):
    """The run's time is over; the physician stops where they are."""


class Unexpected(Exception):
    """The app answered something a working wizard never answers."""


@dataclass
class Response:
    """What one HTTP exchange returned."""

    status: int
    location: str
    body: str


@dataclass
class Stats:
    """Latencies and failures, shared by every physician thread."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    samples: list[tuple[str, float, int]] = field(default_factory=list)
    started: list[float] = field(default_factory=list)
    connection_errors: int = 0
    unexpected: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float, status: int, started: float) -> None:
        """Record one answered request."""
        with self.lock:
            self.samples.append((kind, seconds, status))
            self.started.append(started)

    def failed(self, message: str) -> None:
        """Record a request that did not get the answer the wizard gives."""
        with self.lock:
            self.unexpected.append(message)

    def connection_error(self) -> None:
        """Record a request whose connection broke (a killed worker)."""
        with self.lock:
            self.connection_errors += 1


@dataclass
class DraftRecord:
    """One draft as its physician saw it: the sections each saved step posted."""

    draft_id: str
    expected: dict[str, Any] = field(default_factory=dict)
    prescription_id: str | None = None


class Browser:
    """One physician's browser: its own cookies, address and user agent."""

    def __init__(self, port: int, number: int, stats: Stats, deadline: float) -> None:
        self.port = port
        self.stats = stats
        self.deadline = deadline
        self.cookies: dict[str, str] = {}
        # Distinct addresses (through the trusted proxy header) as from 50 offices.
        self.headers = {
            "User-Agent": f"rx-assist-load/{number}",
            "X-Forwarded-For": f"10.77.{number // 250}.{number % 250 + 1}",
        }

    def request(
        self, method: str, path: str, form: dict[str, Any] | None = None, kind: str = ""
    ) -> Response:
        """One request over a new connection (gunicorn's sync workers close them)."""
        if time.monotonic() > self.deadline:
            raise TimeUp
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=REQUEST_TIMEOUT
        )
        started = time.monotonic()
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        finally:
            connection.close()
        elapsed = time.monotonic() - started
        self._keep_cookies(answer.headers.get_all("Set-Cookie") or [])
        self.stats.add(kind or method, elapsed, answer.status, started)
        location = urlsplit(answer.headers.get("Location", ""))
        target = location.path + (f"?{location.query}" if location.query else "")
        return Response(answer.status, target, data.decode("utf-8", "replace"))

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            cookie: SimpleCookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str, kind: str = "GET page") -> Response:
        """GET a page, retrying when the worker serving it died."""
        for attempt in range(RETRIES):
            try:
                response = self.request("GET", path, kind=kind)
            except (OSError, http.client.HTTPException):
                self.stats.connection_error()
                if attempt == RETRIES - 1:
                    raise
                continue
            if response.status != 200:
                raise Unexpected(f"GET {_shape(path)} answered {response.status}")
            return response
        raise AssertionError("unreachable")

    def submit(
        self,
        path: str,
        page: Response,
        data: dict[str, Any],
        kind: str = "POST step",
        done: Callable[[Response], bool] | None = None,
    ) -> Response:
        """POST a form with the token of the page it sits on; expect a redirect.

        When the connection breaks the form is sent again, as a person presses the
        button again; saving a step and finalizing are safe to repeat. An action that
        is not (adding a code) first reloads the page: ``done`` says whether the page
        already shows it.
        """
        for attempt in range(RETRIES):
            try:
                response = self.request(
                    "POST", path, {**data, "csrf_token": token(page)}, kind
                )
            except (OSError, http.client.HTTPException):
                self.stats.connection_error()
                if attempt == RETRIES - 1:
                    raise
                if done is not None:
                    page = self.get(path)
                    if done(page):
                        return Response(302, path, "")
                continue
            if response.status != 302:
                raise Unexpected(f"POST {_shape(path)} answered {response.status}")
            return response
        raise AssertionError("unreachable")


def token(page: Response) -> str:
    """The CSRF token a page's form carries."""
    match = TOKEN.search(page.body) or TOKEN_BY_ID.search(page.body)
    if match is None:
        raise Unexpected("a page without a CSRF token")
    return match.group(1)


def _shape(path: str) -> str:
    """The path with random ids folded, for grouping failures."""
    return re.sub(r"/[A-Za-z0-9_-]{20,}", "/<id>", path.split("?")[0])


def register(browser: Browser, number: int) -> None:
    """Create the account and fill the prescriber profile through the pages."""
    try:
        _register(browser, number)
    except (Unexpected, OSError, http.client.HTTPException) as error:
        browser.stats.failed(f"physician {number}: {type(error).__name__}: {error}")


def _register(browser: Browser, number: int) -> None:
    page = browser.get("/register")
    email = f"load{number}@example.org"
    account = {"email": email, "password": PASSWORD, "confirm": PASSWORD}
    browser.submit("/register", page, account, kind="POST account")
    # Registering never signs in (a taken email gets the same answer): log in.
    page = browser.get("/login")
    login = {"email": email, "password": PASSWORD}
    browser.submit("/login", page, login, kind="POST account")
    page = browser.get("/profile")
    profile = {
        "name": f"Load Physician {number}",
        "credentials": "MD",
        "specialty": "Family Medicine",
        "npi": npi(number),
        "license": f"ME{100000 + number}",
        "license_state": "FL",
        "practice": "Lakeside Family Medicine",
        "address": "12 Main St, Sarasota, FL 34236",
        "phone": "941-555-0100",
        "fax": "",
    }
    browser.submit("/profile", page, profile, kind="POST account")


def npi(number: int) -> str:
    """A valid NPI of physician ``number``'s own (an NPI belongs to one account)."""
    stem = f"1888{number:05d}"
    return next(stem + d for d in "0123456789" if npi_is_valid(stem + d))


def confirm(env: dict[str, str], physicians: int) -> None:
    """Confirm every load physician's identity and NPI, as their administrator would."""
    emails = [f"load{number}@example.org" for number in range(1, physicians + 1)]
    subprocess.run(
        [sys.executable, "-m", "flask", "admin", "confirm", *emails],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


def walk(browser: Browser, number: int, serial: int, drafts: list[DraftRecord]) -> None:
    """One prescription from New to Finalize, then its page and PDF."""
    rng = random.Random(f"{number}-{serial}")
    page = browser.get("/drafts")
    response = browser.submit("/rx/new", page, {})
    base = response.location.rsplit("/", 1)[0]
    draft = DraftRecord(base.rsplit("/", 1)[1])
    drafts.append(draft)
    page = browser.get(response.location)

    patient = {
        "name": f"Load Patient {number}-{serial}",
        "dob": "1980-04-12",
        "phone": "",
        "address": "",
        "payer_type": "workers_comp",
        "payer_name": "Acme Mutual",
        "member_id": f"LD-{number}-{serial}",
        "claim_number": f"WC-{number}-{serial}",
        "date_of_injury": (date.today() - timedelta(days=14)).isoformat(),
        "accident_state": "",
        "employer": "Gulf Coast Builders",
        "jurisdiction_state": "FL",
    }
    response = browser.submit(f"{base}/patient", page, patient)
    draft.expected["patient.name"] = patient["name"]
    draft.expected["coverage.member_id"] = patient["member_id"]
    page = browser.get(response.location)

    modality = {
        "cpt": ["97140"],
        "techniques": rng.sample(TECHNIQUES, rng.randint(1, 2)),
        "pressure": rng.choice(("light", "moderate")),
        "performer": "lmt",
    }
    response = browser.submit(f"{base}/modality", page, modality)
    draft.expected["modality"] = modality
    page = browser.get(response.location)

    side = rng.choice(("left", "right", "bilateral"))
    areas = {"area_cervical": "y", "area_shoulder": "y", "side_shoulder": side}
    response = browser.submit(f"{base}/body_areas", page, areas)
    draft.expected["body_areas"] = [
        {"area": "cervical"},
        {"area": "shoulder", "side": side},
    ]
    page = browser.get(response.location)

    codes = rng.sample(CODES, rng.randint(1, 3))
    added: list[str] = []
    for code in codes:
        response = browser.submit(
            f"{base}/diagnoses",
            page,
            {"action": f"add:{code}"},
            done=lambda shown, code=code: f'class="code">{code}<' in shown.body,
        )
        added.append(code)
        draft.expected["diagnoses"] = list(added)
        page = browser.get(response.location)
    response = browser.submit(f"{base}/diagnoses", page, {"nav": "next"})
    page = browser.get(response.location)

    minutes = rng.choice(("30", "45", "60"))
    session = {
        "session_mode": "minutes",
        "minutes": minutes,
        "plan_mode": "phases",
        "phases-0-per_week": "2",
        "phases-0-weeks": str(rng.randint(2, 6)),
        "start": (date.today() + timedelta(days=1)).isoformat(),
        # Goals are rows: a function, its baseline and its target.
        "goals-0-function": f"Cervical rotation ({number}-{serial})",
        "goals-0-baseline": "45°",
        "goals-0-target": "70°",
    }
    response = browser.submit(f"{base}/session", page, session)
    draft.expected["session.minutes"] = minutes
    draft.expected["goals"] = [
        {"function": session["goals-0-function"], "baseline": "45°", "target": "70°"}
    ]
    if not response.location.endswith("/review"):
        raise Unexpected(f"session went to {_shape(response.location)}")
    page = browser.get(response.location)

    # The physician reads the warnings the review shows and ticks that they accept them.
    accepted = ACCEPT.findall(page.body)
    finalize = {"nav": "finalize", "attest": "y"}
    if accepted:
        finalize.update(accept_warnings="y", accept=accepted)
    response = browser.submit(f"{base}/review", page, finalize, kind="POST finalize")
    if not response.location.startswith("/prescriptions/"):
        raise Unexpected(f"finalize went to {_shape(response.location)}")
    draft.prescription_id = response.location.rsplit("/", 1)[1]
    browser.get(response.location)
    browser.get(response.location + ".pdf", kind="GET pdf")


def physician(browser: Browser, number: int, drafts: list[DraftRecord]) -> None:
    """Write prescriptions one after another until the time is up."""
    serial = 0
    while True:
        serial += 1
        try:
            walk(browser, number, serial, drafts)
        except TimeUp:
            return
        except (Unexpected, OSError, http.client.HTTPException) as error:
            browser.stats.failed(f"{type(error).__name__}: {error}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_postgres() -> tuple[str, bool]:
    """The server's URL (role rxassist) and whether this run started it."""
    output = subprocess.run(
        [str(ROOT / "scripts" / "ci-postgres.sh"), "--server-only"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    values = dict(line.split("=", 1) for line in output.splitlines() if "=" in line)
    return values["PG_URL"], values["PG_STARTED"] == "1"


def fresh_database(server_url: str) -> str:
    """Drop and create the load database; return its URL."""
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")
    return server_url.rsplit("/", 1)[0] + "/" + DATABASE


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (gunicorn's workers)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may hold spaces; the parent id follows its ')'.
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def wait_until_up(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll /healthz until gunicorn answers."""
    for _ in range(240):
        if server.poll() is not None:
            sys.exit(f"gunicorn exited; see {log}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.25)
    sys.exit(f"gunicorn did not answer /healthz; see {log}")


def check_database(url: str, drafts: list[DraftRecord]) -> dict[str, Any]:
    """Compare what the physicians saved with what the database holds."""
    lost: list[str] = []
    with psycopg.connect(url) as connection:
        rows = {
            row[0]: (row[1], row[2])
            for row in connection.execute(
                "SELECT id, document, prescription_id FROM drafts WHERE id = ANY(%s)",
                [[d.draft_id for d in drafts]],
            )
        }
        for draft in drafts:
            if draft.draft_id not in rows:
                lost.append(f"{draft.draft_id}: missing")
                continue
            document, prescription_id = rows[draft.draft_id]
            for path, value in draft.expected.items():
                stored = _at(document, path)
                if path == "body_areas" and isinstance(stored, list):
                    stored = sorted(stored, key=lambda item: item.get("area", ""))
                if stored != value:
                    lost.append(
                        f"{draft.draft_id}: {path} is {stored!r}, not {value!r}"
                    )
            if draft.prescription_id and prescription_id != draft.prescription_id:
                lost.append(f"{draft.draft_id}: finalized as {draft.prescription_id}")
        prescriptions = connection.execute("SELECT count(*) FROM prescriptions")
        total = prescriptions.fetchone()[0]  # type: ignore[index]
        linked = connection.execute(
            "SELECT count(*) FROM drafts WHERE prescription_id IS NOT NULL"
        ).fetchone()[0]  # type: ignore[index]
        same_patient = connection.execute(
            "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM"
            " prescriptions GROUP BY patient_name HAVING count(*) > 1) AS twice"
        ).fetchone()[0]  # type: ignore[index]
    return {
        "lost": lost,
        "prescriptions": total,
        "duplicates": max(total - linked, int(same_patient)),
    }


def _at(document: Any, path: str) -> Any:
    for key in path.split("."):
        document = document.get(key) if isinstance(document, dict) else None
    return document


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of the sorted values fall."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(
    args: argparse.Namespace,
    stats: Stats,
    drafts: list[DraftRecord],
    checked: dict[str, Any],
    kill: dict[str, Any],
) -> bool:
    """Print the figures; True when the run met every goal."""
    latencies = [seconds for _, seconds, _ in stats.samples]
    finalized = sum(1 for draft in drafts if draft.prescription_id)
    errors = sum(1 for _, _, status in stats.samples if status >= 500)
    print(
        f"\nRx Assist load: {args.physicians} physicians, {args.seconds:g} s, "
        f"gunicorn {args.workers} workers, PostgreSQL"
    )
    print(f"finalized          {finalized}  ({finalized / args.seconds:.2f}/s)")
    print(
        f"requests           {len(latencies)}  ({len(latencies) / args.seconds:.1f}/s)"
    )
    print(
        "latency p50/p95/max "
        f"{percentile(latencies, 0.5) * 1000:.0f} / "
        f"{percentile(latencies, 0.95) * 1000:.0f} / "
        f"{max(latencies, default=0) * 1000:.0f} ms (every request)"
    )
    for kind in sorted({kind for kind, _, _ in stats.samples}):
        times = [s for k, s, _ in stats.samples if k == kind]
        print(
            f"  {kind:<16} n={len(times):<6} p50 {percentile(times, 0.5) * 1000:.0f}"
            f"  p95 {percentile(times, 0.95) * 1000:.0f}"
            f"  max {max(times) * 1000:.0f} ms"
            f"  mean {statistics.fmean(times) * 1000:.0f} ms"
        )
    width = 10.0
    windows: dict[int, list[float]] = {}
    for (_, seconds, _), started in zip(stats.samples, stats.started, strict=True):
        windows.setdefault(int((started - kill["start"]) // width), []).append(seconds)
    print(f"p95 per {width:g} s      ", end="")
    print(
        "  ".join(
            f"{i * width:g}s:{percentile(times, 0.95) * 1000:.0f}"
            for i, times in sorted(windows.items())
        ),
        "ms",
    )
    print(f"5xx                {errors}")
    print(f"unexpected answers {len(stats.unexpected)}")
    for message in sorted(set(stats.unexpected))[:10]:
        print(f"  {message}")
    print(
        f"worker killed      pid {kill.get('pid', '-')} at {kill.get('at', 0):.1f} s; "
        f"broken connections {stats.connection_errors} (retried); "
        f"workers after the run {kill.get('workers_after', '?')}/{args.workers}"
    )
    print(f"drafts checked     {len(drafts)}")
    print(f"lost drafts        {len(checked['lost'])}")
    for message in checked["lost"][:10]:
        print(f"  {message}")
    print(f"prescriptions      {checked['prescriptions']}")
    print(f"duplicates         {checked['duplicates']}")
    return (
        errors == 0
        and not stats.unexpected
        and not checked["lost"]
        and checked["duplicates"] == 0
        and kill.get("workers_after") == args.workers
    )


def main() -> int:
    """Set up the server and the accounts, run the load, check the database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--physicians", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument(
        "--kill-at", type=float, help="seconds into the run (default: half-way)"
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL to use instead of starting the local one",
    )
    args = parser.parse_args()

    started_pg = False
    if args.database_url:
        server_url = args.database_url
    else:
        server_url, started_pg = start_postgres()
    url = fresh_database(server_url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secrets.token_hex(32),
        "RX_ICD_PRELOAD": "1",
        "RX_PROXY_FIX": "1",  # the X-Forwarded-For of each simulated office
        "RX_SELF_REGISTRATION": "1",  # the physicians register through the pages
        "FLASK_APP": "app",
    }
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    port = free_port()
    log = Path(tempfile.mkstemp(prefix="rxassist-load-", suffix=".log")[1])
    with log.open("wb") as log_file:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--preload", "--no-control-socket",
             "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
             "app:create_app()"],
            cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        return run(args, port, server, env, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        if started_pg:
            subprocess.run(
                [str(ROOT / "scripts" / "ci-postgres.sh"), "--stop"],
                check=False,
                capture_output=True,
            )


def run(
    args: argparse.Namespace,
    port: int,
    server: subprocess.Popen[bytes],
    env: dict[str, str],
    log: Path,
) -> int:
    """Register the physicians, drive them for the run, then check and report."""
    wait_until_up(port, server, log)
    stats = Stats()
    setup_deadline = time.monotonic() + 300
    browsers = [
        Browser(port, number, stats, setup_deadline)
        for number in range(1, args.physicians + 1)
    ]
    threads = [
        threading.Thread(target=register, args=(browser, number))
        for number, browser in enumerate(browsers, 1)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if stats.unexpected or stats.connection_errors:
        print("registration failed:", *stats.unexpected, sep="\n  ")
        return 1
    confirm(env, args.physicians)
    url = env["DATABASE_URL"]
    print(f"{args.physicians} physicians registered; load for {args.seconds:g} s")

    stats = Stats()
    start = time.monotonic()
    deadline = start + args.seconds
    drafts: list[DraftRecord] = []
    kill: dict[str, Any] = {"start": start}
    cpu = time.process_time()

    def kill_one_worker() -> None:
        workers = children(server.pid)
        if workers:
            victim = random.choice(workers)
            os.kill(victim, signal.SIGKILL)
            kill.update(pid=victim, at=time.monotonic() - start)

    kill_at = args.kill_at if args.kill_at is not None else args.seconds / 2
    timer = threading.Timer(kill_at, kill_one_worker)
    timer.start()
    threads = []
    for number, browser in enumerate(browsers, 1):
        browser.stats = stats
        browser.deadline = deadline
        threads.append(
            threading.Thread(target=physician, args=(browser, number, drafts))
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timer.cancel()
    kill["workers_after"] = len(children(server.pid))
    cpu = time.process_time() - cpu

    checked = check_database(url, drafts)
    ok = report(args, stats, drafts, checked, kill)
    print(f"load generator CPU {cpu:.1f} s (of {2 * args.seconds:g} s on 2 cores)")
    print(f"gunicorn log       {log}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
