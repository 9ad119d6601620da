"""Reminder digests that do not overwhelm: one e-mail a day (or a week) per person, at most.

Issue 5: "`leancoach send-reminders` sends each person at most one digest a day (their
choice: daily digest, weekly digest, or off) listing what is due; it is safe to run every
minute … and never sends the same reminder twice … the e-mails go through the access
module like every other output", and the private-note canary never reaches an e-mail.

The organisation here keeps Amsterdam time (UTC+1 in early March 2026); Tuesday
3 March 2026 is the day under test.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.urls import reverse

from leancoach.core import access
from leancoach.core.access import Category
from leancoach.cycle import services as cycle
from leancoach.engagements import services as engagements_services
from leancoach.engagements.models import Engagement
from leancoach.meetings import reminders
from leancoach.meetings import services as meetings
from leancoach.meetings.agenda_items import item_keys
from leancoach.meetings.models import ActionItem, Meeting, ReminderDigest
from leancoach.meetings.reminders import send_reminders
from leancoach.people.models import Person
from leancoach.testing.personas import everyone_accepts, make_user

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MONDAY = datetime.date(2026, 3, 2)
TUESDAY = MONDAY + datetime.timedelta(days=1)
WEDNESDAY = MONDAY + datetime.timedelta(days=2)
SUNDAY = MONDAY + datetime.timedelta(days=6)
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)
BASE = "https://coach.example.org"


def at(day: datetime.date, hour: int, minute: int = 0, zone: ZoneInfo = AMSTERDAM) -> Any:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


NOW = at(TUESDAY, 8, 30)


@dataclass
class Due:
    engagement: Engagement
    coach: Person
    client: Person
    meeting: Meeting
    client_action: ActionItem
    coach_action: ActionItem


@pytest.fixture
def organisation(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/Amsterdam"
    settings.LEANCOACH_BASE_URL = BASE
    settings.DEFAULT_FROM_EMAIL = "leancoach@example.org"


@pytest.fixture
def due(organisation: None, engagements: Any, mailoutbox: list[Any]) -> Due:
    """Coach and client of ``engagements.ours``: a meeting today at 14:00, one tomorrow,
    an action each due today, the client's action due next week, daily practice."""
    ours = engagements.ours
    coach, client = ours.coach, ours.client
    meeting = meetings.add_meeting(
        engagement=ours, by=coach, starts_at=at(TUESDAY, 14), location="Room 4"
    )
    meetings.add_meeting(engagement=ours, by=coach, starts_at=at(WEDNESDAY, 10))
    client_action = meetings.add_action(
        engagement=ours, by=coach, what="Hold the huddle at the board", owner="client",
        due_on=TUESDAY,
    )  # fmt: skip
    coach_action = meetings.add_action(
        engagement=ours, by=coach, what="Book the observation slot", owner="coach",
        due_on=TUESDAY,
    )  # fmt: skip
    meetings.add_action(
        engagement=ours, by=coach, what="Write the shift handover", owner="client",
        due_on=NEXT_MONDAY,
    )  # fmt: skip
    behaviour = cycle.add_behaviour(
        engagement=ours, by=coach, text="Ask one open question at the huddle"
    )
    cycle.commit_to_practice(
        engagement=ours,
        by=coach,
        behaviour=behaviour,
        when="at the 8:00 huddle",
        where="at the line 1 board",
        recurrence="daily",
        starts_on=MONDAY,
    )
    mailoutbox.clear()  # the agreement's requests to sign
    return Due(ours, coach, client, meeting, client_action, coach_action)


def to(outbox: list[Any], person: Person) -> list[Any]:
    return [message for message in outbox if message.to == [person.email]]


def everything_in(message: Any) -> str:
    return "\n".join(
        [message.subject, message.body, *(str(body) for body, _t in message.alternatives)]
    )


def prefer(person: Person, reminders_choice: str = "daily", time_zone: str = "") -> None:
    assert person.user is not None
    meetings.save_preferences(user=person.user, time_zone=time_zone, reminders=reminders_choice)


# --- A daily digest ---------------------------------------------------------------


