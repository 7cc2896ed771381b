"""How fast a physician writes the standard order: interactions, page loads, KLM time.

The standard order (issue 12): a Workers' Compensation whiplash patient, CPT 97140 with
myofascial release and neuromuscular therapy, light pressure, cervical spine and left
shoulder, three diagnoses found by words, 60 minutes, 3x/week for 1 week, 2x/week for
1 week, then 1x/week for 6 weeks, one measurable goal, finalized.

Headless Debian Chromium drives the app (served in-process on an empty SQLite file)
from the Drafts page through Finalize, with the mouse and keyboard as a person would,
and again with the keyboard alone (each Tab counted). Every click, key press and page
load is counted; the time a practiced person would need is estimated with the
keystroke-level model of Card, Moran and Newell (The Psychology of Human-Computer
Interaction, 1983, ch. 8), with these operator times:

  K  0.28 s  a key press (average non-secretarial typist, about 40 words a minute)
  P  1.10 s  pointing with the mouse at a target
  B  0.20 s  a click (button press and release, BB)
  H  0.40 s  moving a hand between keyboard and mouse
  M  1.35 s  mental preparation: once for each field filled or control chosen
  R  measured: each page load's navigation time in the browser

    .venv/bin/python bench/order_speed.py            # every flow, a table
    .venv/bin/python bench/order_speed.py --json     # the same as JSON
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Locator, Page, expect, sync_playwright  # noqa: E402

K, P, B, H, M = 0.28, 1.10, 0.20, 0.40, 1.35
VIEWPORT = {"width": 1366, "height": 768}
EMAIL = "bench.physician@example.org"
# On a fresh page, whether "Skip to the form" leads towards ``el`` (a keyboard user
# takes it: Tab, Enter, and the next Tab is the step's first field).
SKIP_HELPS = """el => {
  const a = document.activeElement;
  const skip = document.querySelector('a.skip[href="#step-fields"]');
  const fields = document.getElementById('step-fields');
  return (!a || a === document.body) && !!skip && !!fields && fields.contains(el);
}"""
# Whether ``el`` is the element one Tab press after the focused one.
NEXT_TABBABLE = """el => {
  const a = document.activeElement;
  // Tab inside a date box moves between its parts: click the next field instead.
  if (!a || a === document.body || a === el || a.type === 'date') return false;
  const all = Array.from(document.querySelectorAll(
    'input, select, textarea, button, a[href], [tabindex]'))
    .filter(e => e.tabIndex >= 0 && !e.disabled && e.type !== 'hidden'
                 && e.getClientRects().length > 0);
  const i = all.indexOf(a);
  return i >= 0 && all[i + 1] === el;
}"""


@dataclass
class Tally:
    """What one run of a flow cost."""

    clicks: int = 0
    keys: int = 0
    tabs: int = 0
    loads: int = 0
    mental: int = 0
    homing: int = 0
    response_s: float = 0.0
    script_s: float = 0.0
    # Spent up to the end of the patient step (who, and the claim): typing that only
    # the EHR (a launch) or an earlier order of the patient can spare.
    patient: int = 0
    patient_s: float = 0.0

    @property
    def interactions(self) -> int:
        return self.clicks + self.keys

    @property
    def estimate_s(self) -> float:
        """Keystroke-level estimate: operators times counts, plus measured loads."""
        return (
            self.keys * K
            + self.clicks * (P + B)
            + self.homing * H
            + self.mental * M
            + self.response_s
        )


class Operator:
    """A person at the browser: every action counted, by mouse or keyboard alone."""

    def __init__(self, page: Page, keyboard_only: bool = False) -> None:
        self.page = page
        self.keyboard_only = keyboard_only
        self.tally = Tally()
        self.hand = "keyboard"
        page.on("load", lambda _page: self._loaded())

    def _loaded(self) -> None:
        self.tally.loads += 1
        timing = self.page.evaluate(
            "() => { const n = performance.getEntriesByType('navigation')[0];"
            " return n ? n.duration : 0; }"
        )
        self.tally.response_s += float(timing) / 1000

    def _use(self, hand: str) -> None:
        if hand != self.hand:
            self.tally.homing += 1
            self.hand = hand

    def _press(self, key: str) -> None:
        self._use("keyboard")
        self.page.keyboard.press(key)
        self.tally.keys += 1

    def focus(self, target: Locator) -> None:
        """Bring focus to ``target``: a click, or Tab presses until it has focus."""
        handle = target.element_handle()
        if self.keyboard_only:
            self._tab_to(target)
        elif self.page.evaluate(NEXT_TABBABLE, handle):
            self._press("Tab")  # the next field: a practiced person tabs to it
            self.tally.tabs += 1
            if not self.page.evaluate("el => document.activeElement === el", handle):
                raise AssertionError(f"Tab did not reach {target}")
        elif not self.page.evaluate("el => document.activeElement === el", handle):
            self._use("mouse")
            # A date box is clicked on its first part (the month), as a person would.
            is_date = target.evaluate("el => el.type === 'date'")
            target.click(position={"x": 12, "y": 10} if is_date else None)
            self.tally.clicks += 1

    def _tab_to(self, target: Locator) -> None:
        handle = target.element_handle()
        if self.page.evaluate(SKIP_HELPS, handle):
            self._press("Tab")  # the skip link comes first on a fresh page
            self._press("Enter")
        before = self.page.evaluate(
            "el => { const a = document.activeElement;"
            " if (a === el) return 0; if (!a || a === document.body) return 1;"
            " return a.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING"
            " ? 1 : -1; }",
            handle,
        )
        key = "Tab" if before >= 0 else "Shift+Tab"
        for _ in range(300):
            if self.page.evaluate("el => document.activeElement === el", handle):
                return
            self._press(key)
            self.tally.tabs += 1
        raise AssertionError(f"Tab never reached {target}")

    def click(self, target: Locator, think: bool = True) -> None:
        """Press a button, link, checkbox or radio (Space or Enter by keyboard)."""
        self.tally.mental += think
        if self.keyboard_only:
            self._tab_to(target)
            kind = target.evaluate("el => el.type || el.tagName")
            self._press(" " if kind in ("checkbox", "radio") else "Enter")
        else:
            self._use("mouse")
            target.click()
            self.tally.clicks += 1

    def type(self, target: Locator, text: str, think: bool = True) -> None:
        """Type ``text`` into a text box, one key per character."""
        self.tally.mental += think
        self.focus(target)
        self._use("keyboard")
        self.page.keyboard.type(text)
        self.tally.keys += len(text)

    def key(self, key: str) -> None:
        """One key press (Enter, an arrow...) with focus where it is."""
        self._press(key)

    def pick_offered(self, box: Locator, typed: str, value: str) -> None:
        """Type the first letters, then take the offered value (ArrowDown, Enter).

        Chromium's native <datalist> popup cannot be driven headless: the two keys
        are counted and the value is set as the pick would set it.
        """
        self.type(box, typed)
        box.fill(value)
        self.tally.keys += 2

    def choose(self, select: Locator, value: str) -> None:
        """Pick an option of a <select>: counted as its first letters typed."""
        self.tally.mental += 1
        self.focus(select)
        select.select_option(value=value)
        label = select.evaluate("s => s.options[s.selectedIndex].text")
        self._use("keyboard")
        self.tally.keys += _letters_to_pick(select, label)


def _letters_to_pick(select: Locator, label: str) -> int:
    """How many leading letters of ``label`` pick it in the select's type-ahead."""
    labels = select.evaluate("s => Array.from(s.options).map(o => o.text)")
    for n in range(1, len(label) + 1):
        if [x for x in labels if x.lower().startswith(label[:n].lower())][:1] == [
            label
        ]:
            return n
    return len(label)


