from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.core import access
from leancoach.engagements import services
from leancoach.engagements.selectors import agreement_state, sponsor_grants
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db


def sponsor_page(personas: Any, engagement: Any) -> str:
    client = Client()
    client.force_login(personas.sponsor)
    return client.get(f"/engagements/{engagement.pk}/").content.decode()


def sign_all(engagement: Any, agreement: Any) -> None:
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        services.sign_agreement(request=None, agreement=agreement, person=person)


def test_switching_measures_off_hides_them_from_the_sponsor_on_the_next_request(
    personas: Any, engagements: Any
) -> None:
    engagement = engagements.ours
    add_measure(engagement=engagement, by=engagement.coach, name="First-pass yield")
    assert 'id="measures-heading"' in sponsor_page(personas, engagement)
    services.propose_agreement(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        terms={"share_measures": False},
    )
    page = sponsor_page(personas, engagement)
    assert 'id="measures-heading"' not in page
    assert "First-pass yield" not in page


def test_a_pending_version_applies_the_more_restrictive_rules(engagements: Any) -> None:
    engagement = engagements.ours  # v1 in force: measures and action status
    v2 = services.propose_agreement(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        terms={"share_measures": False, "share_targets": True},
    )
    assert sponsor_grants(engagement) == {"action_status"}  # neither measures (v2) nor targets (v1)
    services.sign_agreement(request=None, agreement=v2, person=engagement.client)
    assert sponsor_grants(engagement) == {"action_status"}
    services.sign_agreement(request=None, agreement=v2, person=engagement.sponsor)
    services.sign_agreement(request=None, agreement=v2, person=engagement.coach)
    assert sponsor_grants(engagement) == {"action_status", "targets"}
    assert agreement_state(engagement).in_force == v2


def test_nothing_is_shared_before_everyone_has_signed(personas: Any) -> None:
    from leancoach.testing.personas import make_engagements

    built = make_engagements(personas, share=())
    engagement = built.ours
    fresh = services.open_engagement(
        request=None,
        opened_by=engagement.coach,
        coach=built.other_coach.person,
        client=personas.person("outsider"),
    )
    services.propose_agreement(
        request=None, engagement=fresh, by=fresh.coach, role="coach", terms={"share_measures": True}
    )
    assert sponsor_grants(fresh) == frozenset()


def change_role(engagement: Any, *, by: Any, by_role: str, role: str, person: Any) -> Any:
    """Propose ``person`` for ``role``, and the client accepts."""
    proposal = services.propose_role_change(
        request=None,
        engagement=engagement,
        by=by,
        by_role=by_role,
        role=role,
        person=person,
        reason="Reorganisation",
    )
    services.answer_role_change(request=None, proposal=proposal, by=engagement.client, accept=True)
    engagement.refresh_from_db()
    return engagement


def test_a_new_sponsor_sees_nothing_until_they_sign(personas: Any, engagements: Any) -> None:
    engagement = change_role(
        engagements.ours,
        by=engagements.ours.coach,
        by_role="coach",
        role="sponsor",
        person=personas.person("admin"),
    )
    assert sponsor_grants(engagement) == frozenset()
    client = Client()
    client.force_login(personas.sponsor)
    assert client.get(f"/engagements/{engagement.pk}/").status_code == 404  # the old sponsor is out
    client.force_login(personas.admin)
    page = client.get(f"/engagements/{engagement.pk}/").content.decode()
    assert 'id="measures-heading"' not in page
    # v1 was signed as sponsor by someone else: v2 repeats its terms for the new sponsor.
    assert "Your signature is needed on version 2" in page
    services.sign_agreement(
        request=None, agreement=engagement.agreements.get(version=2), person=engagement.client
    )
    services.sign_agreement(
        request=None, agreement=engagement.agreements.get(version=2), person=engagement.coach
    )
    assert sponsor_grants(engagement) == frozenset()
    services.sign_agreement(
        request=None,
        agreement=engagement.agreements.get(version=2),
        person=personas.person("admin"),
    )
    assert sponsor_grants(engagement) == {"measures", "action_status"}  # v2 repeats v1


def test_a_role_change_is_in_the_audit_log(personas: Any, engagements: Any) -> None:
    engagement = change_role(
        engagements.ours,
        by=personas.person("admin"),
        by_role="admin",
        role="coach",
        person=personas.person("outsider"),
    )
    proposed = engagement.audit_events.filter(what="role.proposed").get()
    assert "Cora Coach → Oscar Outsider, waiting for the client" in proposed.detail
    assert proposed.actor_role == "admin"
    changed = engagement.audit_events.filter(what="role.changed").get()
    assert "Cora Coach → Oscar Outsider, accepted by the client" in changed.detail
    assert changed.actor_role == "client"
    assert access.role_in(personas.outsider, engagement) == access.Role.COACH
