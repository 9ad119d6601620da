"""Each role signs in and follows every link from the home page; on each page it reaches,
axe-core finds no serious or critical violation and, 390 px wide, nothing scrolls sideways.

The crawl is generic: a new page is checked as soon as some page links to it. Links are
followed breadth-first; URLs that differ only in their ids (or their query values) share
a pattern, and each pattern is visited at most ``VISITS_PER_PATTERN`` times, which bounds
the run however much data there is."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from playwright.sync_api import Page, expect

from leancoach.testing.personas import PASSWORD
from leancoach.testing.programme import make_programme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WIDTH = 390
VISITS_PER_PATTERN = 3
MAX_PAGES = 200  # a safety net: the crawl fails rather than run on if patterns explode
# Not pages: downloads and feeds, the API, static files, and signing out (a POST anyway).
NOT_A_PAGE = re.compile(
    r"\.(ics|csv|pdf|json|svg|png|txt)$|^/api/|^/static/|^/calendar/|^/accounts/logout/"
)
ID = re.compile(r"^\d+$")

# Runs axe on the whole page, the hidden contents of <details> included (each is opened
# first), and returns the serious and critical violations only.
RUN_AXE = """async () => {
  document.querySelectorAll('details').forEach((d) => { d.open = true; });
  const result = await axe.run(document, { resultTypes: ['violations'] });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.map((n) => n.target.join(' ')) }));
}"""

# The elements whose right edge passes the viewport: what makes a page scroll sideways.
OVERFLOW = """() => {
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth <= width) return [];
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      let inside = false;
      for (let p = el.parentElement; p; p = p.parentElement) {
        const clips = getComputedStyle(p).overflowX !== 'visible';
        if (wide.includes(p) || (clips && p !== document.body)) { inside = true; break; }
      }
      if (!inside) wide.push(el);
    }
  }
  return [`scrollWidth ${document.documentElement.scrollWidth} > ${width}`].concat(
    wide.slice(0, 5).map((el) => el.tagName.toLowerCase()
      + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined
        ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '')));
}"""

LINKS = "() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href)"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # A phone-sized viewport for the sideways-scrolling check. The Content-Security-Policy
    # stays on (no bypass_csp): pages are checked as people get them. axe goes in through
    # page.evaluate, which runs over the DevTools protocol, where the page's CSP does not
    # apply; add_script_tag would add an inline script, which the policy refuses.
    return {**browser_context_args, "viewport": {"width": WIDTH, "height": 844}}


@dataclass
class Crawl:
    origin: str
    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    per_pattern: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def pattern(url: str) -> str:
    """The URL with its ids and query values left out: /engagements/<id>/meetings/?status."""
    parts = urlsplit(url)
    path = "/".join("<id>" if ID.match(part) else part for part in parts.path.split("/"))
    keys = sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)})
    return path + ("?" + "&".join(keys) if keys else "")


def worth_visiting(crawl: Crawl, url: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != crawl.origin:
        return False
    return not NOT_A_PAGE.search(parts.path)


def check(page: Page, crawl: Crawl, url: str, axe_source: str) -> list[str]:
    """Visit ``url``, note what is wrong with it, and return the links it offers."""
    crawl.errors.clear()
    response = page.goto(url)
    path = url.removeprefix(crawl.origin)
    if response is None:
        crawl.problems.append(f"{path}: no response")
        return []
    if not response.headers.get("content-type", "").startswith("text/html"):
        return []
    crawl.visited.append(path)
    if response.status != 200:
        # Navigation is derived from access.py: a link never leads to a refusal.
        crawl.problems.append(f"{path}: a link leads to HTTP {response.status}")
    page.evaluate(axe_source)
    for violation in page.evaluate(RUN_AXE):
        crawl.problems.append(
            f"{path}: {violation['id']} ({violation['impact']}: {violation['help']}) on "
            + ", ".join(violation["nodes"])
        )
    overflow = page.evaluate(OVERFLOW)
    if overflow:
        crawl.problems.append(f"{path}: scrolls sideways at {WIDTH} px: " + "; ".join(overflow))
    # What the browser refused or failed to run: an inline style or script the policy
    # blocks, a script error. Collected from the console while the page was open.
    crawl.problems.extend(f"{path}: {error}" for error in crawl.errors)
    links: list[str] = page.evaluate(LINKS)
    return links


def crawl_from(page: Page, live_url: str, starts: list[str]) -> Crawl:
    crawl = Crawl(origin=live_url.rstrip("/"))
    axe_source = AXE.read_text(encoding="utf-8")
    page.on(
        "console",
        lambda message: (
            crawl.errors.append(f"console: {message.text}") if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: crawl.errors.append(f"script error: {error}"))
    queue = deque(crawl.origin + start for start in starts)
    seen = set(queue)
    while queue:
        url = queue.popleft()
        key = pattern(url)
        if crawl.per_pattern.get(key, 0) >= VISITS_PER_PATTERN:
            continue
        crawl.per_pattern[key] = crawl.per_pattern.get(key, 0) + 1
        assert len(crawl.visited) < MAX_PAGES, (
            f"the crawl passed {MAX_PAGES} pages; patterns seen: {sorted(crawl.per_pattern)}"
        )
        for link in check(page, crawl, url, axe_source):
            link = urldefrag(link).url
            if link not in seen and worth_visiting(crawl, link):
                seen.add(link)
                queue.append(link)
    return crawl


def sign_in(page: Page, live_url: str, email: str) -> None:
    page.goto(f"{live_url}/accounts/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name=re.compile("^Welcome"))).to_be_visible()


@pytest.mark.parametrize(
    "role", ["admin", "coach", "client", "sponsor", "outsider", "mentee", "signed out"]
)
def test_every_page_each_role_reaches_is_accessible(
    page: Page, live_url: str, personas: Any, engagements: Any, role: str
) -> None:
    assert AXE.exists(), f"{AXE} is missing: `make assets` (npm ci) installs axe-core"
    programme = make_programme(personas, engagements)
    emails = {name: user.email for name, user in personas.all().items()}
    emails["mentee"] = programme.mentee_email
    for user in [*personas.all().values(), engagements.other_client]:
        user.set_password(PASSWORD)
        user.save()

    if role == "signed out":
        crawl = crawl_from(page, live_url, ["/accounts/login/"])
    else:
        sign_in(page, live_url, emails[role])
        starts = ["/"]
        if role in ("coach", "client"):
            # Links reach upcoming meetings first, and each pattern is visited only a few
            # times: start from a held meeting too, with its notes and actions.
            held = programme.held_meeting
            starts.append(f"/engagements/{held.engagement_id}/meetings/{held.pk}/")
        crawl = crawl_from(page, live_url, starts)

    assert len(crawl.visited) > 1, f"the crawl as {role} reached no page but {crawl.visited}"
    assert not crawl.problems, (
        f"{len(crawl.problems)} problems on {len(crawl.visited)} pages as {role}:\n"
        + "\n".join(crawl.problems)
    )