# ---- The standard order, step by step --------------------------------------------

PATIENT = {
    "name": "Jordan Whitfield",
    "dob": "04121979",  # typed into a date box: digits only
    "claim_number": "WC26-4417",
    "employer": "Gulf Builders",
    "payer_name": "Sunshine Mutual",
    "date_of_injury": "10022026",
}


def _next(op: Operator, page: Page, then: str | None = None) -> None:
    """Next; the step must have been accepted (no error summary after it)."""
    op.click(page.get_by_role("button", name="Next →"))
    page.wait_for_load_state()
    if then:
        expect(page).to_have_url(re.compile(f"/{then}$"))
    errors = page.locator(".error-summary")
    if errors.count():
        raise AssertionError(f"{page.url}: {errors.first.inner_text()}")


def patient_step(op: Operator, page: Page, then: str | None = None) -> None:
    """The patient and the Workers' Comp claim."""
    op.type(page.locator("#name"), PATIENT["name"])
    op.type(page.locator("#dob"), PATIENT["dob"])
    if page.locator("#payer_type").input_value() != "workers_comp":  # a preset sets it
        op.choose(page.locator("#payer_type"), "workers_comp")
    op.pick_offered(page.locator("#payer_name"), "Sun", PATIENT["payer_name"])
    op.type(page.locator("#claim_number"), PATIENT["claim_number"])
    op.type(page.locator("#date_of_injury"), PATIENT["date_of_injury"])
    op.type(page.locator("#employer"), PATIENT["employer"])
    if page.locator("#jurisdiction_state").input_value() != "FL":  # offered
        op.choose(page.locator("#jurisdiction_state"), "FL")
    _next(op, page, then)


