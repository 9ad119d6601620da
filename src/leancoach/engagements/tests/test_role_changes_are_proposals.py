"""A new coach or sponsor is a proposal the client answers (issue 10, finding 1).

Before: ``POST /engagements/{id}/roles`` (and the page "Hand over the coach's or sponsor's
role") changed the role at once, for whoever the admin or coach named. Now the change waits
for the client; until then the proposed person sees nothing (404). When the client accepts,
the agreement's terms become a new version the new person signs, and every step is in the
audit log the client reads.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from leancoach.core.models import AuditEvent
from leancoach.engagements.models import Answer, RoleProposal

pytestmark = pytest.mark.django_db

API = "/api/v1"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, path: str, data: Any = None) -> Any:
    return client.post(API + path, data or {}, content_type="application/json")


def propose(user: Any, engagement: Any, role: str, person: Any, reason: str = "Moving on") -> Any:
    response = post(
        signed_in(user),
        f"/engagements/{engagement.pk}/roles",
        {"role": role, "person_id": person.pk, "reason": reason},
    )
    assert response.status_code == 202, response.content
    return response.json()


def answer(user: Any, engagement: Any, proposal_id: int, accept: bool, reason: str = "") -> Any:
    return post(
        signed_in(user),
        f"/engagements/{engagement.pk}/role-proposals/{proposal_id}/answer",
        {"accept": accept, "reason": reason},
    )


def test_a_handover_on_the_page_waits_for_the_client_who_accepts_on_the_page(
    personas: Any, engagements: Any
) -> None:
    engagement = engagements.ours
    mail.outbox.clear()
    coach = signed_in(personas.coach)
    response = coach.post(
        f"/engagements/{engagement.pk}/roles/",
        {"role": "coach", "person": "outsider@example.com", "reason": "I move to another site"},
        follow=True,
    )
    assert "Nothing changes until the client accepts" in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.coach == personas.person("coach")
    [to_client] = mail.outbox
    assert to_client.to == ["client@example.com"]
    assert "Oscar Outsider as your coach in place of Cora Coach" in to_client.body
    # The proposed coach sees nothing yet, through the page or the API.
    proposed = signed_in(personas.outsider)
    assert proposed.get(f"/engagements/{engagement.pk}/").status_code == 404
    assert proposed.get(f"{API}/engagements/{engagement.pk}/private-notes").status_code == 404
    # The client sees it on their home page and answers on the proposal page.
    client = signed_in(personas.client)
    home = client.get("/").content.decode()
    assert "Oscar Outsider is proposed as your coach, in place of Cora Coach" in home
    proposal = RoleProposal.objects.get()
    page = client.get(f"/engagements/{engagement.pk}/proposal/").content.decode()
    assert "Do you accept Oscar Outsider as your coach?" in page
    answered = client.post(
        f"/engagements/{engagement.pk}/roles/{proposal.pk}/answer/", {"accept": "yes"}, follow=True
    )
    assert "You accepted." in answered.content.decode()
    engagement.refresh_from_db()
    assert engagement.coach == personas.person("outsider")
    assert proposed.get(f"/engagements/{engagement.pk}/").status_code == 200
    assert coach.get(f"/engagements/{engagement.pk}/").status_code == 404


def test_the_new_coach_is_asked_to_sign_a_copy_of_the_agreement(
    personas: Any, engagements: Any
) -> None:
    engagement = engagements.ours
    proposal = propose(personas.admin, engagement, "coach", personas.person("outsider"))
    mail.outbox.clear()
    assert answer(personas.client, engagement, proposal["id"], True).status_code == 200
    v1, v2 = engagement.agreements.order_by("version")
    assert v2.version == 2
    assert (v2.share_measures, v2.share_action_status) == (v1.share_measures, True)
    assert sorted(m.to[0] for m in mail.outbox) == ["outsider@example.com", "sponsor@example.com"]
    assert "so that Oscar Outsider, the new coach, can sign it" in mail.outbox[0].body
    home = signed_in(personas.outsider).get("/").content.decode()
    assert "Version 2 of your agreement with Casey Client waits for your signature" in home
    state = signed_in(personas.client).get(f"{API}/engagements/{engagement.pk}/agreements")
    assert state.json()["pending_version"] == 2


def test_the_client_may_decline_and_nothing_changes(personas: Any, engagements: Any) -> None:
    engagement = engagements.ours
    proposal = propose(personas.admin, engagement, "sponsor", personas.person("outsider"))
    declined = answer(personas.client, engagement, proposal["id"], False, "I prefer Sam")
    assert declined.status_code == 200
    assert (declined.json()["answer"], declined.json()["answer_reason"]) == (
        "declined",
        "I prefer Sam",
    )
    engagement.refresh_from_db()
    assert engagement.sponsor == personas.person("sponsor")
    assert engagement.agreements.count() == 1
    again = answer(personas.client, engagement, proposal["id"], True)
    assert again.status_code == 409
    assert again.json()["detail"].startswith("This proposal was already declined")


def test_only_the_client_answers(personas: Any, engagements: Any) -> None:
    engagement = engagements.ours
    proposal = propose(personas.coach, engagement, "sponsor", personas.person("outsider"))
    for user in (personas.coach, personas.sponsor, personas.admin):
        assert answer(user, engagement, proposal["id"], True).status_code == 403
    assert answer(personas.outsider, engagement, proposal["id"], True).status_code == 404
    assert RoleProposal.objects.get().answer == Answer.PENDING


def test_a_second_proposal_for_the_same_role_waits_for_the_first_to_be_withdrawn(
    personas: Any, engagements: Any
) -> None:
    engagement = engagements.ours
    first = propose(personas.admin, engagement, "coach", personas.person("outsider"))
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagement.pk}/roles",
        {"role": "coach", "person_id": engagements.other_coach.person.pk, "reason": "Better fit"},
    )
    assert response.status_code == 409
    assert "withdraw that proposal first" in response.json()["detail"]
    withdrawn = post(
        signed_in(personas.coach),
        f"/engagements/{engagement.pk}/role-proposals/{first['id']}/withdraw",
    )
    assert withdrawn.json()["answer"] == "withdrawn"
    assert answer(personas.client, engagement, first["id"], True).status_code == 409
    propose(personas.coach, engagement, "coach", engagements.other_coach.person)


def test_every_step_is_in_the_audit_log_the_client_reads(personas: Any, engagements: Any) -> None:
    engagement = engagements.ours
    before = AuditEvent.objects.latest("pk").pk
    proposal = propose(personas.admin, engagement, "coach", personas.person("outsider"))
    answer(personas.client, engagement, proposal["id"], True)
    steps = list(
        AuditEvent.objects.filter(engagement=engagement, action="change", pk__gt=before)
        .filter(what__in=["role.proposed", "role.changed", "agreement.proposed"])
        .order_by("pk")
        .values_list("what", "actor_role")
    )
    assert steps == [
        ("role.proposed", "admin"),
        ("role.changed", "client"),
        ("agreement.proposed", "client"),
    ]
    page = signed_in(personas.client).get("/engagements/who-has-seen-my-data/").content.decode()
    assert "Cora Coach → Oscar Outsider, waiting for the client" in page
    assert "Cora Coach → Oscar Outsider, accepted by the client" in page


def test_nobody_proposes_themselves(personas: Any, engagements: Any) -> None:
    engagement = engagements.ours
    response = post(
        signed_in(personas.sponsor),
        f"/engagements/{engagement.pk}/roles",
        {"role": "coach", "person_id": personas.person("sponsor").pk, "reason": "x"},
    )
    assert response.status_code == 403  # the sponsor may not propose at all
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagement.pk}/roles",
        {"role": "coach", "person_id": personas.person("coach").pk, "reason": "x"},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["person_id"]


def test_roles_of_a_proposal_nobody_has_accepted_do_not_change(personas: Any) -> None:
    from leancoach.engagements import services

    coach = personas.person("coach")
    engagement = services.open_engagement(
        request=None, opened_by=coach, coach=coach, client=personas.person("client")
    )
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagement.pk}/roles",
        {"role": "sponsor", "person_id": personas.person("outsider").pk, "reason": "x"},
    )
    assert response.status_code == 409
    assert "open a new one" in response.json()["detail"]