def test_the_coach_and_the_client_each_get_one_digest_of_what_is_due_for_them_today(
    due: Due, mailoutbox: list[Any]
) -> None:
    run = send_reminders(now=NOW)

    assert sorted(m.to[0] for m in mailoutbox) == sorted([due.coach.email, due.client.email])
    assert run.sent == 2

    (client_mail,) = to(mailoutbox, due.client)
    assert client_mail.subject == "Your coaching today: 1 meeting, 1 action due, practice"
    assert client_mail.from_email == "leancoach@example.org"
    body = client_mail.body
    assert body.startswith("Hello Casey Client,")
    assert "Your coaching today, Tuesday 3 March:" in body
    meeting_url = BASE + reverse("meetings:meeting", args=[due.engagement.pk, due.meeting.pk])
    assert f"- Tue 3 Mar, 14:00: with your coach Cora Coach — {meeting_url}\n" in body
    assert "Hold the huddle at the board (by Tue 3 Mar)" in body
    assert (
        "- Ask one open question at the huddle: at the 8:00 huddle, at the line 1 board\n" in body
    )
    assert "Book the observation slot" not in body  # the coach's own action
    assert "Write the shift handover" not in body  # due next week
    assert "Wed 4 Mar" not in body  # tomorrow's meeting
    assert f"Change or stop these reminders: {BASE}{reverse('profile')}#preferences" in body

    (coach_mail,) = to(mailoutbox, due.coach)
    assert coach_mail.subject == "Your coaching today: 1 meeting, 1 action due"
    assert f"- Tue 3 Mar, 14:00: with Casey Client — {meeting_url}\n" in coach_mail.body
    assert "Book the observation slot (by Tue 3 Mar)" in coach_mail.body
    assert "Hold the huddle at the board" not in coach_mail.body
    assert "Practice" not in coach_mail.body  # the practice is the client's

    rows = ReminderDigest.objects.filter(person__in=[due.coach, due.client])
    assert {(row.person_id, row.period, row.items) for row in rows} == {
        (due.client.pk, "day:2026-03-03", 3),
        (due.coach.pk, "day:2026-03-03", 2),
    }
    assert all(row.sent_at is not None for row in rows)


def test_a_second_run_the_same_day_sends_nothing_new(due: Due, mailoutbox: list[Any]) -> None:
    send_reminders(now=NOW)
    assert len(mailoutbox) == 2

    again = send_reminders(now=NOW + datetime.timedelta(minutes=1))
    evening = send_reminders(now=at(TUESDAY, 23, 59))

    assert len(mailoutbox) == 2
    assert again.sent == evening.sent == 0
    assert again.already == evening.already == 4  # with the two who had nothing due
    assert ReminderDigest.objects.filter(person__in=[due.coach, due.client]).count() == 2


def test_the_next_day_brings_the_next_digest(due: Due, mailoutbox: list[Any]) -> None:
    send_reminders(now=NOW)
    send_reminders(now=at(WEDNESDAY, 7, 0))

    client_mails = to(mailoutbox, due.client)
    assert len(client_mails) == 2
    assert "Wed 4 Mar, 10:00" in client_mails[1].body
    assert "Tue 3 Mar, 14:00" not in client_mails[1].body
    # Tuesday's action is now past its date.
    assert "1 action past the agreed date: " in client_mails[1].body
    assert f"{BASE}{reverse('meetings:my_actions')}?status=overdue" in client_mails[1].body


def test_before_seven_in_the_morning_nothing_is_sent(due: Due, mailoutbox: list[Any]) -> None:
    send_reminders(now=at(TUESDAY, 6, 59))
    assert mailoutbox == []
    assert not ReminderDigest.objects.exists()

    send_reminders(now=at(TUESDAY, 7, 0))
    assert len(mailoutbox) == 2


def test_a_meeting_that_has_already_started_is_not_in_the_digest(
    due: Due, mailoutbox: list[Any]
) -> None:
    send_reminders(now=at(TUESDAY, 14, 1))
    (client_mail,) = to(mailoutbox, due.client)
    assert "Meetings" not in client_mail.body
    assert "meeting" not in client_mail.subject


def test_a_person_who_turned_reminders_off_gets_none(due: Due, mailoutbox: list[Any]) -> None:
    prefer(due.client, "off")
    send_reminders(now=NOW)
    assert [m.to for m in mailoutbox] == [[due.coach.email]]
    assert not ReminderDigest.objects.filter(person=due.client).exists()


def test_an_inactive_login_gets_none(due: Due, mailoutbox: list[Any]) -> None:
    assert due.client.user is not None
    due.client.user.is_active = False
    due.client.user.save()
    send_reminders(now=NOW)
    assert [m.to for m in mailoutbox] == [[due.coach.email]]


