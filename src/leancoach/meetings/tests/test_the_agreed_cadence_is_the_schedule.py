"""Signing a version of the agreement with a new cadence reschedules the coming meetings of
the series, and stalled detection uses it (issue 10, finding 12: "the cadence agreed in the
agreement is never applied to the meeting schedule")."""

from __future__ import annotations

import datetime
import itertools
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from leancoach.engagements import services as engagement_services
from leancoach.engagements.models import Engagement
from leancoach.meetings import services
from leancoach.meetings.models import Meeting, MeetingSeries, MeetingStatus
from leancoach.meetings.selectors import stalled

pytestmark = pytest.mark.django_db


def agree_on(engagement: Engagement, cadence: str, *, signers: tuple[str, ...] = ()) -> Any:
    """Propose a version with ``cadence`` as the coach and sign it as each of ``signers``
    (all three parties unless told)."""
    version = engagement_services.propose_agreement(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        terms={"cadence": cadence},
    )
    for role in signers or ("coach", "client", "sponsor"):
        engagement_services.sign_agreement(
            request=None, agreement=version, person=getattr(engagement, role)
        )
    return version


def local(moment: datetime.datetime) -> datetime.datetime:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE))


@pytest.fixture
def schedule(engagements: Any) -> MeetingSeries:
    """Fortnightly meetings at 09:00 that began 20 days ago; the first was held."""
    engagement = engagements.ours
    start = local(timezone.now() - datetime.timedelta(days=20)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    series = services.schedule_meetings(
        engagement=engagement, by=engagement.coach, first_starts_at=start, cadence="fortnightly"
    )
    services.close_meeting(meeting=series.meetings.get(sequence=0), by=engagement.coach)
    return series


def coming(engagement: Engagement) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            engagement=engagement, status=MeetingStatus.SCHEDULED, starts_at__gte=timezone.now()
        ).order_by("starts_at")
    )


def test_signing_a_new_cadence_reschedules_the_coming_meetings(
    engagements: Any, schedule: MeetingSeries
) -> None:
    engagement = engagements.ours
    before = coming(engagement)
    agree_on(engagement, "weekly")
    engagement.refresh_from_db()
    assert engagement.cadence == "weekly"
    after = coming(engagement)
    assert local(after[0].starts_at) == local(before[0].starts_at)  # the next meeting stays
    for earlier, later in itertools.pairwise(after):
        assert (local(later.starts_at).date() - local(earlier.starts_at).date()).days == 7
        assert local(later.starts_at).time() == datetime.time(9, 0)
    assert local(after[-1].starts_at) > local(timezone.now()) + datetime.timedelta(days=170)
    series = MeetingSeries.objects.get(engagement=engagement, ended_at__isnull=True)
    assert series.cadence == "weekly"
    assert {meeting.series_id for meeting in after} == {series.pk}


def test_nothing_changes_until_the_last_signature(
    engagements: Any, schedule: MeetingSeries
) -> None:
    engagement = engagements.ours
    before = [(m.pk, m.starts_at, m.revision) for m in coming(engagement)]
    agree_on(engagement, "weekly", signers=("coach", "client"))
    engagement.refresh_from_db()
    assert engagement.cadence == "fortnightly"
    assert [(m.pk, m.starts_at, m.revision) for m in coming(engagement)] == before


def test_a_moved_meeting_grows_its_revision_for_calendars(
    engagements: Any, schedule: MeetingSeries
) -> None:
    engagement = engagements.ours
    second = coming(engagement)[1]
    agree_on(engagement, "weekly")
    second.refresh_from_db()
    assert second.status == MeetingStatus.SCHEDULED
    assert (local(second.starts_at) - local(coming(engagement)[0].starts_at)).days == 7
    assert second.revision == 1
    assert second.planned_starts_at == second.starts_at


