"""Reminder digests that do not overwhelm: at most one e-mail a day (or a week) per person.

``send_reminders`` is safe to run every minute from cron or a systemd timer:

* each person's digest for a period (``day:2026-12-01`` or ``week:2026-W49``, in the
  person's own time zone) is a unique ``ReminderDigest`` row, *claimed* in its own
  committed transaction before the e-mail goes out — two copies running at once
  cannot both claim it, and a second run finds it claimed. (A copy that dies between
  claiming and sending loses that one digest: at most once, never twice.) The mail
  connection is opened before the first claim, so a mail server that is down stops the
  run with nothing claimed, and the next run sends everything;
* a digest goes out once the person's local time passes ``SEND_HOUR`` (07:00); a
  weekly digest on the first run of the ISO week from Monday 07:00 on (if none ran on
  Monday, the next day's first run from 07:00). Never in the night;
* at most one e-mail a day, even when someone switches between daily and weekly after
  this morning's digest: the other kind waits for a day with none;
* a period with nothing due is claimed too, with no e-mail, so later runs skip the person
  with one cheap lookup;
* people are taken ``BATCH`` at a time: a few queries per batch, one digest per person.

What a digest lists goes through ``access.may_be_mailed_about``, like every e-mail:
meetings, action due dates and practice the person may read. It carries no notes at
all — private or shared — and no term of any agreement: of what waits for the person
(``access.waiting_for``: an answer to a proposal, a signature) only who takes part, the
version and the link. Times are on the person's own clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from leancoach.core import access
from leancoach.core.access import Category
from leancoach.core.models import ReminderChoice
from leancoach.cycle.models import PracticeCommitment
from leancoach.cycle.selectors import occasions
from leancoach.engagements.models import (
    Agreement,
    Answer,
    Consent,
    Engagement,
    Signature,
    Status,
)
from leancoach.engagements.selectors import Ask, asks_for
from leancoach.meetings.models import (
    ActionItem,
    ActionOwner,
    ActionStatus,
    Meeting,
    MeetingStatus,
    ReminderDigest,
)
from leancoach.people.models import Person

SEND_HOUR = 7


def period_of(choice: str, local_now: datetime.datetime) -> str | None:
    """The digest period due at ``local_now`` (the person's wall clock), or None (not yet / off)."""
    if local_now.hour < SEND_HOUR:  # no e-mail in the night, whichever the day
        return None
    if choice == ReminderChoice.DAILY:
        return f"day:{local_now.date().isoformat()}"
    if choice == ReminderChoice.WEEKLY:
        year, week, _ = local_now.isocalendar()
        return f"week:{year}-W{week:02d}"
    return None


def _window(period: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day a period's digest covers."""
    kind, _, value = period.partition(":")
    if kind == "day":
        day = datetime.date.fromisoformat(value)
        return day, day
    year, week = value.split("-W")
    monday = datetime.date.fromisocalendar(int(year), int(week), 1)
    return monday, monday + datetime.timedelta(days=6)


@dataclass
class Digest:
    person: Person
    period: str
    zone: ZoneInfo  # the person's own: times in the e-mail are on their clock
    first: datetime.date
    last: datetime.date
    meetings: list[Meeting] = field(default_factory=list)
    actions_due: list[ActionItem] = field(default_factory=list)
    overdue: int = 0
    practice: list[tuple[PracticeCommitment, int]] = field(default_factory=list)
    to_confirm: int = 0
    asks: list[Ask] = field(default_factory=list)  # answers and signatures waiting for them

    @property
    def items(self) -> int:
        return (
            len(self.asks)
            + len(self.meetings)
            + len(self.actions_due)
            + self.overdue
            + len(self.practice)
            + self.to_confirm
        )


def build_digest(person: Person, period: str, zone: ZoneInfo, *, now: datetime.datetime) -> Digest:
    """What is due for ``person`` in ``period`` from ``now`` on, only what they may read."""
    first, last = _window(period)
    digest = Digest(person=person, period=period, zone=zone, first=first, last=last)
    engagements = list(
        Engagement.objects.filter(Q(coach=person) | Q(client=person))
        .exclude(status=Status.CLOSED)
        .select_related("coach__user", "client__user", "sponsor")
    )

    def where(category: Category) -> list[int]:
        return [e.pk for e in engagements if access.may_be_mailed_about(person, e, category)]

    start = max(now, datetime.datetime.combine(first, datetime.time.min, tzinfo=zone))
    end = datetime.datetime.combine(
        last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    digest.meetings = list(
        Meeting.objects.filter(
            engagement__in=where(Category.MEETINGS),
            status=MeetingStatus.SCHEDULED,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("engagement__coach", "engagement__client")
        .order_by("starts_at", "id")
    )
    mine = Q(engagement__client=person, owner="client") | Q(engagement__coach=person, owner="coach")
    actions = ActionItem.objects.filter(
        mine, engagement__in=where(Category.ACTION_STATUS), status=ActionStatus.OPEN
    )
    digest.actions_due = list(
        actions.filter(due_on__gte=first, due_on__lte=last).order_by("due_on", "id")
    )
    digest.overdue = actions.filter(due_on__lt=first).count()
    coached = {e.pk for e in engagements if e.coach_id == person.pk}
    # What the coach's clients marked done; the coach's own done actions are no one's to confirm
    # but theirs, and a digest would otherwise nag them about them every day.
    digest.to_confirm = ActionItem.objects.filter(
        engagement__in=[pk for pk in where(Category.ACTION_STATUS) if pk in coached],
        owner=ActionOwner.CLIENT,
        status=ActionStatus.DONE,
        confirmed_at__isnull=True,
    ).count()
    for commitment in (
        PracticeCommitment.objects.filter(
            engagement__in=where(Category.PRACTICE), engagement__client=person
        )
        .exclude(ends_on__lt=first)
        .select_related("behaviour")
        .order_by("starts_on", "id")
    ):
        due = len(occasions(commitment, first, last))
        if due:
            digest.practice.append((commitment, due))
    digest.asks = asks_for(person)
    return digest


def _subject(digest: Digest) -> str:
    parts = []
    if digest.asks:
        parts.append(f"{len(digest.asks)} waiting for your answer or signature")
    if digest.meetings:
        parts.append(f"{len(digest.meetings)} meeting{'s' if len(digest.meetings) != 1 else ''}")
    due = len(digest.actions_due) + digest.overdue
    if due:
        parts.append(f"{due} action{'s' if due != 1 else ''} due")
    if digest.practice:
        parts.append("practice")
    if digest.to_confirm:
        parts.append(f"{digest.to_confirm} to confirm")
    when = "today" if digest.first == digest.last else "this week"
    return f"Your coaching {when}: " + ", ".join(parts)


def send_digest(digest: Digest, *, connection: BaseEmailBackend | None = None) -> None:
    base = settings.LEANCOACH_BASE_URL
    with timezone.override(digest.zone):
        body = render_to_string(
            "meetings/email/digest.txt",
            {
                "digest": digest,
                "base": base,
                "home": base + reverse("home"),
                "profile": base + reverse("profile") + "#preferences",
                "my_actions": base + reverse("meetings:my_actions"),
            },
        )
    send_mail(
        _subject(digest),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [digest.person.email],
        connection=connection,
    )


def _claim(person: Person, period: str, items: int, at: datetime.datetime) -> ReminderDigest | None:
    """Take the period for this person, committed at once; None if someone else holds it."""
    try:
        with transaction.atomic():
            return ReminderDigest.objects.create(
                person=person, period=period, items=items, claimed_at=at
            )
    except IntegrityError:
        return None


@dataclass
class Run:
    considered: int = 0
    sent: int = 0
    nothing_due: int = 0
    already: int = 0


TAKING_PART = [Status.ACTIVE, Status.PAUSED, Status.PROPOSED]


def recipients() -> QuerySet[Person]:
    """People who may get a digest: an active login that wants one, coach or client of an
    engagement that is not closed, or a sponsor asked to accept or to sign. (Of a sponsor's
    part a digest carries only that: an answer or a signature waits.)"""
    engagements = Engagement.objects.filter(status__in=TAKING_PART)
    newest = Agreement.objects.filter(engagement=OuterRef("pk")).order_by("-version")
    unsigned_by_sponsor = (
        engagements.filter(sponsor=OuterRef("pk"))
        .annotate(newest=Subquery(newest.values("pk")[:1]))
        .filter(newest__isnull=False)
        .exclude(
            Exists(
                Signature.objects.filter(
                    agreement=OuterRef("newest"), role="sponsor", person=OuterRef("sponsor")
                )
            )
        )
    )
    asked = Consent.objects.filter(
        person=OuterRef("pk"), answer=Answer.PENDING, engagement__status=Status.PROPOSED
    )
    return (
        Person.objects.filter(
            user__is_active=True,
            user__reminders__in=[ReminderChoice.DAILY, ReminderChoice.WEEKLY],
        )
        .filter(
            Exists(engagements.filter(coach=OuterRef("pk")))
            | Exists(engagements.filter(client=OuterRef("pk")))
            | Exists(asked)
            | Exists(unsigned_by_sponsor)
        )
        .select_related("user")
        .order_by("id")
    )


def zone_of(person: Person) -> ZoneInfo:
    """The person's own time zone, or the organisation's (also if theirs no longer exists)."""
    name = (person.user.time_zone if person.user else "") or settings.TIME_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def _due(
    batch: list[Person], now: datetime.datetime, run: Run
) -> list[tuple[Person, str, ZoneInfo]]:
    """Who in ``batch`` has a digest due and not yet taken: their period is unclaimed, and no
    digest went to them earlier on their own today (say a daily one, before they switched to
    weekly). Two queries for the whole batch."""
    wanted: list[tuple[Person, str, ZoneInfo]] = []
    for person in batch:
        assert person.user is not None
        zone = zone_of(person)
        period = period_of(person.user.reminders, now.astimezone(zone))
        if period is not None:
            wanted.append((person, period, zone))
    if not wanted:
        return []
    ids = [person.pk for person, _, _ in wanted]
    taken = set(
        ReminderDigest.objects.filter(
            person__in=ids, period__in={period for _, period, _ in wanted}
        ).values_list("person_id", "period")
    )
    mailed: dict[int, list[datetime.datetime]] = {}
    for person_id, sent_at in ReminderDigest.objects.filter(
        person__in=ids, sent_at__gte=now - datetime.timedelta(days=1)
    ).values_list("person_id", "sent_at"):
        if sent_at is not None:
            mailed.setdefault(person_id, []).append(sent_at)
    due = []
    for person, period, zone in wanted:
        run.considered += 1
        today = now.astimezone(zone).date()
        if (person.pk, period) in taken or any(
            sent.astimezone(zone).date() == today for sent in mailed.get(person.pk, [])
        ):
            run.already += 1
        else:
            due.append((person, period, zone))
    return due


BATCH = 500  # people per round of queries (and under SQLite's limit of bound parameters)


def send_reminders(
    *, now: datetime.datetime | None = None, report: Callable[[str, int, int], None] | None = None
) -> Run:
    """Send the digests due at ``now`` (the real clock by default); see the module's docstring."""
    started = timezone.now()
    now = now or started

    def clock() -> datetime.datetime:  # ``now``, moved on as the run goes
        return now + (timezone.now() - started)

    run = Run()
    people = recipients()
    total = people.count() if report else 0
    seen, last = 0, 0
    connection: BaseEmailBackend | None = None
    try:
        while batch := list(people.filter(pk__gt=last)[:BATCH]):
            last = batch[-1].pk
            for person, period, zone in _due(batch, now, run):
                digest = build_digest(person, period, zone, now=now)
                if digest.items and connection is None:
                    # Before the first claim: a mail server that is down stops the run with
                    # nobody's digest claimed, and the next run sends them.
                    connection = get_connection()
                    connection.open()
                if _claim(person, period, digest.items, clock()) is None:
                    run.already += 1  # another copy, running at the same time, took it
                    continue
                if not digest.items:
                    run.nothing_due += 1
                    continue
                send_digest(digest, connection=connection)
                ReminderDigest.objects.filter(person=person, period=period).update(sent_at=clock())
                run.sent += 1
            seen += len(batch)
            if report:
                report("reminders", seen, total)
    finally:
        if connection is not None:
            connection.close()
    return run
