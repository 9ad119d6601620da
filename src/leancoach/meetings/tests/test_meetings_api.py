"""The meetings API: the schedule, each meeting's agenda and the notes the caller may read,
moving, cancelling and closing, clear refusals, and the action log (issue 5)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.core.services import create_api_token
from leancoach.engagements import services as engagement_services
from leancoach.meetings import services
from leancoach.meetings.agenda_items import item_keys
from leancoach.meetings.models import ActionItem, Meeting, MeetingNote
from leancoach.testing.calendars import on_the_hour
from leancoach.testing.meetings import meeting_parts
from leancoach.testing.personas import everyone_accepts, make_engagements
from leancoach.testing.routes import PUBLIC, SELF_SERVICE, page_routes

pytestmark = pytest.mark.django_db

API = "/api/v1"
PRIVATE = "CANARYmeetingPRIVATE4k2"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    return getattr(client, method)(API + path, data or {}, content_type="application/json")


def post(client: Client, path: str, data: Any = None) -> Any:
    return send(client, "post", path, data)


def patch(client: Client, path: str, data: Any = None) -> Any:
    return send(client, "patch", path, data)


def get(client: Client, path: str, **params: Any) -> Any:
    return client.get(API + path, params)


def fields_of(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["detail"].startswith("Invalid input")
    return [error["field"] for error in body["errors"]]


def at(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text)


def meetings_of(engagement: Any) -> str:
    return f"/engagements/{engagement.pk}/meetings"


def one_meeting(engagement: Any, days: int = 1) -> Meeting:
    return services.add_meeting(
        engagement=engagement, by=engagement.coach, starts_at=on_the_hour(days)
    )


def notes_in(detail: dict[str, Any]) -> dict[str, list[str]]:
    """The notes of a meeting detail: visibility -> texts."""
    found: dict[str, list[str]] = {}
    for item in detail["agenda"]:
        for note in item["notes"]:
            assert note["item"] == item["key"]
            found.setdefault(note["visibility"], []).append(note["text"])
    return found


def facts_in(detail: dict[str, Any]) -> list[str]:
    return [fact["text"] for item in detail["agenda"] for fact in item["facts"]]


# --- The schedule -------------------------------------------------------------------


def test_the_coach_schedules_meetings_and_gets_201_with_their_count(
    engagements: Any, personas: Any, settings: Any
) -> None:
    engagement = engagements.ours
    first = on_the_hour(1, 8)
    response = post(
        signed_in(personas.coach),
        meetings_of(engagement) + "/schedule",
        {
            "first_starts_at": first.isoformat(),
            "cadence": "weekly",
            "duration_minutes": 45,
            "location": "Line 1 office",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["cadence"], body["time_zone"]) == ("weekly", settings.TIME_ZONE)
    assert at(body["first_starts_at"]) == first
    assert body["meetings"] == Meeting.objects.filter(series_id=body["id"]).count() >= 26
    meeting = Meeting.objects.get(series_id=body["id"], sequence=0)
    assert (meeting.starts_at, meeting.duration_minutes, meeting.location) == (
        first,
        45,
        "Line 1 office",
    )

    # A new schedule replaces the old one's untouched meetings still to come.
    again = post(
        signed_in(personas.coach),
        meetings_of(engagement) + "/schedule",
        {"first_starts_at": on_the_hour(2, 10).isoformat()},
    )
    assert again.status_code == 201, again.content
    assert again.json()["cadence"] == engagement.cadence == "fortnightly"
    assert Meeting.objects.filter(engagement=engagement).count() == again.json()["meetings"]


def test_only_the_coach_keeps_the_schedule(engagements: Any, personas: Any) -> None:
    path = meetings_of(engagements.ours)
    body = {"first_starts_at": on_the_hour(1).isoformat()}
    assert post(signed_in(personas.client), path + "/schedule", body).status_code == 403
    assert (
        post(signed_in(personas.client), path, {"starts_at": body["first_starts_at"]}).status_code
        == 403
    )
    assert post(signed_in(personas.sponsor), path + "/schedule", body).status_code == 403
    assert post(signed_in(personas.outsider), path + "/schedule", body).status_code == 404
    assert not Meeting.objects.exists()


def test_a_closed_engagement_gets_no_more_meetings(engagements: Any, personas: Any) -> None:
    engagement = engagements.ours
    engagement_services.change_status(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        to_status="closed",
        reason="Done",
    )
    response = post(
        signed_in(personas.coach),
        meetings_of(engagement) + "/schedule",
        {"first_starts_at": on_the_hour(1).isoformat()},
    )
    assert response.status_code == 409
    assert "closed" in response.json()["detail"]


def test_meetings_are_listed_by_start_from_today_on_or_in_a_period(
    engagements: Any, personas: Any
) -> None:
    engagement = engagements.ours
    past, soon, later = (one_meeting(engagement, days) for days in (-3, 2, 20))
    single = post(
        signed_in(personas.coach),
        meetings_of(engagement),
        {"starts_at": on_the_hour(5).isoformat(), "duration_minutes": 30},
    )
    assert single.status_code == 201, single.content
    assert (single.json()["sequence"], single.json()["duration_minutes"]) == (None, 30)
    one_meeting(engagements.theirs, 3)

    for user in (personas.coach, personas.client):
        listed = get(signed_in(user), meetings_of(engagement))
        assert listed.status_code == 200
        assert [m["id"] for m in listed.json()] == [soon.pk, single.json()["id"], later.pk]
    today = timezone.localdate()
    period = get(
        signed_in(personas.client),
        meetings_of(engagement),
        start=(today - datetime.timedelta(days=5)).isoformat(),
        end=(today + datetime.timedelta(days=2)).isoformat(),
    )
    assert [m["id"] for m in period.json()] == [past.pk, soon.pk]
    assert [
        m["id"] for m in get(signed_in(personas.coach), meetings_of(engagement), limit=1).json()
    ] == [soon.pk]
    assert fields_of(get(signed_in(personas.coach), meetings_of(engagement), limit=0)) == ["limit"]


# --- A meeting and its agenda ---------------------------------------------------------


def test_a_coaching_meeting_has_the_eight_agenda_items(engagements: Any, personas: Any) -> None:
    meeting = one_meeting(engagements.ours)
    for user in (personas.coach, personas.client):
        response = get(signed_in(user), f"{meetings_of(engagements.ours)}/{meeting.pk}")
        assert response.status_code == 200, response.content
        body = response.json()
        assert [item["key"] for item in body["agenda"]] == item_keys("coaching")
        assert len(body["agenda"]) == 8
        assert (body["frozen"], body["since"], at(body["starts_at"])) == (
            False,
            None,
            meeting.starts_at,
        )


def test_a_kata_meeting_has_the_five_questions(personas: Any) -> None:
    coach = personas.person("coach")
    kata = everyone_accepts(
        engagement_services.open_engagement(
            request=None,
            opened_by=coach,
            coach=coach,
            client=personas.person("client"),
            kind="kata",
        )
    )
    parts = meeting_parts(kata)
    response = get(signed_in(personas.client), f"{meetings_of(kata)}/{parts['meeting_id']}")
    assert response.status_code == 200, response.content
    agenda = response.json()["agenda"]
    assert [item["key"] for item in agenda] == item_keys("kata")
    assert len(agenda) == 5
    facts = {item["key"]: [fact["text"] for fact in item["facts"]] for item in agenda}
    assert facts["kata_obstacles"] == ["In the parking lot: Parts arrive late."]
    assert facts["kata_next_step"] == [
        "Next step: Call the supplier at 7:30. We expect: Parts on the line by 8:00."
    ]
    # A coaching agenda item is not one of a Kata meeting's.
    response = post(
        signed_in(personas.coach),
        f"{meetings_of(kata)}/{parts['meeting_id']}/notes/shared",
        {"item": "facts", "text": "Looked at the board"},
    )
    assert fields_of(response) == ["item"]


def write_notes(meeting: Meeting) -> None:
    coach = meeting.engagement.coach
    services.add_private_meeting_note(
        meeting=meeting, by=coach, item="feedback", text=f"Seems tired {PRIVATE}"
    )
    services.add_meeting_note(
        meeting=meeting, by=coach, item="facts", visibility="shared", text="Defects halved"
    )
    services.add_meeting_note(
        meeting=meeting,
        by=meeting.engagement.client,
        item="contracting",
        visibility="summary",
        text="Daily huddle agreed",
    )


def test_the_coach_reads_every_note_and_the_client_never_a_private_one(
    engagements: Any, personas: Any
) -> None:
    meeting = one_meeting(engagements.ours)
    write_notes(meeting)
    path = f"{meetings_of(engagements.ours)}/{meeting.pk}"

    coach_view = get(signed_in(personas.coach), path)
    assert notes_in(coach_view.json()) == {
        "private": [f"Seems tired {PRIVATE}"],
        "shared": ["Defects halved"],
        "summary": ["Daily huddle agreed"],
    }
    client_view = get(signed_in(personas.client), path)
    assert client_view.status_code == 200
    assert notes_in(client_view.json()) == {
        "shared": ["Defects halved"],
        "summary": ["Daily huddle agreed"],
    }
    assert PRIVATE not in client_view.content.decode()


def test_the_sponsor_reads_summaries_only_and_only_when_the_agreement_shares_them(
    personas: Any,
) -> None:
    engagements = make_engagements(personas, share=("measures", "meeting_summaries"))
    engagement = engagements.ours
    meeting = one_meeting(engagement, -1)
    write_notes(meeting)
    services.close_meeting(meeting=meeting, by=engagement.coach)
    unheld = one_meeting(engagement, 3)
    services.add_meeting_note(
        meeting=unheld, by=engagement.coach, item="facts", visibility="summary", text="Not yet"
    )
    sponsor = signed_in(personas.sponsor)

    # Meetings are not an agreement category: the schedule and the agenda stay closed.
    assert get(sponsor, meetings_of(engagement)).status_code == 403
    detail = get(sponsor, f"{meetings_of(engagement)}/{meeting.pk}")
    assert detail.status_code == 403
    assert detail.json()["detail"]

    summaries = get(sponsor, f"/engagements/{engagement.pk}/summaries")
    assert summaries.status_code == 200, summaries.content
    assert summaries.json() == [
        {
            "meeting_id": meeting.pk,
            "starts_at": summaries.json()[0]["starts_at"],
            "notes": [
                {
                    **summaries.json()[0]["notes"][0],
                    "item": "contracting",
                    "visibility": "summary",
                    "text": "Daily huddle agreed",
                }
            ],
        }
    ]
    assert at(summaries.json()[0]["starts_at"]) == meeting.starts_at
    assert "Defects halved" not in summaries.content.decode()
    assert PRIVATE not in summaries.content.decode()


def test_the_sponsor_reads_no_summaries_when_the_agreement_does_not_share_them(
    engagements: Any, personas: Any
) -> None:
    # The default agreement shares measures and action status only.
    engagement = engagements.ours
    meeting = one_meeting(engagement, -1)
    write_notes(meeting)
    services.close_meeting(meeting=meeting, by=engagement.coach)
    response = get(signed_in(personas.sponsor), f"/engagements/{engagement.pk}/summaries")
    assert response.status_code == 403
    assert "Daily huddle agreed" not in response.content.decode()
    for user in (personas.coach, personas.client):
        summaries = get(signed_in(user), f"/engagements/{engagement.pk}/summaries").json()
        assert [note["text"] for note in summaries[0]["notes"]] == ["Daily huddle agreed"]


def api_get_paths(client: Client, values: dict[str, int]) -> list[str]:
    schema = client.get(API + "/openapi.json").json()
    return [
        re.sub(r"\{(\w+)\}", lambda match: str(values.get(str(match.group(1)), 1)), path)
        for path, operations in schema["paths"].items()
        if "get" in operations
    ]


def test_a_private_meeting_note_reaches_nobody_but_the_coach(personas: Any) -> None:
    engagements = make_engagements(
        personas, share=("measures", "action_status", "meeting_summaries", "observations")
    )
    engagement = engagements.ours
    parts = meeting_parts(engagement)
    meeting = Meeting.objects.get(pk=parts["meeting_id"])
    write_notes(meeting)
    action = services.add_action(
        engagement=engagement,
        by=engagement.coach,
        what="Run the huddle",
        owner="client",
        due_on=timezone.localdate(),
        meeting=meeting,
    )
    held = one_meeting(engagement, -2)
    write_notes(held)
    services.close_meeting(meeting=held, by=engagement.coach)
    values = {
        "pk": engagement.pk,
        "engagement_id": engagement.pk,
        "action_id": action.pk,
        "version": 1,
        **parts,
    }

    def everything(user: Any) -> list[tuple[str, int, str]]:
        client = signed_in(user)
        answers = []
        for path in api_get_paths(client, values):
            response = client.get(path)
            answers.append((path, response.status_code, response.content.decode()))
        for route in page_routes():
            if route.name in PUBLIC | SELF_SERVICE or "need_id" in route.parameters:
                continue
            path = route.path(**{name: values.get(name, 1) for name in route.parameters})
            response = client.get(path)
            answers.append((path, response.status_code, response.content.decode()))
        return answers

    coach_reads = everything(personas.coach)
    assert any(PRIVATE in body for _path, _status, body in coach_reads)
    assert [path for path, status, _body in coach_reads if status >= 500] == []
    for user in (personas.client, personas.sponsor, personas.admin, engagements.other_coach):
        answers = everything(user)
        assert [path for path, status, _body in answers if status >= 500] == []
        assert [path for path, _status, body in answers if PRIVATE in body] == []


# --- Notes --------------------------------------------------------------------------


def test_notes_are_posted_per_visibility_and_the_client_writes_no_private_one(
    engagements: Any, personas: Any
) -> None:
    meeting = one_meeting(engagements.ours)
    path = f"{meetings_of(engagements.ours)}/{meeting.pk}/notes"
    for visibility in ("private", "shared", "summary"):
        response = post(
            signed_in(personas.coach),
            f"{path}/{visibility}",
            {"item": "recognition", "text": f"coach {visibility}"},
        )
        assert response.status_code == 201, response.content
        assert (response.json()["visibility"], response.json()["item"]) == (
            visibility,
            "recognition",
        )
        assert response.json()["author"]["name"] == "Cora Coach"
    for visibility in ("shared", "summary"):
        response = post(
            signed_in(personas.client),
            f"{path}/{visibility}",
            {"item": "feedback", "text": "client"},
        )
        assert response.status_code == 201, response.content
    refused = post(signed_in(personas.client), f"{path}/private", {"item": "feedback", "text": "x"})
    assert refused.status_code == 403
    assert refused.json()["detail"]
    for visibility in ("private", "shared", "summary"):
        response = post(
            signed_in(personas.sponsor), f"{path}/{visibility}", {"item": "facts", "text": "x"}
        )
        assert response.status_code == 403
    assert MeetingNote.objects.filter(meeting=meeting).count() == 4
    assert meeting.private_notes.count() == 1


def test_a_note_names_a_real_agenda_item_and_has_some_text(engagements: Any, personas: Any) -> None:
    meeting = one_meeting(engagements.ours)
    path = f"{meetings_of(engagements.ours)}/{meeting.pk}/notes"
    coach = signed_in(personas.coach)
    for visibility in ("private", "shared", "summary"):
        assert fields_of(
            post(coach, f"{path}/{visibility}", {"item": "nonsense", "text": "x"})
        ) == ["item"]
        assert fields_of(post(coach, f"{path}/{visibility}", {"item": "facts", "text": "  "})) == [
            "text"
        ]
    assert fields_of(post(coach, f"{path}/shared", {"text": "x"})) == ["item"]
    services.cancel_meeting(meeting=meeting, by=engagements.ours.coach)
    response = post(coach, f"{path}/shared", {"item": "facts", "text": "Too late"})
    assert response.status_code == 409
    assert response.json()["detail"] == "This meeting was cancelled."


def test_a_script_with_a_bearer_token_posts_a_note_without_a_csrf_token(
    engagements: Any, personas: Any
) -> None:
    meeting = one_meeting(engagements.ours)
    _token, raw = create_api_token(user=personas.client, name="script", scope="read_write")
    script = Client(enforce_csrf_checks=True)
    response = script.post(
        f"{API}{meetings_of(engagements.ours)}/{meeting.pk}/notes/shared",
        {"item": "feedback", "text": "From my script"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    assert response.json()["author"]["name"] == "Casey Client"


# --- Moving, cancelling, closing -----------------------------------------------------


def test_moving_a_meeting_keeps_its_planned_time_and_raises_its_revision(
    engagements: Any, personas: Any
) -> None:
    meeting = one_meeting(engagements.ours)
    path = f"{meetings_of(engagements.ours)}/{meeting.pk}"
    moved_to = on_the_hour(2, 14)
    response = patch(
        signed_in(personas.coach),
        path,
        {"starts_at": moved_to.isoformat(), "duration_minutes": 30, "location": "Room 2"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert at(body["starts_at"]) == moved_to
    assert at(body["planned_starts_at"]) == meeting.planned_starts_at
    assert (body["duration_minutes"], body["location"]) == (30, "Room 2")
    meeting.refresh_from_db()
    assert meeting.revision == 1
    again = patch(signed_in(personas.coach), path, {"starts_at": on_the_hour(3).isoformat()})
    assert again.status_code == 200
    assert again.json()["duration_minutes"] == 30  # left alone when not sent
    meeting.refresh_from_db()
    assert meeting.revision == 2
    assert (
        patch(signed_in(personas.client), path, {"starts_at": moved_to.isoformat()}).status_code
        == 403
    )


def test_a_cancelled_meeting_cannot_be_moved_cancelled_or_closed(
    engagements: Any, personas: Any
) -> None:
    meeting = one_meeting(engagements.ours)
    path = f"{meetings_of(engagements.ours)}/{meeting.pk}"
    coach = signed_in(personas.coach)
    assert post(signed_in(personas.client), path + "/cancel").status_code == 403
    response = post(coach, path + "/cancel")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "cancelled"
    for answer in (
        patch(coach, path, {"starts_at": on_the_hour(2).isoformat()}),
        post(coach, path + "/cancel"),
        post(coach, path + "/close", {"status": "held"}),
    ):
        assert answer.status_code == 409
        assert answer.json() == {"detail": "This meeting is cancelled; it cannot change."}


def test_closing_a_meeting_as_held_freezes_its_agenda(engagements: Any, personas: Any) -> None:
    engagement = engagements.ours
    coach = engagement.coach
    meeting = one_meeting(engagement, -1)
    due = timezone.localdate() + datetime.timedelta(days=7)
    action = services.add_action(
        engagement=engagement, by=coach, what="Run the huddle", owner="client", due_on=due
    )
    path = f"{meetings_of(engagement)}/{meeting.pk}"
    before = get(signed_in(personas.coach), path).json()
    assert f"Open: Run the huddle (client, agreed for {due:%Y-%m-%d})." in facts_in(before)

    closed = post(signed_in(personas.coach), path + "/close", {"status": "held"})
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "held"

    # The data moves on; the record of the meeting does not.
    services.set_action_status(action=action, by=coach, status="done")
    services.add_action(engagement=engagement, by=coach, what="Later", owner="coach", due_on=due)
    for user in (personas.coach, personas.client):
        after = get(signed_in(user), path).json()
        assert after["frozen"] is True
        assert after["status"] == "held"
        assert facts_in(after) == facts_in(before)
    # A meeting after it sees the new state and counts from the held one.
    following = get(
        signed_in(personas.coach), f"{meetings_of(engagement)}/{one_meeting(engagement).pk}"
    ).json()
    assert following["frozen"] is False
    assert at(following["since"]) == meeting.starts_at
    assert "Open: Later (coach, agreed for " + f"{due:%Y-%m-%d})." in facts_in(following)


def test_a_second_close_is_a_409_with_a_json_detail(engagements: Any, personas: Any) -> None:
    meeting = one_meeting(engagements.ours, -1)
    path = f"{meetings_of(engagements.ours)}/{meeting.pk}/close"
    coach = signed_in(personas.coach)
    assert post(coach, path, {"status": "missed"}).json()["status"] == "missed"
    for status in ("missed", "held"):
        response = post(coach, path, {"status": status})
        assert response.status_code == 409
        assert response["Content-Type"].startswith("application/json")
        assert response.json() == {"detail": "This meeting is missed; it cannot change."}
    meeting.refresh_from_db()
    assert (meeting.status, meeting.agenda_snapshot) == ("missed", None)


# --- Bad input ----------------------------------------------------------------------


def test_bad_input_is_a_422_naming_the_field_never_a_500(engagements: Any, personas: Any) -> None:
    engagement = engagements.ours
    meeting = one_meeting(engagement)
    coach = signed_in(personas.coach)
    naive = on_the_hour(1).replace(tzinfo=None).isoformat()
    schedule = meetings_of(engagement) + "/schedule"
    aware = on_the_hour(1).isoformat()

    assert fields_of(post(coach, schedule, {"first_starts_at": naive})) == ["first_starts_at"]
    assert fields_of(post(coach, schedule, {"first_starts_at": aware, "duration_minutes": 3})) == [
        "duration_minutes"
    ]
    assert fields_of(post(coach, schedule, {"first_starts_at": aware, "cadence": "daily"})) == [
        "cadence"
    ]
    assert fields_of(post(coach, schedule, {"first_starts_at": "next Monday"})) == [
        "first_starts_at"
    ]
    assert fields_of(post(coach, schedule, {})) == ["first_starts_at"]
    assert fields_of(post(coach, meetings_of(engagement), {"starts_at": naive})) == ["starts_at"]
    assert fields_of(
        post(coach, meetings_of(engagement), {"starts_at": aware, "duration_minutes": 481})
    ) == ["duration_minutes"]
    detail = f"{meetings_of(engagement)}/{meeting.pk}"
    assert fields_of(patch(coach, detail, {"starts_at": naive})) == ["starts_at"]
    assert fields_of(patch(coach, detail, {"starts_at": aware, "duration_minutes": 3})) == [
        "duration_minutes"
    ]
    assert fields_of(post(coach, detail + "/close", {"status": "cancelled"})) == ["status"]
    assert fields_of(post(coach, detail + "/close", {"status": "whenever"})) == ["status"]
    assert fields_of(post(coach, detail + "/notes/shared", {"item": "x" * 31, "text": "y"})) == [
        "item"
    ]
    actions = f"/engagements/{engagement.pk}/actions"
    today = timezone.localdate()
    assert fields_of(post(coach, actions, {"what": "Do", "due_on": "tomorrow"})) == ["due_on"]
    assert fields_of(
        post(coach, actions, {"what": "Do", "due_on": str(today), "owner": "boss"})
    ) == ["owner"]
    assert fields_of(
        post(
            coach,
            actions,
            {
                "what": "Do",
                "due_on": str(today),
                "check_back_on": str(today - datetime.timedelta(days=1)),
            },
        )
    ) == ["check_back_on"]
    meeting.refresh_from_db()
    assert (meeting.revision, meeting.status) == (0, "scheduled")
    assert not ActionItem.objects.exists()


def test_times_and_dates_far_from_today_are_a_422_not_a_500_or_thousands_of_meetings(
    engagements: Any, personas: Any
) -> None:
    engagement = engagements.ours
    meeting = one_meeting(engagement)
    coach = signed_in(personas.coach)
    schedule = meetings_of(engagement) + "/schedule"
    for moment in (
        "9999-12-01T09:00:00+00:00",  # the schedule's horizon overflows
        "0001-01-01T00:30:00+01:00",  # before year 1 in UTC
        "0001-01-02T09:00:00+00:00",  # monthly from year 1: 24,000 meetings
        "2000-01-03T09:00:00+00:00",
        "9999-12-31T23:30:00-05:00",  # after 9999 in UTC: stored, it could not be read back
    ):
        assert fields_of(
            post(coach, schedule, {"first_starts_at": moment, "cadence": "monthly"})
        ) == ["first_starts_at"]
        assert fields_of(post(coach, meetings_of(engagement), {"starts_at": moment})) == [
            "starts_at"
        ]
        assert fields_of(
            patch(coach, f"{meetings_of(engagement)}/{meeting.pk}", {"starts_at": moment})
        ) == ["starts_at"]
    actions = f"/engagements/{engagement.pk}/actions"
    for day in ("9999-12-31", "0001-01-01"):
        assert fields_of(post(coach, actions, {"what": "Do", "due_on": day})) == ["due_on"]
    today = str(timezone.localdate())
    assert fields_of(
        post(coach, actions, {"what": "Do", "due_on": today, "check_back_on": "9999-12-31"})
    ) == ["check_back_on"]
    action = services.add_action(
        engagement=engagement,
        by=engagement.coach,
        what="Do",
        owner="client",
        due_on=timezone.localdate(),
    )
    assert fields_of(patch(coach, action_paths(engagement, action), {"due_on": "9999-12-31"})) == [
        "due_on"
    ]
    assert [m.pk for m in Meeting.objects.all()] == [meeting.pk]
    # Asking for a far period is fine: nothing is there.
    assert get(coach, meetings_of(engagement), start="9999-12-31").json() == []
    assert (
        len(get(coach, meetings_of(engagement), start="0001-01-01", end="9999-12-31").json()) == 1
    )


# --- The action log -----------------------------------------------------------------


def action_paths(engagement: Any, action: ActionItem) -> str:
    return f"/engagements/{engagement.pk}/actions/{action.pk}"


def test_the_client_marks_their_own_action_done_and_the_coach_confirms_it_once(
    engagements: Any, personas: Any
) -> None:
    engagement = engagements.ours
    due = timezone.localdate() + datetime.timedelta(days=3)
    added = post(
        signed_in(personas.client),
        f"/engagements/{engagement.pk}/actions",
        {"what": "Run the huddle at 8:00", "due_on": str(due)},
    )
    assert added.status_code == 201, added.content
    assert (added.json()["owner"], added.json()["created_by"]["name"]) == ("client", "Casey Client")
    theirs = ActionItem.objects.get(pk=added.json()["id"])
    coachs = services.add_action(
        engagement=engagement, by=engagement.coach, what="Observe", owner="coach", due_on=due
    )
    client, coach = signed_in(personas.client), signed_in(personas.coach)

    done = post(client, action_paths(engagement, theirs) + "/done")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["confirmed_at"]) == ("done", None)
    assert post(client, action_paths(engagement, coachs) + "/done").status_code == 403
    assert post(client, action_paths(engagement, theirs) + "/confirm").status_code == 403
    refused = patch(client, action_paths(engagement, theirs), {"what": "Something easier"})
    assert refused.status_code == 403
    assert patch(client, action_paths(engagement, theirs), {"status": "open"}).status_code == 403

    assert post(coach, action_paths(engagement, coachs) + "/confirm").status_code == 409
    confirmed = post(coach, action_paths(engagement, theirs) + "/confirm")
    assert confirmed.status_code == 200, confirmed.content
    assert confirmed.json()["confirmed_at"] is not None
    again = post(coach, action_paths(engagement, theirs) + "/confirm")
    assert again.status_code == 409
    assert again.json() == {"detail": "This action is already confirmed."}
    # Confirmed, it is the coach's to change.
    assert post(client, action_paths(engagement, theirs) + "/done").status_code == 403
    assert (
        post(signed_in(personas.sponsor), action_paths(engagement, theirs) + "/done").status_code
        == 403
    )


def test_the_coach_changes_an_action_and_the_history_lists_every_change(
    engagements: Any, personas: Any
) -> None:
    engagement = engagements.ours
    due = timezone.localdate() + datetime.timedelta(days=3)
    action = services.add_action(
        engagement=engagement,
        by=engagement.coach,
        what="Run the huddle",
        owner="client",
        due_on=due,
    )
    coach, client = signed_in(personas.coach), signed_in(personas.client)
    later = due + datetime.timedelta(days=7)
    changed = patch(
        coach,
        action_paths(engagement, action),
        {"due_on": str(later), "check_back_on": str(later), "what": "Run the 8:00 huddle"},
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["due_on"], changed.json()["what"]) == (str(later), "Run the 8:00 huddle")
    assert post(client, action_paths(engagement, action) + "/done").status_code == 200
    assert post(coach, action_paths(engagement, action) + "/confirm").status_code == 200
    reopened = patch(coach, action_paths(engagement, action), {"status": "slipped"})
    assert (reopened.json()["status"], reopened.json()["confirmed_at"]) == ("slipped", None)
    assert fields_of(
        patch(coach, action_paths(engagement, action), {"check_back_on": str(due)})
    ) == ["check_back_on"]

    history = get(client, action_paths(engagement, action) + "/history")
    assert history.status_code == 200, history.content
    assert [(c["field"], c["old"], c["new"], c["by"]["name"]) for c in history.json()] == [
        ("created", "", "Run the huddle", "Cora Coach"),
        ("what", "Run the huddle", "Run the 8:00 huddle", "Cora Coach"),
        ("due_on", str(due), str(later), "Cora Coach"),
        ("check_back_on", "", str(later), "Cora Coach"),
        ("status", "open", "done", "Casey Client"),
        ("confirmed", "", "yes", "Cora Coach"),
        ("status", "done", "slipped", "Cora Coach"),
        ("confirmed", "yes", "", "Cora Coach"),
    ]
    listed = get(client, f"/engagements/{engagement.pk}/actions", status="slipped")
    assert [a["id"] for a in listed.json()] == [action.pk]
    assert get(client, f"/engagements/{engagement.pk}/actions", status="open").json() == []


def test_an_action_of_another_engagement_is_not_found_through_ours(
    engagements: Any, personas: Any
) -> None:
    theirs = engagements.theirs
    action = services.add_action(
        engagement=theirs,
        by=theirs.coach,
        what="Theirs",
        owner="client",
        due_on=timezone.localdate(),
    )
    meeting = one_meeting(theirs)
    ours = f"/engagements/{engagements.ours.pk}/actions"
    coach = signed_in(personas.coach)
    assert post(coach, f"{ours}/{action.pk}/done").status_code == 404
    assert get(coach, f"{ours}/{action.pk}/history").status_code == 404
    # A meeting of theirs named in our action is not found either.
    response = post(
        coach, ours, {"what": "x", "due_on": str(timezone.localdate()), "meeting_id": meeting.pk}
    )
    assert response.status_code == 404
    assert get(coach, f"{meetings_of(engagements.ours)}/{meeting.pk}").status_code == 404


def test_my_actions_lists_only_the_actions_the_caller_owns(personas: Any) -> None:
    engagements = make_engagements(personas, share=("action_status",))
    ours, theirs = engagements.ours, engagements.theirs
    today = timezone.localdate()

    def add(engagement: Any, what: str, owner: str, days: int = 0) -> ActionItem:
        return services.add_action(
            engagement=engagement,
            by=engagement.coach,
            what=what,
            owner=owner,
            due_on=today + datetime.timedelta(days=days),
        )

    client_later = add(ours, "Client later", "client", 5)
    client_first = add(ours, "Client first", "client", 1)
    coach_own = add(ours, "Coach", "coach")
    add(theirs, "Their client", "client")
    their_coach = add(theirs, "Their coach", "coach")
    services.set_action_status(action=client_later, by=ours.coach, status="done")

    def mine(user: Any, **params: Any) -> list[int]:
        response = get(signed_in(user), "/me/actions", **params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()]

    assert mine(personas.client) == [client_first.pk, client_later.pk]
    assert mine(personas.client, status="open") == [client_first.pk]
    assert mine(personas.coach) == [coach_own.pk]
    assert mine(engagements.other_coach) == [their_coach.pk]
    assert mine(personas.sponsor) == []
    assert mine(personas.outsider) == []
    assert Client().get(API + "/me/actions").status_code == 401