def test_past_held_and_written_in_meetings_never_change(
    engagements: Any, schedule: MeetingSeries
) -> None:
    engagement = engagements.ours
    held = Meeting.objects.get(series=schedule, sequence=0)
    missed = services.close_meeting(
        meeting=Meeting.objects.get(series=schedule, sequence=1),
        by=engagement.coach,
        status=MeetingStatus.MISSED,
    )
    later = coming(engagement)
    with_note, with_action = later[2], later[3]
    services.add_meeting_note(
        meeting=with_note,
        by=engagement.coach,
        item="facts",
        visibility="shared",
        text="Bring the rework chart",
    )
    services.add_action(
        engagement=engagement,
        by=engagement.coach,
        what="Walk the line",
        owner="client",
        due_on=timezone.localdate() + datetime.timedelta(days=60),
        meeting=with_action,
    )
    frozen = {
        m.pk: (m.starts_at, m.status, m.revision) for m in (held, missed, with_note, with_action)
    }
    agree_on(engagement, "monthly")
    for meeting in Meeting.objects.filter(pk__in=frozen):
        assert (meeting.starts_at, meeting.status, meeting.revision) == frozen[meeting.pk]


def test_a_meeting_moved_by_hand_stays_and_stands_for_its_slot(
    engagements: Any, schedule: MeetingSeries
) -> None:
    engagement = engagements.ours
    next_one = coming(engagement)[0]
    moved_to = next_one.starts_at + datetime.timedelta(days=1)
    services.move_meeting(meeting=next_one, by=engagement.coach, starts_at=moved_to)
    agree_on(engagement, "weekly")
    next_one.refresh_from_db()
    assert next_one.starts_at == moved_to
    after = coming(engagement)
    assert after[0].pk == next_one.pk
    assert (local(after[1].planned_starts_at) - local(next_one.planned_starts_at)).days == 7


def test_a_sparser_cadence_removes_the_meetings_it_no_longer_has(
    engagements: Any, schedule: MeetingSeries
) -> None:
    engagement = engagements.ours
    fortnightly = len(coming(engagement))
    agree_on(engagement, "monthly")
    monthly = coming(engagement)
    assert len(monthly) < fortnightly
    assert len({local(m.starts_at).date() for m in monthly}) == len(monthly)
    days = [local(m.starts_at).date() for m in monthly]
    assert all(28 <= (b - a).days <= 31 for a, b in itertools.pairwise(days))


def test_the_same_cadence_again_changes_nothing(engagements: Any, schedule: MeetingSeries) -> None:
    engagement = engagements.ours
    before = [(m.pk, m.starts_at, m.revision, m.series_id) for m in coming(engagement)]
    agree_on(engagement, "fortnightly")
    assert [(m.pk, m.starts_at, m.revision, m.series_id) for m in coming(engagement)] == before


def test_without_a_schedule_only_the_cadence_changes(engagements: Any) -> None:
    engagement = engagements.ours
    agree_on(engagement, "monthly")
    engagement.refresh_from_db()
    assert engagement.cadence == "monthly"
    assert not Meeting.objects.filter(engagement=engagement).exists()


def test_stalled_detection_uses_the_agreed_cadence(engagements: Any) -> None:
    engagement = engagements.ours  # active since everyone signed
    agree_on(engagement, "monthly")
    now = timezone.now()
    meeting = services.add_meeting(
        engagement=engagement, by=engagement.coach, starts_at=now - datetime.timedelta(days=20)
    )
    services.close_meeting(meeting=meeting, by=engagement.coach)
    # Twenty days without a meeting: fine for monthly meetings, stalled for weekly ones.
    assert engagement not in stalled(Engagement.objects.all(), now=now)
    agree_on(engagement, "weekly")
    assert engagement in stalled(Engagement.objects.all(), now=now)


def test_the_meeting_list_names_the_agreed_cadence(engagements: Any, personas: Any) -> None:
    engagement = engagements.ours
    agree_on(engagement, "weekly")
    client = Client()
    client.force_login(personas.coach)
    page = client.get(f"/engagements/{engagement.pk}/meetings/").content.decode()
    assert "Meetings follow the weekly cadence of the agreement" in page
