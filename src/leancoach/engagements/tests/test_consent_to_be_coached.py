"""Consent to be coached (issue 10, finding 4).

Before: anyone could open an engagement about any colleague and name any sponsor; the
engagement existed at once, and the coach could write private notes and needs about the
client, who had never agreed. Now an engagement opened by a coach or an admin is a
proposal: each party named but the opener is asked, by e-mail and on their home page;
until every one accepts, nothing of the coaching can be written (only the agreement can be
drafted and signed), and a decline closes the engagement with the reason.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from leancoach.core.models import AuditEvent
from leancoach.engagements import services
from leancoach.engagements.models import Answer, Consent, Engagement, Status

pytestmark = pytest.mark.django_db

API = "/api/v1"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, data: Any = None) -> Any:
    return client.post(API + path, data or {}, content_type="application/json")


def open_as_coach(personas: Any) -> Engagement:
    """The coach opens coaching of the client through the page; the sponsor is the default."""
    response = signed_in(personas.coach).post(
        "/engagements/new/",
        {
            "client": "client@example.com",
            "kind": "coaching",
            "coaching_model": "leadership",
            "zones": ["blue"],
            "cadence": "weekly",
            "focus": "Calmer huddles",
        },
    )
    assert response.status_code == 302
    return Engagement.objects.get()


def answers(engagement: Engagement) -> dict[str, str]:
    return dict(engagement.consents.values_list("role", "answer"))


def test_an_engagement_a_coach_opens_is_a_proposal_the_client_and_sponsor_are_asked(
    personas: Any,
) -> None:
    engagement = open_as_coach(personas)
    assert engagement.status == Status.PROPOSED
    assert engagement.accepted_at is None
    # The opener's own consent is implicit.
    assert answers(engagement) == {"coach": "accepted", "client": "pending", "sponsor": "pending"}
    assert sorted(m.to[0] for m in mail.outbox) == ["client@example.com", "sponsor@example.com"]
    to_client = next(m for m in mail.outbox if m.to == ["client@example.com"])
    assert "Cora Coach proposes to be your coach." in to_client.body
    assert f"/engagements/{engagement.pk}/proposal/" in to_client.body
    assert "Calmer huddles" not in to_client.body  # what is proposed is read after signing in


def test_through_the_api_opening_answers_with_a_proposal(personas: Any) -> None:
    response = post(
        signed_in(personas.coach), "/engagements", {"client_id": personas.person("client").pk}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["awaiting_consent"], body["accepted_at"]) == (
        "proposed",
        True,
        None,
    )
    consents = signed_in(personas.client).get(f"{API}/engagements/{body['id']}/consents").json()
    assert [(c["role"], c["answer"]) for c in consents] == [
        ("coach", "accepted"),
        ("client", "pending"),
        ("sponsor", "pending"),
    ]


def test_an_admin_opening_for_a_coach_asks_the_coach_too(personas: Any) -> None:
    response = post(
        signed_in(personas.admin),
        "/engagements",
        {"client_id": personas.person("client").pk, "coach_id": personas.person("coach").pk},
    )
    assert response.status_code == 201
    engagement = Engagement.objects.get()
    assert answers(engagement) == {"coach": "pending", "client": "pending", "sponsor": "pending"}
    assert len(mail.outbox) == 3


def test_until_everyone_accepts_no_coaching_content_can_be_written(personas: Any) -> None:
    engagement = open_as_coach(personas)
    coach = signed_in(personas.coach)
    pk = engagement.pk
    assert post(coach, f"/engagements/{pk}/private-notes", {"text": "About her"}).status_code == 403
    need = {"category": "quality", "description": "x"}
    assert post(coach, f"/engagements/{pk}/client-needs", need).status_code == 403
    assert post(coach, f"/engagements/{pk}/measures", {"name": "Yield"}).status_code == 403
    assert coach.get(f"/engagements/{pk}/notes/").status_code == 403
    assert coach.post(f"/engagements/{pk}/notes/", {"text": "About her"}).status_code == 403
    assert not engagement.private_notes.exists()
    # The agreement can be drafted and signed by those who have accepted.
    drafted = post(coach, f"/engagements/{pk}/agreements", {"share_measures": True})
    assert drafted.status_code == 201, drafted.content
    assert post(coach, f"/engagements/{pk}/agreements/1/sign").status_code == 201


def test_the_client_and_the_sponsor_see_the_proposal_on_their_home_page(personas: Any) -> None:
    engagement = open_as_coach(personas)
    client_home = signed_in(personas.client).get("/").content.decode()
    assert "Waiting for you" in client_home
    assert "Cora Coach proposes to be your coach: accept or decline" in client_home
    assert f'href="/engagements/{engagement.pk}/proposal/"' in client_home
    sponsor_home = signed_in(personas.sponsor).get("/").content.decode()
    assert "Cora Coach asks you to sponsor the coaching of Casey Client" in sponsor_home
    outsider_home = signed_in(personas.outsider).get("/").content.decode()
    assert "Waiting for you" not in outsider_home


def test_each_accepts_on_the_proposal_page_and_the_engagement_is_agreed(personas: Any) -> None:
    engagement = open_as_coach(personas)
    page = signed_in(personas.client).get(f"/engagements/{engagement.pk}/proposal/")
    assert page.status_code == 200
    assert "Will you take part as client?" in page.content.decode()
    for user in (personas.client, personas.sponsor):
        response = signed_in(user).post(
            f"/engagements/{engagement.pk}/answer/", {"accept": "yes"}, follow=True
        )
        assert "You accepted." in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.accepted_at is not None
    assert engagement.status == Status.PROPOSED  # it starts once the agreement is signed
    assert set(answers(engagement).values()) == {Answer.ACCEPTED}
    assert list(
        AuditEvent.objects.filter(engagement=engagement, what="consent.accepted")
        .order_by("pk")
        .values_list("actor_role", flat=True)
    ) == ["client", "sponsor"]
    home = signed_in(personas.client).get("/").content.decode()
    assert "accept or decline" not in home


def test_a_decline_closes_the_proposal_with_the_reason(personas: Any) -> None:
    engagement = open_as_coach(personas)
    response = post(
        signed_in(personas.sponsor),
        f"/engagements/{engagement.pk}/answer",
        {"accept": False, "reason": "Casey moves to another team in January"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "closed"
    assert (
        body["details"]["history"][-1]["reason"]
        == "Declined by the sponsor: Casey moves to another team in January"
    )
    # The client's question is moot now: nothing waits for them any more.
    assert "accept or decline" not in signed_in(personas.client).get("/").content.decode()
    late = post(
        signed_in(personas.client), f"/engagements/{engagement.pk}/answer", {"accept": True}
    )
    assert late.status_code == 409
    assert "closed" in late.json()["detail"]


def test_a_decline_on_the_page_is_in_the_lifecycle_history(personas: Any) -> None:
    engagement = open_as_coach(personas)
    signed_in(personas.client).post(
        f"/engagements/{engagement.pk}/answer/", {"accept": "no", "reason": "Not now"}
    )
    page = signed_in(personas.coach).get(f"/engagements/{engagement.pk}/").content.decode()
    assert "Declined by the client: Not now" in page
    engagement.refresh_from_db()
    assert engagement.status == Status.CLOSED


def test_answering_twice_is_a_409(personas: Any) -> None:
    engagement = open_as_coach(personas)
    client = signed_in(personas.client)
    assert post(client, f"/engagements/{engagement.pk}/answer", {"accept": True}).status_code == 200
    again = post(client, f"/engagements/{engagement.pk}/answer", {"accept": False})
    assert again.status_code == 409
    assert again.json()["detail"].startswith("You already accepted this")
    engagement.refresh_from_db()
    assert engagement.status == Status.PROPOSED


def test_only_the_parties_answer_and_the_admin_only_reads_who_is_asked(personas: Any) -> None:
    engagement = open_as_coach(personas)
    path = f"/engagements/{engagement.pk}/answer"
    assert post(signed_in(personas.outsider), path, {"accept": True}).status_code == 404
    assert post(signed_in(personas.admin), path, {"accept": True}).status_code == 403
    admin_read = signed_in(personas.admin).get(f"{API}/engagements/{engagement.pk}/consents")
    assert admin_read.status_code == 200
    assert AuditEvent.objects.filter(
        engagement=engagement, actor_role="admin", action="read", what="consent"
    ).exists()
    assert answers(engagement)["client"] == Answer.PENDING


def test_signing_comes_after_accepting(personas: Any) -> None:
    engagement = open_as_coach(personas)
    services.propose_agreement(
        request=None, engagement=engagement, by=engagement.coach, role="coach", terms={}
    )
    client = signed_in(personas.client)
    refused = post(client, f"/engagements/{engagement.pk}/agreements/1/sign")
    assert refused.status_code == 409
    assert "Accept or decline taking part first" in refused.json()["detail"]
    page = client.get(f"/engagements/{engagement.pk}/agreement/").content.decode()
    assert "Accept or decline taking part</a> first" in page
    assert "Sign version 1" not in page


def test_someone_without_a_login_is_asked_on_no_e_mail(personas: Any) -> None:
    sponsor_login = personas.sponsor
    entry = sponsor_login.person
    entry.user = None
    entry.save()
    open_as_coach(personas)
    assert [m.to[0] for m in mail.outbox] == ["client@example.com"]
    assert Consent.objects.get(role="sponsor").answer == Answer.PENDING


def test_the_engagement_cannot_be_made_active_before_everyone_accepts(personas: Any) -> None:
    engagement = open_as_coach(personas)
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagement.pk}/status",
        {"status": "active", "reason": "Let's go"},
    )
    assert response.status_code == 422
    message = response.json()["errors"][0]["message"]
    assert "Not every party has accepted yet" in message
    assert "Casey Client (client)" in message


def test_the_coach_may_close_a_proposal_nobody_answered(personas: Any) -> None:
    engagement = open_as_coach(personas)
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagement.pk}/status",
        {"status": "closed", "reason": "Opened by mistake"},
    )
    assert response.status_code == 200
    assert "accept or decline" not in signed_in(personas.client).get("/").content.decode()


def test_a_proposal_offers_its_parties_only_the_proposal_the_agreement_and_the_lifecycle(
    personas: Any,
) -> None:
    from leancoach.core import access

    engagement = open_as_coach(personas)
    readable = {
        role: {
            category.value
            for category in access.Category
            if access.allowed_on(engagement, category, role, access.READ, frozenset())
        }
        for role in (access.Role.COACH, access.Role.CLIENT)
    }
    assert readable[access.Role.COACH] == {
        "summary",
        "details",
        "lifecycle",
        "roles",
        "agreement",
        "signature",
        "confidential",
        "consent",
        "role_changes",
        "audit",
    }
    assert readable[access.Role.CLIENT] == readable[access.Role.COACH]


def test_someone_still_deciding_is_not_mailed_to_sign_a_draft(personas: Any) -> None:
    engagement = open_as_coach(personas)
    signed_in(personas.client).post(f"/engagements/{engagement.pk}/answer/", {"accept": "yes"})
    mail.outbox.clear()
    services.propose_agreement(
        request=None, engagement=engagement, by=engagement.coach, role="coach", terms={}
    )
    assert [m.to for m in mail.outbox] == [["client@example.com"]]  # the sponsor decides first
