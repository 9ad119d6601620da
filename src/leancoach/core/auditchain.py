"""The audit log's hash chain: each row's hash covers its content and the previous row's hash.

Rewriting a row changes its hash; deleting or reordering rows breaks the link
of the row after them. ``leancoach audit-verify`` walks the whole chain; the
"Who has seen my data" page checks the rows it shows (docs/decisions.md).

Appends are serialised, so two writers never chain to the same predecessor:
PostgreSQL takes a transaction-level advisory lock, SQLite's IMMEDIATE
transactions already hold the database's only write lock. Either way the lock
lasts until the writer's transaction commits, so the next writer reads a head
that is committed. So write audit rows late in a transaction, as the services
do: the lock is then held briefly, and never while waiting for a row lock.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.db import connections

if TYPE_CHECKING:
    from leancoach.core.models import AuditEvent

# The link before the first row.
GENESIS = "0" * 64
# pg_advisory_xact_lock key: b"lcaudit1" read as a signed 64-bit integer.
LOCK_KEY = int.from_bytes(b"lcaudit1", "big", signed=True)
# Bumped if the serialisation ever changes; part of every hash, so a change cannot go unnoticed.
VERSION = 1


class Chained(Protocol):
    at: datetime
    actor_id: int | None
    actor_label: str
    actor_role: str
    action: str
    engagement_id: int | None
    what: str
    detail: str
    ip_address: str | None
    user_agent: str
    prev_hash: str
    hash: str


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _address(value: str | None) -> str | None:
    # PostgreSQL's inet and Django's cleaning may spell one address differently; hash its meaning.
    if not value:
        return None
    try:
        return ipaddress.ip_address(str(value).split("/")[0]).exploded
    except ValueError:
        return str(value)


def canonical(event: Chained, prev_hash: str) -> bytes:
    """The bytes a row's hash covers: its fields as stored, and its predecessor's hash."""
    fields: dict[str, Any] = {
        "v": VERSION,
        "at": _moment(event.at),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "actor_role": event.actor_role,
        "action": event.action,
        "engagement": event.engagement_id,
        "what": event.what,
        "detail": event.detail,
        "ip_address": _address(event.ip_address),
        "user_agent": event.user_agent,
        "prev_hash": prev_hash,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def event_hash(event: Chained, prev_hash: str) -> str:
    return hashlib.sha256(canonical(event, prev_hash)).hexdigest()


def lock_and_read_head(using: str) -> str:
    """Take the chain's append lock (held to the end of the transaction); the last row's hash.

    Call inside a transaction: the lock is what keeps the head from moving before
    the caller's rows are inserted and committed.
    """
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # pg_advisory_xact_lock, then the head read with a fresh snapshot, in one round
            # trip (the function is in the audit_hash_chain migration).
            cursor.execute("SELECT leancoach_audit_chain_head(%s)", [LOCK_KEY])
        else:
            cursor.execute("SELECT hash FROM core_auditevent ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    return str(row[0]) if row else GENESIS


def link(events: Iterable[Chained], head: str) -> str:
    """Chain ``events`` in order after ``head``; returns the new head."""
    for event in events:
        event.prev_hash = head
        event.hash = head = event_hash(event, head)
    return head


# --- Verification ------------------------------------------------------------

CONTENT_CHANGED = "its content was changed after it was recorded (its hash no longer matches)"


@dataclass(frozen=True)
class Break:
    event_id: int
    at: datetime
    problem: str

    def __str__(self) -> str:
        return f"entry #{self.event_id} (recorded {_moment(self.at)}): {self.problem}"


def check(event: Chained, event_id: int, expected_prev: str, prev_id: int | None) -> Break | None:
    """What is wrong with one row, given the hash of the row just before it in id order."""
    if event.hash != event_hash(event, event.prev_hash):
        return Break(event_id, event.at, CONTENT_CHANGED)
    if event.prev_hash != expected_prev:
        if prev_id is None:
            problem = (
                "it is the first entry but links to an earlier one: entries before it are missing"
            )
        else:
            problem = (
                f"it does not link to the entry before it (#{prev_id}): an entry between them "
                "was deleted, or entries were reordered or rewritten"
            )
        return Break(event_id, event.at, problem)
    return None


class Report(Protocol):
    def __call__(self, stage: str, done: int, total: int) -> None: ...


@dataclass(frozen=True)
class Verification:
    rows: int
    head_id: int | None
    head_hash: str
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify_chain(
    events: Iterator[AuditEvent],
    *,
    total: int,
    anchor: tuple[int, str, datetime] | None = None,
    report: Report | None = None,
) -> Verification:
    """Walk ``events`` (every row, in id order) and stop at the first broken one.

    ``anchor``: (id, hash, when) of the last row a previous full run verified; if
    it is gone or changed, rows were removed from the end of the log, which the
    chain alone cannot show.
    """
    prev_hash, prev_id = GENESIS, None
    rows = 0
    anchor_seen = anchor is None
    for event in events:
        if anchor is not None and not anchor_seen and event.pk > anchor[0]:
            return Verification(rows, prev_id, prev_hash, _anchor_missing(anchor))
        problem = check(event, event.pk, prev_hash, prev_id)
        if problem is not None:
            return Verification(rows, prev_id, prev_hash, problem)
        if anchor is not None and event.pk == anchor[0]:
            if event.hash != anchor[1]:
                return Verification(
                    rows, prev_id, prev_hash, Break(event.pk, event.at, CONTENT_CHANGED)
                )
            anchor_seen = True
        prev_hash, prev_id = event.hash, event.pk
        rows += 1
        if report is not None and (rows % 1000 == 0 or rows == total):
            report("audit entries", rows, total)
    if not anchor_seen and anchor is not None:
        return Verification(rows, prev_id, prev_hash, _anchor_missing(anchor))
    return Verification(rows, prev_id, prev_hash, None)


def _anchor_missing(anchor: tuple[int, str, datetime]) -> Break:
    return Break(
        anchor[0],
        anchor[2],
        "this entry, the last one a full check verified, is missing: "
        "entries were deleted from the end of the log",
    )


@dataclass(frozen=True)
class PageCheck:
    """What checking the rows of one page found."""

    rows: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def check_rows(
    events: Sequence[AuditEvent], previous: dict[int, tuple[int, str] | None]
) -> PageCheck:
    """Check each row's own hash and its link to the row just before it in the whole log.

    ``previous``: for each row's id, (id, hash) of the row with the next lower id,
    or None for the first row of the log.
    """
    for event in events:
        before = previous.get(event.pk)
        prev_id, prev_hash = before if before is not None else (None, GENESIS)
        problem = check(event, event.pk, prev_hash, prev_id)
        if problem is not None:
            return PageCheck(len(events), problem)
    return PageCheck(len(events), None)


# --- Reading and recording -----------------------------------------------------


def verify_whole_log(*, report: Report | None = None) -> Verification:
    """Verify every row in id order (streamed), then record the run as an AuditCheck."""
    from leancoach.core.models import AuditCheck, AuditEvent

    last_good = AuditCheck.objects.filter(ok=True, head_id__isnull=False).order_by("-id").first()
    anchor = (
        (int(last_good.head_id), last_good.head_hash, last_good.at)
        if last_good is not None and last_good.head_id is not None
        else None
    )
    total = AuditEvent.objects.count()
    if report is not None:
        report("audit entries", 0, total)
    events = AuditEvent.objects.order_by("pk").iterator(chunk_size=2000)
    result = verify_chain(events, total=total, anchor=anchor, report=report)
    AuditCheck.objects.create(
        ok=result.ok,
        rows=result.rows,
        head_id=result.head_id if result.ok else None,
        head_hash=result.head_hash if result.ok else "",
        broken_event_id=result.broken.event_id if result.broken else None,
        problem=str(result.broken or "")[:500],
    )
    return result


@dataclass(frozen=True)
class Integrity:
    """What a page of the log can honestly say about it."""

    page: PageCheck
    last_full_check: Any  # AuditCheck | None


def page_integrity(events: Sequence[AuditEvent]) -> Integrity:
    """Check the rows shown (two queries whatever their number) and fetch the last full check.

    Each row's own hash is recomputed, and its link checked against the row just
    before it in the whole log, found by one indexed look-up per row in one query.
    """
    from django.db.models import OuterRef, Subquery

    from leancoach.core.models import AuditCheck, AuditEvent

    previous: dict[int, tuple[int, str] | None] = {}
    if events:
        before = AuditEvent.objects.filter(pk__lt=OuterRef("pk")).order_by("-pk")
        rows = (
            AuditEvent.objects.filter(pk__in=[event.pk for event in events])
            .annotate(
                before_id=Subquery(before.values("pk")[:1]),
                before_hash=Subquery(before.values("hash")[:1]),
            )
            .values_list("pk", "before_id", "before_hash")
        )
        previous = {
            pk: (before_id, before_hash) if before_id is not None else None
            for pk, before_id, before_hash in rows
        }
    last = AuditCheck.objects.order_by("-id").first()
    return Integrity(check_rows(events, previous), last)
