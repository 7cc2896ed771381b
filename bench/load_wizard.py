"""Load test: physicians walk the whole wizard and finalize against gunicorn on PG.

    .venv/bin/python bench/load_wizard.py [--seconds 60] [--physicians 50]
        [--hosts 1|2] [--api-clients 20] [--redis]

Starts PostgreSQL (scripts/ci-postgres.sh --server-only), migrates a fresh database,
serves the app as `make run` does (gunicorn -c python:serving) on a free 127.0.0.1
port, or on two ports sharing PostgreSQL and Redis (scripts/ci-redis.sh) with --hosts 2,
registers the physicians through the register and profile pages (RX_SELF_REGISTRATION=1
for these servers; each with an NPI of their own, then confirmed with `flask admin
confirm`, as an administrator would before anyone signs), checks that a limit
is counted once across the hosts and that sessions hold on each, then every physician
loops through the six steps and Finalize until the time is up, while --api-clients
EHR clients create prescriptions through the API as fast as they may. Half-way one
gunicorn worker is killed (one host), or a whole server (two hosts: its physicians go on
on the other); a request that died with it is sent again, as a person pressing the
button again would. The database is then checked: every step a physician saved holds
what was posted, every finalized draft has exactly one prescription, every accepted API
request one draft. Exits non-zero on any 5xx, lost draft, duplicate, limit counted
twice or unexpected answer.
"""

from __future__ import annotations

import argparse
import copy
import functools
import http.client
import json
import os
import random
import re
import secrets
import signal
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
import redis

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.slow_clients import free_port  # noqa: E402 - needs ROOT on the path
from rxassist.coverage import npi_is_valid  # noqa: E402

# A database of this run's own (dropped at its end): runs side by side do not collide.
DATABASE = f"rxassist_load_{os.getpid()}"
PASSWORD = "load test password"  # noqa: S105 (throwaway accounts in a throwaway DB)
TOKEN = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
TOKEN_BY_ID = re.compile(
    r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"'
)
ACCEPT = re.compile(r'<input type="hidden" name="accept" value="([^"]+)">')
CHOSEN_CODE = re.compile(r'<span class="code">([^<]+)</span>')
CODES = ("S13.4XXA", "M54.2", "M62.838")
TECHNIQUES = ("myofascial release", "neuromuscular therapy")
REQUEST_TIMEOUT = 60.0
RETRIES = 3
# Every this many requests a physician's browser goes to the next host, as a proxy
# without sticky sessions sends it: the session must hold there too.
OTHER_HOST_EVERY = 3
# The kinds of request that make up walking the wizard (Finalize and the PDF apart).
WIZARD_PAGES = ("GET page", "POST step")
# views/auth.py: refused logins one account may make in 10 minutes, on every host.
LOGIN_ACCOUNT_LIMIT = 5
# The EHR clients' practice key may request this many prescriptions a minute in the
# run (RX_FINALIZE_LIMIT): the API's own limit per key, so the clients go as fast as
# any key may.
API_FINALIZE_LIMIT = "300 per minute"
EXAMPLE = ROOT / "tests" / "data" / "example.json"


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
    by_host: dict[int, int] = field(default_factory=dict)

    def add(
        self, kind: str, seconds: float, status: int, started: float, port: int = 0
    ) -> None:
        """Record one answered request."""
        with self.lock:
            self.samples.append((kind, seconds, status))
            self.started.append(started)
            self.by_host[port] = self.by_host.get(port, 0) + 1

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


