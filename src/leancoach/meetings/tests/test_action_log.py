"""The action log: what, owner, agreed date, check-back date, status with the history of every
change; the client marks their own actions done and the coach confirms."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from leancoach.core.errors import Conflict
from leancoach.meetings import services
from leancoach.meetings.models import ActionItem

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def action(
    engagements: Any, what: str = "Post the chart", owner: str = "client", days: int = 3
) -> ActionItem:
    engagement = engagements.ours
    return services.add_action(
        engagement=engagement,
        by=engagement.coach,
        what=what,
        owner=owner,
        due_on=TODAY + datetime.timedelta(days=days),
    )


def as_user(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_change_is_kept_with_who_and_when(engagements: Any) -> None:
    item = action(engagements)
    coach = engagements.ours.coach
    services.change_action(
        action=item, by=coach, due_on=TODAY + datetime.timedelta(days=5), status="slipped"
    )
    services.change_action(action=item, by=coach, what="Post the chart at the line")
    changes = [(c.field, c.old, c.new) for c in item.changes.all()]
    assert changes == [
        ("created", "", "Post the chart"),
        (
            "due_on",
            (TODAY + datetime.timedelta(days=3)).isoformat(),
            (TODAY + datetime.timedelta(days=5)).isoformat(),
        ),
        ("status", "open", "slipped"),
        ("what", "Post the chart", "Post the chart at the line"),
    ]


def test_an_unchanged_field_leaves_no_history(engagements: Any) -> None:
    item = action(engagements)
    services.change_action(action=item, by=engagements.ours.coach, what="Post the chart")
    assert item.changes.count() == 1


def test_the_check_back_date_cannot_come_before_the_agreed_date(engagements: Any) -> None:
    item = action(engagements)
    with pytest.raises(ValidationError) as refused:
        services.change_action(
            action=item, by=engagements.ours.coach, check_back_on=TODAY - datetime.timedelta(days=1)
        )
    assert "check_back_on" in refused.value.message_dict


def test_the_client_marks_their_action_done_and_the_coach_confirms(
    personas: Any, engagements: Any
) -> None:
    item = action(engagements)
    base = f"/engagements/{engagements.ours.pk}/actions/{item.pk}/"
    client = as_user(personas.client)
    assert client.post(base + "done/").status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    assert item.awaits_confirmation
    assert client.post(base + "confirm/").status_code == 403
    coach = as_user(personas.coach)
    page = coach.get("/").content.decode()
    assert "Done by your clients, to confirm" in page
    assert "Post the chart" in page
    assert coach.post(base + "confirm/", {"next": "/"}).status_code == 302
    item.refresh_from_db()
    assert item.confirmed_at is not None
    # Once confirmed, the client can no longer change it.
    assert client.post(base + "done/", {"undo": "yes"}).status_code == 403


def test_the_client_cannot_mark_the_coachs_action_or_edit_any(
    personas: Any, engagements: Any
) -> None:
    mine = action(engagements, what="Observe the huddle", owner="coach")
    client = as_user(personas.client)
    base = f"/engagements/{engagements.ours.pk}/actions/"
    assert client.post(base + f"{mine.pk}/done/").status_code == 403
    theirs = action(engagements)
    assert (
        client.post(
            base + f"{theirs.pk}/edit/",
            {"what": "x", "owner": "client", "due_on": TODAY.isoformat(), "status": "dropped"},
        ).status_code
        == 403
    )
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_confirming_twice_is_refused(engagements: Any) -> None:
    item = action(engagements)
    coach = engagements.ours.coach
    services.set_action_status(action=item, by=engagements.ours.client, status="done")
    services.confirm_action(action=item, by=coach)
    with pytest.raises(Conflict):
        services.confirm_action(action=item, by=coach)


def test_reopening_a_confirmed_action_needs_confirming_again(engagements: Any) -> None:
    item = action(engagements)
    client = engagements.ours.client
    services.set_action_status(action=item, by=client, status="done")
    services.confirm_action(action=item, by=engagements.ours.coach)
    services.set_action_status(action=item, by=client, status="open")
    services.set_action_status(action=item, by=client, status="done")
    assert item.awaits_confirmation


def test_an_action_the_coach_marks_done_needs_no_confirming(
    personas: Any, engagements: Any
) -> None:
    item = action(engagements, what="Observe the huddle", owner="coach")
    services.set_action_status(action=item, by=engagements.ours.coach, status="done")
    assert not item.awaits_confirmation
    assert (
        "Done by your clients, to confirm" not in as_user(personas.coach).get("/").content.decode()
    )


def test_the_log_filters_by_status_and_owner_and_sorts(personas: Any, engagements: Any) -> None:
    late = action(engagements, what="Late one", days=-4)
    soon = action(engagements, what="Soon one", days=2)
    coachs = action(engagements, what="Coach's one", owner="coach", days=9)
    services.set_action_status(action=soon, by=engagements.ours.coach, status="dropped")
    coach = as_user(personas.coach)
    path = f"/engagements/{engagements.ours.pk}/actions/log/"

    def whats(query: dict[str, str]) -> list[str]:
        return [row["action"].what for row in coach.get(path, query).context["rows"]]

    assert whats({}) == ["Late one", "Soon one", "Coach's one"]
    assert whats({"status": "overdue"}) == ["Late one"]
    assert whats({"status": "dropped"}) == ["Soon one"]
    assert whats({"owner": "coach"}) == ["Coach's one"]
    assert whats({"sort": "due", "order": "desc"}) == ["Coach's one", "Soon one", "Late one"]
    assert whats({"sort": "created"}) == [late.what, soon.what, coachs.what]
    # Nonsense filters are ignored rather than answered with an error page.
    assert coach.get(path, {"status": "bogus", "cursor": "!!"}).status_code == 200


def test_the_log_pages_by_key(personas: Any, engagements: Any) -> None:
    for n in range(55):
        action(engagements, what=f"Action {n:02d}", days=n)
    coach = as_user(personas.coach)
    path = f"/engagements/{engagements.ours.pk}/actions/log/"
    first = coach.get(path)
    assert len(first.context["rows"]) == 50
    second = coach.get(path, {"cursor": first.context["next_cursor"]})
    assert [row["action"].what for row in second.context["rows"]] == [
        f"Action {n:02d}" for n in range(50, 55)
    ]


def test_my_actions_lists_what_i_own_in_every_engagement(personas: Any, engagements: Any) -> None:
    action(engagements, what="Client's own")
    action(engagements, what="Coach's own", owner="coach")
    other = engagements.theirs
    services.add_action(
        engagement=other, by=other.coach, what="Someone else's", owner="client", due_on=TODAY
    )
    client_rows = as_user(personas.client).get("/my/actions/").context["rows"]
    assert [row["action"].what for row in client_rows] == ["Client's own"]
    coach_rows = as_user(personas.coach).get("/my/actions/").context["rows"]
    assert [row["action"].what for row in coach_rows] == ["Coach's own"]
    assert as_user(personas.outsider).get("/my/actions/").context["rows"] == []


def test_the_sponsor_reads_the_log_only_as_the_agreement_allows(
    personas: Any, engagements: Any
) -> None:
    action(engagements)
    sponsor = as_user(personas.sponsor)
    path = f"/engagements/{engagements.ours.pk}/actions/log/"
    page = sponsor.get(path)
    assert page.status_code == 200  # the shared agreement shares action status
    assert "Post the chart" in page.content.decode()
    assert "Mark done" not in page.content.decode()
    assert (
        sponsor.post(f"/engagements/{engagements.ours.pk}/actions/log/add/", {}).status_code == 403
    )


def test_the_coach_edits_an_action_on_its_own_page_with_its_history(
    personas: Any, engagements: Any
) -> None:
    item = action(engagements)
    path = f"/engagements/{engagements.ours.pk}/actions/{item.pk}/edit/"
    coach = as_user(personas.coach)
    page = coach.get(path).content.decode()
    assert 'value="Post the chart"' in page
    assert f'value="{item.due_on.isoformat()}"' in page  # an ISO date the browser keeps
    response = coach.post(
        path,
        {
            "what": "Post the chart at the line",
            "owner": "client",
            "due_on": item.due_on.isoformat(),
            "status": "slipped",
        },
        follow=True,
    )
    assert "Action updated." in response.content.decode()
    assert "status open → slipped" in coach.get(path).content.decode()
    assert as_user(personas.client).get(path).status_code == 403


def test_a_closed_engagement_takes_no_new_actions(personas: Any, engagements: Any) -> None:
    from leancoach.engagements import services as engagement_services

    engagement = engagements.ours
    engagement_services.change_status(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        to_status="closed",
        reason="Goals reached",
    )
    engagement.refresh_from_db()
    with pytest.raises(Conflict):
        action(engagements)
    response = as_user(personas.coach).post(
        f"/api/v1/engagements/{engagement.pk}/actions",
        {"what": "One more", "due_on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert response.json() == {"detail": "This engagement is closed: no new actions."}
    page = as_user(personas.coach).post(
        f"/engagements/{engagement.pk}/actions/log/add/",
        {"what": "One more", "owner": "client", "due_on": TODAY.isoformat()},
        follow=True,
    )
    assert "This engagement is closed: no new actions." in page.content.decode()
    assert not ActionItem.objects.filter(what="One more").exists()
