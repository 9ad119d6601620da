"""The admin-takeover reproduction of issue 10, finding 1.

Before: as the programme admin, ``POST /api/v1/engagements/1/roles`` with the admin's own
person as coach answered 200, and then the private notes, the confidential clause and the
needs were readable "as coach". The page "Hand over the coach's or sponsor's role" did the
same. Now the admin may not propose themselves (422 naming ``person_id``, or a form error),
a proposal of anyone waits for the client, and every one of those reads stays 403/404.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.engagements import services
from leancoach.engagements.models import RoleProposal

pytestmark = pytest.mark.django_db

API = "/api/v1"
CANARY = "CANARY-takeover-2b71"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def secrets(engagements: Any) -> Any:
    """Private content in our engagement: a private note, a client's need, a confidential clause."""
    engagement = engagements.ours
    coach = engagement.coach
    services.add_private_note(engagement=engagement, by=coach, text=f"Private {CANARY}")
    services.add_need(
        engagement=engagement,
        by=coach,
        owner="client",
        category="personal_behaviour",
        description=f"Need {CANARY}",
    )
    services.add_need(
        engagement=engagement,
        by=coach,
        owner="sponsor",
        category="quality",
        description=f"Sponsor need {CANARY}",
    )
    services.propose_agreement(
        request=None,
        engagement=engagement,
        by=coach,
        role="coach",
        terms={"client_confidential": f"Clause {CANARY}"},
    )
    return engagement


def content_reads_stay_closed(admin: Client, engagement: Any) -> None:
    pk = engagement.pk
    for path in (
        f"{API}/engagements/{pk}/private-notes",
        f"{API}/engagements/{pk}/client-needs",
        f"{API}/engagements/{pk}/sponsor-needs",
        f"/engagements/{pk}/notes/",
        f"/engagements/{pk}/needs/",
    ):
        response = admin.get(path)
        assert response.status_code in (403, 404), path
        assert CANARY not in response.content.decode(), path
    for path in (
        f"{API}/engagements/{pk}/agreements",
        f"/engagements/{pk}/agreement/",
        f"/engagements/{pk}/",
    ):
        response = admin.get(path)
        # The admin may not read the agreement at all; if a page answers, it has no clause.
        assert CANARY not in response.content.decode(), path


def test_through_the_api_the_admin_cannot_make_themselves_coach(
    personas: Any, secrets: Any
) -> None:
    admin = signed_in(personas.admin)
    response = admin.post(
        f"{API}/engagements/{secrets.pk}/roles",
        {"role": "coach", "person_id": personas.person("admin").pk, "reason": "Cover for a month"},
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    assert [error["field"] for error in response.json()["errors"]] == ["person_id"]
    secrets.refresh_from_db()
    assert secrets.coach == personas.person("coach")
    assert not RoleProposal.objects.exists()
    content_reads_stay_closed(admin, secrets)


def test_through_the_page_the_admin_cannot_make_themselves_coach(
    personas: Any, secrets: Any
) -> None:
    admin = signed_in(personas.admin)
    response = admin.post(
        f"/engagements/{secrets.pk}/roles/",
        {"role": "coach", "person": "admin@example.com", "reason": "Cover for a month"},
        follow=True,
    )
    assert response.status_code == 200
    assert "cannot propose yourself" in response.content.decode()
    secrets.refresh_from_db()
    assert secrets.coach == personas.person("coach")
    assert not RoleProposal.objects.exists()
    content_reads_stay_closed(admin, secrets)


def test_the_admin_as_sponsor_is_refused_too(personas: Any, secrets: Any) -> None:
    admin = signed_in(personas.admin)
    response = admin.post(
        f"{API}/engagements/{secrets.pk}/roles",
        {"role": "sponsor", "person_id": personas.person("admin").pk, "reason": "Reorganised"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["person_id"]
    content_reads_stay_closed(admin, secrets)


def test_a_proposal_of_someone_else_waits_and_changes_nothing_yet(
    personas: Any, secrets: Any
) -> None:
    admin = signed_in(personas.admin)
    outsider = personas.person("outsider")
    response = admin.post(
        f"{API}/engagements/{secrets.pk}/roles",
        {"role": "coach", "person_id": outsider.pk, "reason": "Cora moves to another site"},
        content_type="application/json",
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["answer"] == "pending"
    assert body["person"] == {"id": outsider.pk, "name": outsider.name}
    secrets.refresh_from_db()
    assert secrets.coach == personas.person("coach")
    content_reads_stay_closed(admin, secrets)
    # The proposed coach sees nothing of the engagement until the client accepts.
    proposed = signed_in(personas.outsider)
    for path in (
        f"{API}/engagements/{secrets.pk}",
        f"{API}/engagements/{secrets.pk}/private-notes",
        f"/engagements/{secrets.pk}/",
        f"/engagements/{secrets.pk}/notes/",
    ):
        assert proposed.get(path).status_code == 404, path