def counted_patient_step(op: Operator, page: Page, then: str | None = None) -> None:
    """The patient step, its cost kept apart from the order's."""
    before, before_s = op.tally.interactions, op.tally.estimate_s
    patient_step(op, page, then)
    op.tally.patient = op.tally.interactions - before
    op.tally.patient_s = op.tally.estimate_s - before_s


def modality_step(op: Operator, page: Page) -> None:
    op.click(page.get_by_label("Myofascial release"))  # ticks CPT 97140 with it
    expect(page.locator("#cpt-97140")).to_be_checked()
    op.click(page.get_by_label("Neuromuscular therapy"))
    op.click(page.get_by_label("Light"))
    _next(op, page)


def areas_step(op: Operator, page: Page) -> None:
    """By mouse on the body map (the side is where it is clicked); by keyboard, the
    list (the map is one Tab stop whose arrows a list user need not learn)."""
    if op.keyboard_only:
        op.click(page.locator("#area_cervical"))
        op.click(page.locator("#area_shoulder"))
        op.click(page.locator("#side_shoulder-0"))
    else:
        front = page.locator("[data-view=front]")
        op.click(front.locator("[data-area=cervical]"))
        op.click(front.locator("[data-area=shoulder][data-side=left]"))
    _next(op, page)


# Words typed for each diagnosis, and the code wanted: a person types until the
# wanted code is the highlighted first suggestion, then presses Enter.
DIAGNOSES = (
    ("whiplash", "S13.4XXA"),
    ("cervicalgia", "M54.2"),
    ("left shoulder pain", "M25.512"),
)
SETTLED = """q => {
  const s = document.querySelector('[role=status][aria-live]');
  return !!s && (s.textContent.includes('for ' + q + '.')
                 || s.textContent.includes('matches ' + q + '.'));
}"""
FIRST_CODE = """() => {
  const o = document.querySelector(
    '#dx-typeahead [role=option][aria-selected=true] .code');
  return o ? o.textContent : null;
}"""


def diagnoses_step(op: Operator, page: Page) -> None:
    """Three codes found by words in the one box, each added in place by Enter."""
    box = page.locator("#q")
    for words, code in DIAGNOSES:
        op.tally.mental += 1
        op.focus(box)
        op._use("keyboard")
        for typed in range(1, len(words) + 1):
            page.keyboard.type(words[typed - 1])
            op.tally.keys += 1
            query = words[:typed].strip()
            if typed < 3 or query != words[:typed]:
                continue
            page.wait_for_function(SETTLED, arg=query)
            if page.evaluate(FIRST_CODE) == code:
                break
        else:
            raise AssertionError(f"{words!r} never put {code} first")
        op.key("Enter")
        expect(page.locator("#chosen-codes .code", has_text=code)).to_be_visible()
    _next(op, page)


def session_step(op: Operator, page: Page) -> None:
    """60 minutes is the default; the plan is a common one, the goal an idea."""
    op.click(page.get_by_role("button", name="3x/week for 1 week, then 2x/week"))
    op.click(page.get_by_role("button", name="Cervical rotation (degrees)"))
    op.type(page.locator("#goals-0-baseline"), "45")
    op.type(page.locator("#goals-0-target"), "70")
    _next(op, page)


def review_step(op: Operator, page: Page) -> None:
    """Accept the shown warnings if asked, attest, finalize."""
    accept = page.locator("#accept_warnings")
    if accept.count():
        op.click(accept)
    op.click(page.locator("#attest"))
    op.click(page.get_by_role("button", name="Finalize and create PDF"))
    expect(page.get_by_text("Download PDF").first).to_be_visible()


def blank_order(op: Operator, page: Page) -> None:
    """From the Drafts page, a new prescription written from nothing."""
    op.click(page.get_by_role("button", name="New prescription"))
    counted_patient_step(op, page)
    for step in (modality_step, areas_step, diagnoses_step, session_step):
        step(op, page)
    review_step(op, page)