class Hosts:
    """The app servers' ports, and which of them the proxy still sends requests to."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.dead: set[int] = set()

    def pick(self, first: int, count: int) -> int:
        """The port for a client's ``count``-th request; it starts on host ``first``.

        A dead host is skipped, as a proxy's health check takes it out.
        """
        step = 1 if count % OTHER_HOST_EVERY == 0 else 0
        alive = [port for port in self.ports if port not in self.dead]
        wanted = self.ports[(first + step) % len(self.ports)]
        return wanted if wanted in alive else alive[(first + step) % len(alive)]


class Browser:
    """One physician's browser: its own cookies, address and user agent."""

    def __init__(
        self, hosts: Hosts, number: int, stats: Stats, deadline: float
    ) -> None:
        self.hosts = hosts
        self.first_host = number % len(hosts.ports)
        self.sent = 0
        self.stats = stats
        self.deadline = deadline
        self.cookies: dict[str, str] = {}
        # Distinct addresses (through the trusted proxy header) as from 50 offices.
        self.headers = {
            "User-Agent": f"rx-assist-load/{number}",
            "X-Forwarded-For": f"10.77.{number // 250}.{number % 250 + 1}",
        }

    def request(
        self,
        method: str,
        path: str,
        form: dict[str, Any] | None = None,
        kind: str = "",
        port: int | None = None,
    ) -> Response:
        """One request over a new connection, to the host the proxy would pick."""
        if time.monotonic() > self.deadline:
            raise TimeUp
        headers = dict(self.headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.sent += 1
        port = port or self.hosts.pick(self.first_host, self.sent)
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=REQUEST_TIMEOUT
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
        self.stats.add(kind or method, elapsed, answer.status, started, port)
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


def chosen_codes(body: str) -> list[str]:
    """The codes on the diagnoses page's list of chosen ones (not recent or results)."""
    chosen = body.partition('id="chosen-codes">')[2].partition("</ol>")[0]
    return CHOSEN_CODE.findall(chosen)


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
        "date_of_injury": "2026-10-03",
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
            done=lambda shown, code=code: code in chosen_codes(shown.body),
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

    # The physician reads the rules' warnings and ticks the box that accepts them.
    accepted = ACCEPT.findall(page.body)
    warnings = {"accept_warnings": "y", "accept": accepted} if accepted else {}
    response = browser.submit(
        f"{base}/review",
        page,
        {"nav": "finalize", "attest": "y", **warnings},
        kind="POST finalize",
    )
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


def server_only(script: str) -> dict[str, str]:
    """Run ``scripts/<script> --server-only``; the NAME=value lines it prints."""
    output = subprocess.run(
        [str(ROOT / "scripts" / script), "--server-only"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)


def start_postgres() -> tuple[str, bool]:
    """The server's URL (role rxassist) and whether this run started it."""
    values = server_only("ci-postgres.sh")
    return values["PG_URL"], values["PG_STARTED"] == "1"


def drop_database(server_url: str) -> None:
    """Drop this run's database, if the server still answers."""
    try:
        with psycopg.connect(server_url, autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    except psycopg.OperationalError as error:
        print(f"could not drop {DATABASE}: {error}", file=sys.stderr)


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
        f"\nRx Assist load: {args.physicians} physicians, {args.api_clients} API "
        f"clients, {args.seconds:g} s, {args.hosts} host(s) of gunicorn -c "
        f"python:serving, PostgreSQL, rate limits in {kill['storage']}"
    )
    print(f"finalized          {finalized}  ({finalized / args.seconds:.2f}/s)")
    print(
        f"requests           {len(latencies)}  ({len(latencies) / args.seconds:.1f}/s)"
    )
    pages = [s for k, s, _ in stats.samples if k in WIZARD_PAGES]
    print(
        f"wizard pages p95   {percentile(pages, 0.95) * 1000:.0f} ms "
        f"(p50 {percentile(pages, 0.5) * 1000:.0f} ms; GET page and POST step, "
        "Finalize and PDF apart; target < 300 ms)"
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
    _windows(stats, kill["start"])
    print("requests per host  " + ", ".join(
        f":{port} {count}" for port, count in sorted(stats.by_host.items())
    ))  # fmt: skip
    print(f"5xx                {errors}")
    print(f"unexpected answers {len(stats.unexpected)}")
    for message in sorted(set(stats.unexpected))[:10]:
        print(f"  {message}")
    print(
        f"killed             {kill.get('what', '-')} at {kill.get('at', 0):.1f} s; "
        f"broken connections {stats.connection_errors} (retried); "
        f"after the run {kill.get('after', '?')}"
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
        and bool(kill.get("recovered"))
    )


def _windows(stats: Stats, start: float, width: float = 10.0) -> None:
    """Print the p95 of the requests started in each ``width``-second window."""
    windows: dict[int, list[float]] = {}
    for (_, seconds, _), started in zip(stats.samples, stats.started, strict=True):
        windows.setdefault(int((started - start) // width), []).append(seconds)
    print(f"p95 per {width:g} s      ", end="")
    print(
        "  ".join(
            f"{i * width:g}s:{percentile(times, 0.95) * 1000:.0f}"
            for i, times in sorted(windows.items())
        ),
        "ms",
    )


def report_checks(checks: dict[str, Any], api: ApiStats | None, seconds: float) -> bool:
    """Print the limit, session and API figures; True when they met every goal."""
    login = checks["login"]
    expected = [200] * LOGIN_ACCOUNT_LIMIT + [429] * (len(login) - LOGIN_ACCOUNT_LIMIT)
    print(
        f"login limit        {login.count(200)} of {len(login)} refused logins "
        f"answered before 429, sent to the hosts in turn (limit {LOGIN_ACCOUNT_LIMIT}: "
        f"{'counted once' if login == expected else 'NOT counted once'})"
    )
    print(
        f"sessions           {checks['sessions_ok']} of {checks['sessions']} "
        "physician sessions open /drafts on every host"
    )
    ok = login == expected and checks["sessions_ok"] == checks["sessions"]
    if api is None:
        return ok
    accepted = len(api.accepted)
    print(
        f"API creates        {accepted} accepted ({accepted / seconds:.1f}/s); "
        f"answers p50 {percentile(api.latencies, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(api.latencies, 0.95) * 1000:.0f} ms; statuses "
        + ", ".join(f"{k}: {v}" for k, v in sorted(api.statuses.items()))
        + f"; broken connections {api.broken} (retried)"
    )
    print(
        f"API drafts stored  {checks['api_stored']} for {accepted} accepted "
        f"(missing {checks['api_missing']}, extra {checks['api_stored'] - accepted})"
    )
    # 429 (the key's limit) and 503 (no API slot free in time) say when to come back.
    unexpected = set(api.statuses) - {202, 429, 503}
    return (
        ok
        and not unexpected
        and checks["api_missing"] == 0
        and checks["api_stored"] == accepted
    )


@dataclass
class Server:
    """One app host: gunicorn on its own port, with its log."""

    port: int
    process: subprocess.Popen[bytes]
    log: Path


def start_server(args: argparse.Namespace, env: dict[str, str]) -> Server:
    """Serve the app as `make run` does, in its own process group, on a free port."""
    port = free_port()
    log = Path(tempfile.mkstemp(prefix=f"rxassist-load-{port}-", suffix=".log")[1])
    command = [sys.executable, "-m", "gunicorn", "-c", "python:serving",
               "--bind", f"127.0.0.1:{port}"]  # fmt: skip
    if args.workers:
        command += ["--workers", str(args.workers)]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [*command, "app:create_app()"],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(port, process, log)


def stop_server(server: Server) -> None:
    """Stop a server still running."""
    if server.process.poll() is not None:
        return
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()


def start_redis() -> tuple[str, bool]:
    """A Redis database of the load's own, emptied, and whether this run started it."""
    values = server_only("ci-redis.sh")
    # Database 1: the test suite uses 0 on the same private server.
    url = values["REDIS_URL"].rsplit("/", 1)[0] + "/1"
    client = redis.Redis.from_url(url)
    client.flushdb()  # an earlier run's counters must not count in this one
    client.close()
    return url, values["REDIS_STARTED"] == "1"


def kill_half_way(
    servers: list[Server], hosts: Hosts, kill: dict[str, Any], start: float
) -> None:
    """One host: SIGKILL one gunicorn worker. Several: SIGKILL a whole server, whose
    physicians the proxy then sends to the others."""
    if len(servers) == 1:
        workers = children(servers[0].process.pid)
        if not workers:
            return
        victim = random.choice(workers)
        os.kill(victim, signal.SIGKILL)
        kill["what"] = f"worker pid {victim}"
    else:
        server = servers[-1]
        hosts.dead.add(server.port)
        os.killpg(server.process.pid, signal.SIGKILL)
        kill["what"] = f"server :{server.port} (pid {server.process.pid} and workers)"
    kill["at"] = time.monotonic() - start


def after_kill(servers: list[Server], workers: int, kill: dict[str, Any]) -> None:
    """Whether the hosts recovered: the worker replaced, or the others still serving."""
    if len(servers) == 1:
        alive = len(children(servers[0].process.pid))
        kill["after"] = f"{alive}/{workers} workers"
        kill["recovered"] = "what" in kill and alive == workers
        return
    survivors = [s for s in servers if s.process.poll() is None]
    kill["after"] = f"{len(survivors)}/{len(servers)} servers serving"
    kill["recovered"] = (
        servers[-1].process.poll() is not None
        and len(survivors) == len(servers) - 1
        and all(len(children(s.process.pid)) == workers for s in survivors)
    )


def check_login_limit(hosts: Hosts, stats: Stats) -> list[int]:
    """Refused logins for one account, each form fetched from one host and sent to
    the next: the statuses (the limit must count them once across the hosts)."""
    browser = Browser(hosts, 0, stats, time.monotonic() + 120)
    browser.headers["X-Forwarded-For"] = "10.99.0.1"
    email = f"limit-{secrets.token_hex(4)}@example.org"
    statuses = []
    ports = hosts.ports
    for attempt in range(LOGIN_ACCOUNT_LIMIT + 3):
        page = browser.request("GET", "/login", port=ports[attempt % len(ports)])
        form = {"email": email, "password": "not the password", "csrf_token": ""}
        if page.status == 200:
            form["csrf_token"] = token(page)
        answer = browser.request(
            "POST", "/login", form, "POST account", ports[(attempt + 1) % len(ports)]
        )
        statuses.append(answer.status)
    return statuses


def check_sessions(browsers: list[Browser], hosts: Hosts) -> int:
    """How many physicians' sessions open their drafts on every host."""
    valid = 0
    for browser in browsers:
        answers = [
            browser.request("GET", "/drafts", kind="GET page", port=port).status
            for port in hosts.ports
        ]
        valid += answers == [200] * len(hosts.ports)
    return valid


# Puts the first load physician in a practice and prints that practice's new API keys
# (one per EHR client), as `flask admin create-api-key` makes them.
API_SETUP = """
import secrets
import sys

from sqlalchemy import select

import models
from app import create_app
from extensions import db
from services import tokens
from services.links import token_hash

with create_app().app_context():
    practice = models.Practice(name="Load Practice")
    db.session.add(practice)
    db.session.flush()
    email = models.User.email == sys.argv[1]
    user = db.session.scalar(select(models.User).where(email))
    user.practice_id = practice.id
    for number in range(int(sys.argv[2])):
        secret = tokens.KEY_PREFIX + secrets.token_urlsafe(tokens.SECRET_BYTES)
        db.session.add(models.ApiKey(practice_id=practice.id, name=f"EHR {number}",
                                     prefix=secret[:12], key_hash=token_hash(secret)))
        print(secret)
    db.session.commit()
"""


def api_keys(env: dict[str, str], count: int) -> list[str]:
    """``count`` practice API keys whose practice holds physician 1."""
    output = subprocess.run(
        [sys.executable, "-c", API_SETUP, "load1@example.org", str(count)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return output.split()


@dataclass
class ApiStats:
    """What the EHR clients were answered."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    accepted: set[str] = field(default_factory=set)
    broken: int = 0

    def add(self, status: int, seconds: float, body: bytes) -> None:
        """Record one answer; a 202's draft id counts once, however often replayed."""
        with self.lock:
            self.latencies.append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1
            if status == 202:
                self.accepted.add(json.loads(body)["id"])


def api_document(template: dict[str, Any], number: int, serial: int) -> str:
    """The example prescription as an EHR sends it, for its own patient."""
    document = copy.deepcopy(template)
    for key in ("written_on", "prescriber", "number"):
        document.pop(key, None)
    document["npi"] = npi(1)  # physician 1, of the keys' practice
    document["patient"]["name"] = f"Api Patient {number}-{serial}"
    document["coverage"]["member_id"] = f"API-{number}-{serial}"
    document["plan"]["start"] = (date.today() + timedelta(days=1)).isoformat()
    return json.dumps(document)


def api_client(
    hosts: Hosts, number: int, secret: str, deadline: float, stats: ApiStats
) -> None:
    """Create prescriptions one after another until the time is up; wait out a 429."""
    template = json.loads(EXAMPLE.read_text())
    headers = {
        "Authorization": f"Bearer {secret}",
        "Content-Type": "application/json",
        "X-Forwarded-For": f"10.88.{number // 250}.{number % 250 + 1}",
    }
    serial = 0
    while time.monotonic() < deadline:
        serial += 1
        body = api_document(template, number, serial)
        # The same key on a retry: the request is stored once, whichever host got it.
        headers["Idempotency-Key"] = f"load-{number}-{serial}"
        retry_after = _create(hosts, number, body, headers, stats)
        time.sleep(max(0.0, min(retry_after, deadline - time.monotonic())))


def _create(
    hosts: Hosts, number: int, body: str, headers: dict[str, str], stats: ApiStats
) -> float:
    """POST one prescription, again on a broken connection; the Retry-After."""
    for _ in range(RETRIES):
        port = hosts.pick(number, 1)
        connection = http.client.HTTPConnection(
            "127.0.0.1", port, timeout=REQUEST_TIMEOUT
        )
        started = time.monotonic()
        try:
            connection.request("POST", "/api/v1/prescriptions", body, headers)
            answer = connection.getresponse()
            data = answer.read()
        except (OSError, http.client.HTTPException):
            with stats.lock:
                stats.broken += 1
            continue
        finally:
            connection.close()
        stats.add(answer.status, time.monotonic() - started, data)
        return float(answer.headers.get("Retry-After") or 0)
    return 0.0


def check_api_drafts(url: str, accepted: set[str]) -> dict[str, int]:
    """How many API-requested drafts the database holds, and accepted ones missing."""
    with psycopg.connect(url) as connection:
        stored = {
            row[0]
            for row in connection.execute(
                "SELECT id FROM drafts WHERE requested_by_key IS NOT NULL"
            )
        }
    return {"api_stored": len(stored), "api_missing": len(accepted - stored)}


def arguments() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--physicians", type=int, default=50)
    parser.add_argument(
        "--hosts", type=int, default=1, choices=(1, 2), help="app servers"
    )
    parser.add_argument(
        "--api-clients", type=int, default=0, help="EHR clients creating via the API"
    )
    parser.add_argument(
        "--workers",
        type=int,
        help="gunicorn processes per host (default: serving.py's; more need --redis)",
    )
    parser.add_argument(
        "--redis",
        action="store_true",
        help="rate limits in Redis on one host too (always with --hosts 2)",
    )
    parser.add_argument(
        "--kill-at", type=float, help="seconds into the run (default: half-way)"
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server URL to use instead of starting the local one",
    )
    return parser.parse_args()


def environment(
    args: argparse.Namespace, stops: list[Callable[[], None]]
) -> dict[str, str]:
    """Start PostgreSQL (and Redis), migrate a fresh database; the servers' settings."""
    if args.database_url:
        server_url = args.database_url
    else:
        server_url, started_pg = start_postgres()
        if started_pg:
            stops.append(lambda: _script("ci-postgres.sh", "--stop"))
    stops.append(functools.partial(drop_database, server_url))
    storage = "memory://"
    if args.hosts > 1 or args.redis or (args.workers or 1) > 1:
        storage, started_redis = start_redis()
        if started_redis:
            stops.append(lambda: _script("ci-redis.sh", "--stop"))
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database(server_url),
        # Every host signs and reads the same session cookies.
        "SECRET_KEY": secrets.token_hex(32),
        "RATELIMIT_STORAGE_URI": storage,
        "RX_ICD_PRELOAD": "1",
        "RX_PROXY_FIX": "1",  # the X-Forwarded-For of each simulated office
        "RX_SELF_REGISTRATION": "1",  # the physicians register through the pages
        "FLASK_APP": "app",
    }
    if args.api_clients:
        env["RX_FINALIZE_LIMIT"] = API_FINALIZE_LIMIT
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return env


def _script(name: str, *arguments: str) -> None:
    subprocess.run(
        [str(ROOT / "scripts" / name), *arguments], check=False, capture_output=True
    )


def main() -> int:
    """Set up the servers and the accounts, run the load, check the database."""
    args = arguments()
    stops: list[Callable[[], None]] = []
    try:
        env = environment(args, stops)
        servers = []
        for _ in range(args.hosts):
            server = start_server(args, env)
            servers.append(server)
            stops.append(functools.partial(stop_server, server))
        return run(args, servers, env)
    finally:
        for stop in reversed(stops):
            stop()


def register_all(args: argparse.Namespace, hosts: Hosts) -> list[Browser] | None:
    """Every physician registered and signed in, or None (the failures printed)."""
    stats = Stats()
    setup_deadline = time.monotonic() + 300
    browsers = [
        Browser(hosts, number, stats, setup_deadline)
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
        return None
    return browsers


def run(args: argparse.Namespace, servers: list[Server], env: dict[str, str]) -> int:
    """Register the physicians, check limits and sessions, drive the load, report."""
    for server in servers:
        wait_until_up(server.port, server.process, server.log)
    hosts = Hosts([server.port for server in servers])
    browsers = register_all(args, hosts)
    if browsers is None:
        return 1
    confirm(env, args.physicians)
    checks: dict[str, Any] = {
        "login": check_login_limit(hosts, Stats()),
        "sessions": len(browsers),
        "sessions_ok": check_sessions(browsers, hosts),
    }
    keys = api_keys(env, args.api_clients) if args.api_clients else []
    print(
        f"{args.physicians} physicians registered, {len(keys)} API keys; "
        f"load for {args.seconds:g} s on {len(servers)} host(s)"
    )
    stats = Stats()
    api = ApiStats() if keys else None
    kill: dict[str, Any] = {"storage": env["RATELIMIT_STORAGE_URI"].split(":")[0]}
    drafts = drive(args, browsers, servers, hosts, keys, stats, api, kill)
    checked = check_database(env["DATABASE_URL"], drafts)
    checks.update(check_api_drafts(env["DATABASE_URL"], api.accepted if api else set()))
    ok = report(args, stats, drafts, checked, kill)
    ok = report_checks(checks, api, args.seconds) and ok
    print(
        f"load generator CPU {kill['cpu']:.1f} s (of {2 * args.seconds:g} s on 2 cores)"
    )
    print("gunicorn logs      " + " ".join(str(server.log) for server in servers))
    return 0 if ok else 1


def drive(
    args: argparse.Namespace,
    browsers: list[Browser],
    servers: list[Server],
    hosts: Hosts,
    keys: list[str],
    stats: Stats,
    api: ApiStats | None,
    kill: dict[str, Any],
) -> list[DraftRecord]:
    """The physicians and API clients for the run, one server or worker killed
    half-way; the drafts the physicians saved."""
    start = time.monotonic()
    deadline = start + args.seconds
    drafts: list[DraftRecord] = []
    kill["start"] = start
    cpu = time.process_time()
    kill_at = args.kill_at if args.kill_at is not None else args.seconds / 2
    timer = threading.Timer(kill_at, kill_half_way, (servers, hosts, kill, start))
    timer.start()
    threads = []
    for number, browser in enumerate(browsers, 1):
        browser.stats = stats
        browser.deadline = deadline
        threads.append(
            threading.Thread(target=physician, args=(browser, number, drafts))
        )
    for number, secret in enumerate(keys):
        threads.append(
            threading.Thread(
                target=api_client, args=(hosts, number, secret, deadline, api)
            )
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    timer.cancel()
    after_kill(servers, args.workers or 1, kill)
    kill["cpu"] = time.process_time() - cpu
    return drafts


if __name__ == "__main__":
    sys.exit(main())
