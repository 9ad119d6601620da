"""Signing that moves (issue 10, finding 12).

Before: after coach, client and sponsor had all signed, the engagement stayed "Proposed"
until someone found the status control, and nobody was told that an agreement waited for
their signature. Now the last signature (once everyone has accepted taking part) makes the
engagement active, and the history says so; each party with an unsigned newest version
sees it on their home page and in their reminder digest.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from leancoach.core.models import AuditEvent
from leancoach.engagements import services
from leancoach.engagements.models import Engagement, Status
from leancoach.meetings.reminders import send_reminders
from leancoach.meetings.services import save_preferences
from leancoach.testing.personas import everyone_accepts

pytestmark = pytest.mark.django_db

API = "/api/v1"
CANARY = "CANARY-terms-9e04"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def agreed(personas: Any) -> Engagement:
    """Coaching the client and sponsor have accepted, with agreement v1 signed by nobody yet."""
    coach = personas.person("coach")
    engagement = everyone_accepts(
        services.open_engagement(
            request=None, opened_by=coach, coach=coach, client=personas.person("client")
        )
    )
    services.propose_agreement(
        request=None,
        engagement=engagement,
        by=coach,
        role="coach",
        terms={"share_measures": True, "coach_commitments": f"Observe weekly {CANARY}"},
    )
    mail.outbox.clear()
    return engagement


def sign(user: Any, engagement: Engagement, version: int = 1) -> Any:
    response = signed_in(user).post(
        f"{API}/engagements/{engagement.pk}/agreements/{version}/sign",
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_last_signature_makes_the_engagement_active(personas: Any, agreed: Any) -> None:
    sign(personas.coach, agreed)
    sign(personas.client, agreed)
    agreed.refresh_from_db()
    assert agreed.status == Status.PROPOSED
    sign(personas.sponsor, agreed)
    agreed.refresh_from_db()
    assert agreed.status == Status.ACTIVE
    last = agreed.status_history.last()
    assert last is not None
    assert (last.from_status, last.to_status, last.reason) == (
        "proposed",
        "active",
        "Agreement v1 signed by everyone",
    )
    assert last.changed_by == personas.person("sponsor")
    assert AuditEvent.objects.filter(
        engagement=agreed, what="status.changed", actor_role="sponsor"
    ).exists()


def test_signing_on_the_page_starts_it_too_without_the_status_control(
    personas: Any, agreed: Any
) -> None:
    for user in (personas.coach, personas.client, personas.sponsor):
        signed_in(user).post(f"/engagements/{agreed.pk}/agreement/1/sign/")
    page = signed_in(personas.client).get(f"/engagements/{agreed.pk}/").content.decode()
    assert "Active" in page
    assert "Agreement v1 signed by everyone" in page


def test_a_new_version_signed_later_does_not_move_an_active_or_paused_engagement(
    personas: Any, agreed: Any
) -> None:
    for user in (personas.coach, personas.client, personas.sponsor):
        sign(user, agreed)
    services.change_status(
        request=None,
        engagement=agreed,
        by=agreed.coach,
        role="coach",
        to_status="paused",
        reason="Client on leave",
    )
    services.propose_agreement(
        request=None,
        engagement=agreed,
        by=agreed.coach,
        role="coach",
        terms={"share_targets": True},
    )
    for user in (personas.coach, personas.client, personas.sponsor):
        sign(user, agreed, version=2)
    agreed.refresh_from_db()
    assert agreed.status == Status.PAUSED
    assert agreed.status_history.count() == 3  # opened, signed by everyone, paused


def test_each_party_with_an_unsigned_newest_version_sees_it_on_their_home_page(
    personas: Any, agreed: Any
) -> None:
    sign(personas.coach, agreed)
    client_home = signed_in(personas.client).get("/").content.decode()
    assert "Version 1 of your agreement with Cora Coach waits for your signature" in client_home
    assert f'href="/engagements/{agreed.pk}/agreement/"' in client_home
    sponsor_home = signed_in(personas.sponsor).get("/").content.decode()
    assert (
        "Version 1 of your agreement with Casey Client and Cora Coach waits for your signature"
        in sponsor_home
    )
    coach_home = signed_in(personas.coach).get("/").content.decode()
    assert "waits for your signature" not in coach_home  # signed already
    assert CANARY not in client_home + sponsor_home
    sign(personas.client, agreed)
    assert "waits for your signature" not in signed_in(personas.client).get("/").content.decode()


def test_the_home_page_costs_the_same_with_many_things_waiting(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    from leancoach.testing.personas import make_user

    sponsor = personas.person("sponsor")

    def more(count: int, start: int) -> None:
        for n in range(start, start + count):
            coach = make_user(f"c{n}@example.com", f"Coach {n}").person
            client = make_user(f"k{n}@example.com", f"Client {n}", manager=sponsor).person
            engagement = services.open_engagement(
                request=None, opened_by=coach, coach=coach, client=client
            )
            if n % 2:
                engagement = everyone_accepts(engagement)
                services.propose_agreement(
                    request=None, engagement=engagement, by=coach, role="coach", terms={}
                )

    reader = signed_in(personas.sponsor)
    more(3, 0)
    with django_assert_max_num_queries(9):
        first = reader.get("/").content.decode()
    more(6, 3)
    with django_assert_max_num_queries(9):
        second = reader.get("/").content.decode()
    assert first.count('<li class="ask-') < second.count('<li class="ask-')


def test_the_digest_says_a_signature_waits_and_carries_no_term(personas: Any, agreed: Any) -> None:
    sign(personas.coach, agreed)
    sign(personas.client, agreed)
    zone = ZoneInfo(settings.TIME_ZONE)
    user = personas.sponsor
    save_preferences(user=user, time_zone=settings.TIME_ZONE, reminders="daily")
    morning = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=1), datetime.time(8), tzinfo=zone
    )
    mail.outbox.clear()
    send_reminders(now=morning)
    [digest] = [m for m in mail.outbox if m.to == ["sponsor@example.com"]]
    assert "1 waiting for your answer or signature" in digest.subject
    assert (
        "Version 1 of your agreement with Casey Client and Cora Coach waits for your signature"
        in (digest.body)
    )
    assert f"/engagements/{agreed.pk}/agreement/" in digest.body
    assert CANARY not in digest.body
    assert "Observe weekly" not in digest.body