def test_a_digest_another_copy_claims_meanwhile_is_not_sent_again(
    due: Due, mailoutbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The race, step by step: this run finds the client's day unclaimed, and another copy
    of the command claims it before this one does."""
    real = reminders._due

    def other_copy_claims_meanwhile(*args: Any, **kwargs: Any) -> Any:
        due_now = real(*args, **kwargs)
        for person, period, _zone in due_now:
            if person == due.client:
                ReminderDigest.objects.create(person=person, period=period, items=3)
        return due_now

    monkeypatch.setattr(reminders, "_due", other_copy_claims_meanwhile)
    run = send_reminders(now=NOW)

    assert [m.to for m in mailoutbox] == [[due.coach.email]]
    assert run.already == 1
    assert ReminderDigest.objects.filter(person=due.client).count() == 1


# --- A weekly digest --------------------------------------------------------------


def test_a_weekly_digest_goes_out_on_the_first_run_after_monday_seven_and_not_again_that_week(
    due: Due, mailoutbox: list[Any]
) -> None:
    prefer(due.client, "weekly")

    send_reminders(now=at(MONDAY, 6, 59))
    assert to(mailoutbox, due.client) == []

    send_reminders(now=at(MONDAY, 7, 0))
    (weekly,) = to(mailoutbox, due.client)
    assert weekly.subject == "Your coaching this week: 2 meetings, 1 action due, practice"
    assert "Your coaching this week, 2 March to 8 March:" in weekly.body
    assert "Tue 3 Mar, 14:00" in weekly.body
    assert "Wed 4 Mar, 10:00" in weekly.body
    assert "(5 times)" in weekly.body  # daily practice: the five working days
    assert "One digest at most a week." in weekly.body
    assert "Write the shift handover" not in weekly.body  # due next week

    for later in (at(MONDAY, 7, 1), NOW, at(WEDNESDAY, 9), at(SUNDAY, 23, 59)):
        send_reminders(now=later)
    assert len(to(mailoutbox, due.client)) == 1
    assert ReminderDigest.objects.get(person=due.client).period == "week:2026-W10"

    send_reminders(now=at(NEXT_MONDAY, 7, 5))
    client_mails = to(mailoutbox, due.client)
    assert len(client_mails) == 2
    assert "Write the shift handover (by Mon 9 Mar)" in client_mails[1].body


def test_a_weekly_digest_missed_on_monday_goes_out_on_the_next_run(
    due: Due, mailoutbox: list[Any]
) -> None:
    prefer(due.client, "weekly")

    send_reminders(now=NOW)  # Tuesday: nothing ran on Monday
    (weekly,) = to(mailoutbox, due.client)
    assert weekly.subject.startswith("Your coaching this week: 2 meetings")

    send_reminders(now=at(WEDNESDAY, 8))
    assert len(to(mailoutbox, due.client)) == 1


def test_a_weekly_digest_is_not_sent_in_the_night_when_monday_was_missed(
    due: Due, mailoutbox: list[Any]
) -> None:
    prefer(due.client, "weekly")
    send_reminders(now=at(TUESDAY, 3))
    assert to(mailoutbox, due.client) == []
    send_reminders(now=at(TUESDAY, 7))
    assert len(to(mailoutbox, due.client)) == 1


def test_switching_to_weekly_after_this_mornings_daily_digest_sends_no_second_email_today(
    due: Due, mailoutbox: list[Any]
) -> None:
    send_reminders(now=NOW)
    prefer(due.client, "weekly")  # "too many e-mails", on reading this morning's
    send_reminders(now=at(TUESDAY, 9))
    send_reminders(now=at(TUESDAY, 23, 59))
    assert len(to(mailoutbox, due.client)) == 1

    send_reminders(now=at(WEDNESDAY, 7))  # the week's digest, a day later
    client_mails = to(mailoutbox, due.client)
    assert len(client_mails) == 2
    assert client_mails[1].subject.startswith("Your coaching this week:")
    send_reminders(now=at(SUNDAY, 12))
    assert len(to(mailoutbox, due.client)) == 2


def test_switching_back_to_daily_after_monday_s_weekly_digest_waits_for_tuesday(
    due: Due, mailoutbox: list[Any]
) -> None:
    prefer(due.client, "weekly")
    send_reminders(now=at(MONDAY, 7))
    prefer(due.client, "daily")
    send_reminders(now=at(MONDAY, 12))
    assert len(to(mailoutbox, due.client)) == 1
    send_reminders(now=NOW)
    assert len(to(mailoutbox, due.client)) == 2


def test_the_daily_coach_and_the_weekly_client_each_get_their_own_rhythm(
    due: Due, mailoutbox: list[Any]
) -> None:
    prefer(due.client, "weekly")
    for day in range(7):
        send_reminders(now=at(MONDAY + datetime.timedelta(days=day), 7, 30))
        if day == 1:
            meetings.set_action_status(action=due.coach_action, by=due.coach, status="done")
    assert len(to(mailoutbox, due.client)) == 1
    # The coach has something due on Tuesday (a meeting, their action, done that day) and
    # Wednesday (a meeting) only: a day with nothing due sends nothing.
    assert [m.subject for m in to(mailoutbox, due.coach)] == [
        "Your coaching today: 1 meeting, 1 action due",
        "Your coaching today: 1 meeting",
    ]
    assert ReminderDigest.objects.filter(person=due.coach).count() == 7


# --- Time zones -------------------------------------------------------------------


def test_a_person_whose_own_clock_is_still_before_seven_gets_nothing_yet(
    due: Due, mailoutbox: list[Any]
) -> None:
    prefer(due.coach, time_zone="America/New_York")  # UTC-5: 02:30 when Amsterdam has 08:30

    send_reminders(now=NOW)
    assert [m.to for m in mailoutbox] == [[due.client.email]]

    send_reminders(now=at(TUESDAY, 13, 5))  # 07:05 in New York
    (coach_mail,) = to(mailoutbox, due.coach)
    assert "Your coaching today, Tuesday 3 March:" in coach_mail.body
    # The 14:00 Amsterdam meeting is at 08:00 on the coach's own clock.
    assert "- Tue 3 Mar, 08:00: with Casey Client" in coach_mail.body
    assert ReminderDigest.objects.get(person=due.coach).period == "day:2026-03-03"


def test_a_person_ahead_of_the_organisation_gets_the_digest_of_their_own_day(
    due: Due, mailoutbox: list[Any]
) -> None:
    prefer(due.client, time_zone="Pacific/Auckland")  # UTC+13: already Wednesday 07:00
    send_reminders(now=at(TUESDAY, 19, 0))

    (client_mail,) = to(mailoutbox, due.client)
    assert "Your coaching today, Wednesday 4 March:" in client_mail.body
    assert "Wed 4 Mar, 22:00" in client_mail.body  # 10:00 in Amsterdam
    assert ReminderDigest.objects.get(person=due.client).period == "day:2026-03-04"


def test_a_time_zone_that_no_longer_exists_falls_back_to_the_organisations(
    due: Due, mailoutbox: list[Any]
) -> None:
    assert due.client.user is not None
    due.client.user.time_zone = "Atlantis/Lost_City"  # saved before the zone was removed
    due.client.user.save()
    send_reminders(now=NOW)
    (client_mail,) = to(mailoutbox, due.client)
    assert "Tue 3 Mar, 14:00" in client_mail.body
    assert len(mailoutbox) == 2


# --- Nothing due, and who is never reminded -------------------------------------------


def test_nothing_due_sends_no_email_and_later_runs_do_not_build_it_again(
    due: Due, engagements: Any, mailoutbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    idle = [engagements.other_coach.person, engagements.other_client.person]

    first = send_reminders(now=NOW)

    assert first.nothing_due == 2
    assert all(to(mailoutbox, person) == [] for person in idle)
    rows = ReminderDigest.objects.filter(person__in=idle)
    assert [(row.items, row.sent_at) for row in rows] == [(0, None), (0, None)]

    built: list[Person] = []
    real = reminders.build_digest

    def counting(person: Person, *args: Any, **kwargs: Any) -> Any:
        built.append(person)
        return real(person, *args, **kwargs)

    monkeypatch.setattr(reminders, "build_digest", counting)
    # Something falls due later that day: today's digest is taken, tomorrow's will carry it.
    meetings.add_action(
        engagement=engagements.theirs,
        by=engagements.other_coach.person,
        what="Late addition",
        owner="client",
        due_on=TUESDAY,
    )
    second = send_reminders(now=at(TUESDAY, 12))

    assert built == []
    assert second.already == 4
    assert len(mailoutbox) == 2


def test_the_sponsor_gets_no_reminders_of_the_engagement_they_sponsor(
    due: Due, personas: Any, engagements: Any, mailoutbox: list[Any]
) -> None:
    send_reminders(now=NOW)
    sponsors = [personas.person("sponsor"), engagements.other_sponsor.person]
    assert [m for m in mailoutbox if m.to[0] in {p.email for p in sponsors}] == []
    assert not ReminderDigest.objects.filter(person__in=sponsors).exists()


def test_a_sponsor_who_also_coaches_is_reminded_only_of_their_own_coaching(
    due: Due, personas: Any, mailoutbox: list[Any]
) -> None:
    sponsor, outsider = personas.person("sponsor"), personas.person("outsider")
    # The sponsor coaches the outsider, whose manager, the client, sponsors that one.
    theirs = everyone_accepts(
        engagements_services.open_engagement(
            request=None, opened_by=sponsor, coach=sponsor, client=outsider
        )
    )
    assert theirs.sponsor == due.client
    meetings.add_meeting(engagement=theirs, by=sponsor, starts_at=at(TUESDAY, 16))
    mailoutbox.clear()

    send_reminders(now=NOW)

    (sponsor_mail,) = to(mailoutbox, sponsor)
    assert sponsor_mail.subject == "Your coaching today: 1 meeting"
    assert "- Tue 3 Mar, 16:00: with Oscar Outsider" in sponsor_mail.body
    assert "Casey" not in sponsor_mail.body
    assert "huddle" not in sponsor_mail.body
    # The client, sponsor of that engagement, hears nothing of it.
    (client_mail,) = to(mailoutbox, due.client)
    assert "16:00" not in client_mail.body
    assert "Oscar" not in client_mail.body


def test_a_mentee_is_reminded_of_the_meeting_with_their_mentor(
    due: Due, personas: Any, mailoutbox: list[Any]
) -> None:
    mentoring = everyone_accepts(
        engagements_services.open_engagement(
            request=None,
            opened_by=due.coach,
            coach=due.coach,
            client=personas.person("outsider"),
            kind="mentoring",
        )
    )
    meetings.add_meeting(engagement=mentoring, by=due.coach, starts_at=at(TUESDAY, 11))
    mailoutbox.clear()
    send_reminders(now=NOW)
    (mentee_mail,) = to(mailoutbox, personas.person("outsider"))
    assert "- Tue 3 Mar, 11:00: with your mentor Cora Coach" in mentee_mail.body
    (coach_mail,) = to(mailoutbox, due.coach)
    assert "- Tue 3 Mar, 11:00: with Oscar Outsider" in coach_mail.body


def test_a_closed_engagement_sends_no_reminders(due: Due, mailoutbox: list[Any]) -> None:
    engagements_services.change_status(
        request=None,
        engagement=due.engagement,
        by=due.coach,
        role="coach",
        to_status="closed",
        reason="The goals are met.",
    )
    mailoutbox.clear()
    send_reminders(now=NOW)
    assert to(mailoutbox, due.coach) == to(mailoutbox, due.client) == []
    assert not ReminderDigest.objects.filter(person__in=[due.coach, due.client]).exists()


def test_an_action_the_client_marked_done_waits_in_the_coachs_digest_to_be_confirmed(
    due: Due, mailoutbox: list[Any]
) -> None:
    meetings.set_action_status(action=due.client_action, by=due.client, status="done")
    send_reminders(now=NOW)
    (coach_mail,) = to(mailoutbox, due.coach)
    assert coach_mail.subject == "Your coaching today: 1 meeting, 1 action due, 1 to confirm"
    assert (
        f"1 action your clients marked done waits for you to confirm: {BASE}{reverse('home')}"
        in coach_mail.body
    )
    (client_mail,) = to(mailoutbox, due.client)
    assert "Hold the huddle" not in client_mail.body  # done: no longer due


# --- What the e-mails may say -------------------------------------------------------


CANARIES = {
    "private meeting note": "CANARY-private-meeting-3b9e",
    "private engagement note": "CANARY-private-note-81c2",
    "shared note": "CANARY-shared-note-5d07",
    "summary note": "CANARY-summary-note-e6a4",
}


def test_no_note_private_or_shared_ever_appears_in_a_reminder(
    due: Due, personas: Any, mailoutbox: list[Any]
) -> None:
    item = item_keys(due.engagement.kind)[0]
    meetings.add_private_meeting_note(
        meeting=due.meeting, by=due.coach, item=item, text=CANARIES["private meeting note"]
    )
    engagements_services.add_private_note(
        engagement=due.engagement, by=due.coach, text=CANARIES["private engagement note"]
    )
    for visibility in ("shared", "summary"):
        meetings.add_meeting_note(
            meeting=due.meeting,
            by=due.coach,
            item=item,
            visibility=visibility,
            text=CANARIES[f"{visibility} note"],
        )
    mailoutbox.clear()
    # A daily run, then a weekly one (the coach's action is overdue by then).
    send_reminders(now=NOW)
    prefer(due.coach, "weekly")
    prefer(due.client, "weekly")
    send_reminders(now=at(NEXT_MONDAY, 7))

    assert len(mailoutbox) == 4
    for message in mailoutbox:
        text = everything_in(message)
        for what, canary in CANARIES.items():
            assert canary not in text, f"the {what} reached {message.to}"


def test_the_emails_list_only_what_the_access_table_lets_the_person_read(
    due: Due, mailoutbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: set[tuple[int, Category]] = set()
    real = access.may_be_mailed_about

    def without_action_status(
        person: Person, engagement: Engagement, category: Category, action: str = access.READ
    ) -> bool:
        asked.add((person.pk, category))
        return category != Category.ACTION_STATUS and real(person, engagement, category, action)

    monkeypatch.setattr(access, "may_be_mailed_about", without_action_status)
    meetings.set_action_status(action=due.client_action, by=due.client, status="done")
    meetings.add_action(
        engagement=due.engagement, by=due.coach, what="Overdue thing", owner="client",
        due_on=MONDAY,
    )  # fmt: skip

    send_reminders(now=NOW)

    (client_mail,) = to(mailoutbox, due.client)
    assert client_mail.subject == "Your coaching today: 1 meeting, practice"
    (coach_mail,) = to(mailoutbox, due.coach)
    assert coach_mail.subject == "Your coaching today: 1 meeting"
    for message in mailoutbox:
        assert "Actions due" not in message.body
        assert "past the agreed date" not in message.body
        assert "confirm" not in message.body
    for person in (due.client, due.coach):
        for category in (Category.MEETINGS, Category.ACTION_STATUS, Category.PRACTICE):
            assert (person.pk, category) in asked


def test_when_the_access_table_lets_the_person_read_nothing_no_email_goes(
    due: Due, mailoutbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(access, "may_be_mailed_about", lambda *args, **kwargs: False)
    run = send_reminders(now=NOW)
    assert mailoutbox == []
    assert run.sent == 0
    assert run.nothing_due == 4


# --- When the mail server fails -------------------------------------------------------


class MailServerDown(LocmemBackend):
    def open(self) -> bool:
        raise ConnectionRefusedError("the mail server is down")

    def send_messages(self, messages: Any) -> int:
        self.open()
        return 0


def test_a_mail_server_that_is_down_loses_no_digest(
    due: Due, settings: Any, mailoutbox: list[Any]
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.MailServerDown"
    with pytest.raises(ConnectionRefusedError):
        send_reminders(now=NOW)
    assert mailoutbox == []
    assert not ReminderDigest.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_reminders(now=NOW + datetime.timedelta(minutes=1))
    assert sorted(m.to[0] for m in mail.outbox) == sorted([due.coach.email, due.client.email])


# --- Many people ----------------------------------------------------------------------


def test_many_people_are_handled_in_batches_each_getting_one_digest(
    due: Due, personas: Any, mailoutbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(reminders, "BATCH", 3)
    coach = due.coach
    clients = []
    for n in range(7):
        user = make_user(
            f"extra{n}@example.com", f"Extra Client {n}", manager=personas.person("sponsor")
        )
        engagement = everyone_accepts(
            engagements_services.open_engagement(
                request=None, opened_by=coach, coach=coach, client=user.person
            )
        )
        meetings.add_action(
            engagement=engagement, by=coach, what=f"Extra action {n}", owner="client",
            due_on=TUESDAY,
        )  # fmt: skip
        clients.append(user.person)
    mailoutbox.clear()

    send_reminders(now=NOW)
    send_reminders(now=NOW + datetime.timedelta(minutes=1))

    for person in [*clients, due.client, due.coach]:
        assert len(to(mailoutbox, person)) == 1, person
    assert len(mailoutbox) == 9