def preset_order(op: Operator, page: Page) -> None:
    """From the Drafts page, the same order from the preset "Whiplash, WC"."""
    op.click(page.get_by_role("button", name="New prescription"))
    op.click(page.get_by_role("button", name=PRESET))
    expect(page.locator("#payer_type")).to_have_value("workers_comp")
    counted_patient_step(op, page, then="session")
    # A preset keeps each goal, not this patient's baseline: typed, then the review.
    op.type(page.locator("#goals-0-baseline"), "45")
    _next(op, page, then="review")
    review_step(op, page)


def save_preset(page: Page) -> None:
    """Not counted: the last prescription saved as a preset, from its page."""
    page.get_by_text("Save this order as a preset").click()
    page.fill("#preset_name", PRESET)
    page.get_by_role("button", name="Save preset").click()
    page.wait_for_load_state()


PRESET = "Whiplash, WC"
FLOWS: dict[str, Callable[[Operator, Page], None]] = {
    "blank": blank_order,
    "preset": preset_order,
}


# ---- The app, a physician, and the runs -------------------------------------------


def _serve(folder: Path) -> tuple[str, Callable[[], None]]:
    """The app on an empty SQLite file in a thread, one signed-up physician."""
    from rxassist.icd import default_index
    from tests.e2e.conftest import serve_in_thread, stop
    from tests.factories import make_app, physician, prescription
    from tests.helpers import order

    app = make_app(folder, default_index(), RATELIMIT_ENABLED=False)
    physician(app, email=EMAIL, practice="Lakeside Spine")
    # The practice has written before: its carrier is offered on the patient step.
    earlier = order()
    earlier["coverage"]["payer_name"] = PATIENT["payer_name"]
    prescription(app, email=EMAIL, coverage=earlier["coverage"])
    server, thread = serve_in_thread(app)
    return f"http://127.0.0.1:{server.server_port}", lambda: stop(server, thread)


def _sign_in(page: Page, base: str) -> None:
    from tests.e2e.site import log_in

    log_in(page, base, EMAIL)
    page.goto(f"{base}/drafts")


def run_flow(browser: Any, base: str, name: str, keyboard_only: bool) -> Tally:
    """One flow in a fresh browser context; what it cost."""
    context = browser.new_context(viewport=VIEWPORT)
    context.set_default_timeout(20_000)
    page = context.new_page()
    _sign_in(page, base)
    op = Operator(page, keyboard_only=keyboard_only)
    started = time.perf_counter()
    FLOWS[name](op, page)
    op.tally.script_s = time.perf_counter() - started
    if name == "blank" and not keyboard_only:
        save_preset(page)  # for the preset flows that follow
    context.close()
    return op.tally


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--flow", choices=sorted(FLOWS), action="append")
    args = parser.parse_args(argv)
    import shutil

    chromium = shutil.which("chromium")
    if not chromium:
        print("chromium is missing: `make browser` installs it", file=sys.stderr)
        return 1
    results: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        base, shutdown = _serve(Path(folder))
        from tests.e2e.conftest import CHROMIUM_ARGS  # the suite's own flags

        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        try:
            wanted = args.flow or list(FLOWS)
            if "preset" in wanted and "blank" not in wanted:
                run_flow(browser, base, "blank", keyboard_only=False)  # saves it
            for name in wanted:
                results[name] = run_flow(browser, base, name, keyboard_only=False)
                results[f"{name}, keyboard only"] = run_flow(
                    browser, base, name, keyboard_only=True
                )
        finally:
            browser.close()
            shutdown()
    _report(results, args.json)
    return 0


def _report(results: dict[str, Tally], as_json: bool) -> None:
    if as_json:
        out = {
            k: {**asdict(t), "interactions": t.interactions, "estimate_s": t.estimate_s}
            for k, t in results.items()
        }
        print(json.dumps(out, indent=2))
        return
    print(f"Standard order, {date.today()} (KLM: K {K}s P {P}s B {B}s H {H}s M {M}s)")
    print("'order' is everything but typing the patient and the claim on step 1")
    print(
        f"{'flow':<26}{'inter.':>7}{'clicks':>7}{'keys':>6}{'tabs':>6}{'loads':>6}"
        f"{'script':>8}{'KLM':>8}{'order':>7}{'order KLM':>10}"
    )
    for name, t in results.items():
        print(
            f"{name:<26}{t.interactions:>7}{t.clicks:>7}{t.keys:>6}{t.tabs:>6}"
            f"{t.loads:>6}{t.script_s:>7.1f}s{t.estimate_s:>7.1f}s"
            f"{t.interactions - t.patient:>7}{t.estimate_s - t.patient_s:>9.1f}s"
        )


if __name__ == "__main__":
    raise SystemExit(main())
