"""`leancoach send-reminders` run twice in a row, and twice at once: each person gets exactly
one digest (issue 5).

The concurrent case is real: two `leancoach send-reminders` processes, started together
against the test database (committed data, so a transactional test), each printing its
e-mails to stdout with the console backend. The processes use the real clock, so the people
here live in a time zone where it is about noon right now, with things due "today" there.
"""

from __future__ import annotations

import datetime
import io
import re
import secrets
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from leancoach.meetings import services as meetings
from leancoach.meetings.models import Meeting, ReminderDigest
from leancoach.meetings.reminders import SEND_HOUR
from leancoach.people.models import Person
from leancoach.testing.personas import everyone_accepts, make_user

SUMMARY = re.compile(
    r"^(\d+) digest\(s\) sent, (\d+) with nothing due, (\d+) already done; "
    r"(\d+) meeting\(s\) added to schedules\.$",
    re.MULTILINE,
)


def zone_where_it_is_about_noon() -> tuple[str, datetime.date]:
    """An ``Etc/GMT±N`` zone whose clock shows 12:xx now (far from 07:00 and from midnight),
    and today's date there."""
    utc = datetime.datetime.now(datetime.UTC)
    ahead = 12 - utc.hour  # hours ahead of UTC; Etc/GMT-N is N hours *ahead*
    name = "Etc/GMT" if ahead == 0 else f"Etc/GMT{-ahead:+d}"
    local = utc.astimezone(ZoneInfo(name))
    assert SEND_HOUR < local.hour < 18, (name, local)
    return name, local.date()


@dataclass
class Town:
    zone: str
    today: datetime.date
    due: list[Person]  # each has something due today: exactly one digest each
    idle: list[Person]  # nothing due: a claim with no e-mail
    off: Person  # reminders off, with things due


def populate(pairs: int) -> Town:
    """``pairs`` coach → client engagements with a meeting this evening and an action each due
    today; one more pair with nothing due; one client with reminders off."""
    zone_name, today = zone_where_it_is_about_noon()
    zone = ZoneInfo(zone_name)
    manager = make_user("manager@example.com", "Morgan Manager")

    def person(email: str, name: str) -> Person:
        user = make_user(email, name, manager=manager.person)
        meetings.save_preferences(user=user, time_zone=zone_name, reminders="daily")
        return user.person

    def engagement(n: int) -> tuple[Any, Person, Person]:
        from leancoach.engagements import services

        coach = person(f"coach{n}@example.com", f"Coach {n}")
        client = person(f"client{n}@example.com", f"Client {n}")
        return (
            everyone_accepts(
                services.open_engagement(request=None, opened_by=coach, coach=coach, client=client)
            ),
            coach,
            client,
        )

    due: list[Person] = []
    for n in range(pairs + 1):
        ours, coach, client = engagement(n)
        meetings.add_meeting(
            engagement=ours,
            by=coach,
            starts_at=datetime.datetime.combine(today, datetime.time(18), tzinfo=zone),
        )
        for owner in ("client", "coach"):
            meetings.add_action(
                engagement=ours, by=coach, what=f"Action {n} {owner}", owner=owner, due_on=today
            )
        due += [coach, client]
    off = due.pop()
    assert off.user is not None
    meetings.save_preferences(user=off.user, time_zone=zone_name, reminders="off")
    _idle, idle_coach, idle_client = engagement(pairs + 1)
    return Town(zone_name, today, due, [idle_coach, idle_client], off)


def database_url() -> str:
    """The test database, as the command's DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "localhost"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


def leancoach_command() -> list[str]:
    """The installed console script beside this Python, else the same entry point by module."""
    script = Path(sys.executable).with_name("leancoach")
    if script.exists():
        return [str(script)]
    found = shutil.which("leancoach")
    return [found] if found else [sys.executable, "-m", "leancoach.cli"]


def command_environment() -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LEANCOACH_", "DJANGO_"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "leancoach.settings",
        "DATABASE_URL": database_url(),
        "LEANCOACH_SECRET_KEY": secrets.token_urlsafe(40),
        "LEANCOACH_DEBUG": "0",
        "LEANCOACH_EMAIL_URL": "consolemail://",
        "LEANCOACH_FROM_EMAIL": "reminders@example.org",
        "LEANCOACH_TIME_ZONE": "UTC",
    }


@dataclass
class Output:
    stdout: str
    stderr: str
    returncode: int


def run_at_once(copies: int, tmp_path: Path) -> list[Output]:
    """Start ``copies`` processes of `leancoach send-reminders` together; wait for them all.
    Output goes to files, so no process waits on a full pipe while another runs."""
    command, env = [*leancoach_command(), "send-reminders"], command_environment()
    started = []
    for n in range(copies):
        out, err = (tmp_path / f"{n}.out").open("w+"), (tmp_path / f"{n}.err").open("w+")
        started.append((subprocess.Popen(command, env=env, stdout=out, stderr=err), out, err))
    outputs = []
    for process, out, err in started:
        returncode = process.wait(timeout=600)
        out.seek(0)
        err.seek(0)
        outputs.append(Output(out.read(), err.read(), returncode))
        out.close()
        err.close()
    return outputs


def recipients_in(stdout: str) -> Counter[str]:
    """The console backend prints each message's headers; count its To: lines."""
    return Counter(re.findall(r"^To: (\S+)$", stdout, re.MULTILINE))


