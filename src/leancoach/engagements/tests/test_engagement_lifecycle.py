from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from leancoach.engagements import services
from leancoach.engagements.models import Status, StatusChange

pytestmark = pytest.mark.django_db


def move(engagement: Any, to: str, reason: str = "Because", on: datetime.date | None = None) -> Any:
    return services.change_status(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        to_status=to,
        reason=reason,
        on=on,
    )


def test_an_engagement_goes_proposed_active_paused_active_closed_with_its_history(
    engagements: Any,
) -> None:
    engagement = engagements.ours  # active since its agreement was signed by everyone
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    move(engagement, "paused", "Client on leave", on=yesterday)
    move(engagement, "active", "Back from leave")
    move(engagement, "closed", "Targets met")
    history = list(
        StatusChange.objects.filter(engagement=engagement).values_list(
            "from_status", "to_status", "reason"
        )
    )
    assert history == [
        ("", "proposed", "Opened"),
        ("proposed", "active", "Agreement v1 signed by everyone"),
        ("active", "paused", "Client on leave"),
        ("paused", "active", "Back from leave"),
        ("active", "closed", "Targets met"),
    ]
    assert StatusChange.objects.get(reason="Client on leave").on == yesterday


def test_closing_is_final(engagements: Any) -> None:
    engagement = move(engagements.ours, "closed", "Stopped")
    with pytest.raises(ValidationError, match="cannot become active"):
        move(engagement, "active")


def test_a_status_change_needs_a_reason(engagements: Any) -> None:
    with pytest.raises(ValidationError, match="Say why"):
        move(engagements.ours, "paused", reason="  ")
    engagements.ours.refresh_from_db()
    assert engagements.ours.status == Status.ACTIVE


def test_an_admin_may_pause_an_engagement_but_the_client_may_not(
    personas: Any, engagements: Any
) -> None:
    client = Client()
    client.force_login(personas.client)
    url = f"/engagements/{engagements.ours.pk}/status/"
    assert client.post(url, {"status": "paused", "reason": "I want a break"}).status_code == 403
    client.force_login(personas.admin)
    assert client.post(url, {"status": "paused", "reason": "Programme review"}).status_code == 302
    engagements.ours.refresh_from_db()
    assert engagements.ours.status == Status.PAUSED
    assert engagements.ours.audit_events.filter(what="status.changed", actor_role="admin").exists()


def test_a_refused_change_is_a_message_not_an_error_page(personas: Any, engagements: Any) -> None:
    client = Client()
    client.force_login(personas.coach)
    response = client.post(
        f"/engagements/{engagements.ours.pk}/status/",
        {"status": "proposed", "reason": "x"},
        follow=True,
    )
    assert response.status_code == 200
    assert b"cannot become proposed" in response.content


def test_a_status_change_cannot_be_dated_in_the_future(engagements: Any) -> None:
    with pytest.raises(ValidationError, match="future"):
        move(engagements.ours, "paused", on=timezone.localdate() + datetime.timedelta(days=3))


def test_an_admin_without_a_directory_entry_opening_an_engagement_is_recorded_as_admin(
    personas: Any,
) -> None:
    from leancoach.core.models import AuditEvent

    admin_login = personas.admin
    entry = admin_login.person
    entry.user = None
    entry.save()
    admin_login.refresh_from_db()
    client = Client()
    client.force_login(admin_login)
    response = client.post(
        "/engagements/new/",
        {
            "client": "client@example.com",
            "coach": "coach@example.com",
            "kind": "coaching",
            "coaching_model": "leadership",
            "zones": ["blue"],
            "cadence": "weekly",
        },
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(what="engagement.opened")
    assert event.actor_role == "admin"
    assert event.actor == admin_login