@pytest.mark.django_db(transaction=True)
def test_two_copies_started_at_once_send_each_person_exactly_one_digest(tmp_path: Path) -> None:
    town = populate(pairs=30)

    outputs = run_at_once(2, tmp_path)

    for output in outputs:
        assert output.returncode == 0, output.stderr
        assert "Traceback" not in output.stderr, output.stderr
    mailed = recipients_in("".join(output.stdout for output in outputs))
    assert mailed == Counter({person.email: 1 for person in town.due})
    assert town.off.email not in mailed

    summaries = [SUMMARY.search(output.stdout) for output in outputs]
    assert all(summaries), [output.stdout[-500:] for output in outputs]
    sent = [int(match[1]) for match in summaries if match]
    nothing_due = [int(match[2]) for match in summaries if match]
    print("digests sent by each copy:", sent)  # both > 0: the copies really ran side by side
    assert sum(sent) == len(town.due)
    assert sum(nothing_due) == len(town.idle)

    rows = ReminderDigest.objects.all()
    period = f"day:{town.today.isoformat()}"
    assert Counter(row.person_id for row in rows) == Counter(
        {person.pk: 1 for person in [*town.due, *town.idle]}
    )
    assert {row.period for row in rows} == {period}
    for row in rows:
        if row.person_id in {person.pk for person in town.due}:
            assert row.sent_at is not None
            assert row.items == 2  # the meeting and their action
        else:
            assert row.sent_at is None
            assert row.items == 0

    # And a third copy, later, finds everything done.
    (tmp_path / "again").mkdir()
    (again,) = run_at_once(1, tmp_path / "again")
    assert again.returncode == 0, again.stderr
    assert recipients_in(again.stdout) == Counter()
    match = SUMMARY.search(again.stdout)
    assert match is not None
    assert (int(match[1]), int(match[2]), int(match[3])) == (
        0,
        0,
        len(town.due) + len(town.idle),
    )


@pytest.mark.django_db
def test_two_runs_in_a_row_send_each_person_one_digest_and_top_up_the_schedules(
    mailoutbox: list[Any],
) -> None:
    town = populate(pairs=3)
    coach = town.due[0]
    ours = coach.coaching.get()
    series = meetings.schedule_meetings(
        engagement=ours,
        by=coach,
        first_starts_at=datetime.datetime.combine(
            town.today, datetime.time(9), tzinfo=ZoneInfo(town.zone)
        ),
        cadence="weekly",
    )
    # The schedule began this morning. Take away its last three meetings, which a schedule
    # kept HORIZON_DAYS ahead has: the command adds them back.
    cut = Meeting.objects.filter(series=series).order_by("-sequence")[:3]
    Meeting.objects.filter(pk__in=[m.pk for m in cut]).delete()
    mailoutbox.clear()

    first, second = io.StringIO(), io.StringIO()
    call_command("send_reminders", stdout=first)
    call_command("send_reminders", stdout=second)

    assert Counter(m.to[0] for m in mailoutbox) == Counter({p.email: 1 for p in town.due})
    assert first.getvalue().strip() == (
        f"{len(town.due)} digest(s) sent, 2 with nothing due, 0 already done; "
        "3 meeting(s) added to schedules."
    )
    assert second.getvalue().strip() == (
        f"0 digest(s) sent, 0 with nothing due, {len(town.due) + 2} already done; "
        "0 meeting(s) added to schedules."
    )
    assert ReminderDigest.objects.filter(sent_at__isnull=False).count() == len(town.due)


@pytest.mark.django_db
def test_quiet_prints_nothing(mailoutbox: list[Any]) -> None:
    town = populate(pairs=1)
    mailoutbox.clear()  # the proposals' e-mails
    out = io.StringIO()
    call_command("send_reminders", "--quiet", stdout=out)
    assert out.getvalue() == ""
    assert len(mailoutbox) == len(town.due)
