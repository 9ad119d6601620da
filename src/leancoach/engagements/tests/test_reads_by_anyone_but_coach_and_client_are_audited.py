"""Coach and client are the coaching; every read of the engagement by anyone else is in the
audit log the client reads — whatever role they reach it through."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.core import access
from leancoach.core.access import Role
from leancoach.core.models import AuditEvent
from leancoach.testing.content import fill_every_category

pytestmark = pytest.mark.django_db

CONTENT_PAGES = ("", "agreement/", "targets/", "observations/", "actions/", "summaries/")


def reads_recorded(user: Any, engagement: Any) -> set[str]:
    client = Client()
    client.force_login(user)
    before = set(AuditEvent.objects.values_list("pk", flat=True))
    for page in CONTENT_PAGES:
        client.get(f"/engagements/{engagement.pk}/{page}")
    client.get(f"/api/v1/engagements/{engagement.pk}")
    client.get(f"/api/v1/engagements/{engagement.pk}/measures")
    return set(
        AuditEvent.objects.exclude(pk__in=before)
        .filter(actor=user, action=AuditEvent.Action.READ, engagement=engagement)
        .values_list("what", flat=True)
    )


def test_only_coach_and_client_read_without_a_record() -> None:
    assert set(access.AUDITED_ROLES) == set(Role) - {Role.COACH, Role.CLIENT}


def test_the_sponsors_and_the_admins_reads_are_recorded_and_the_coachs_are_not(
    personas: Any, engagements: Any
) -> None:
    ours = engagements.ours
    fill_every_category(ours, share=("targets", "observations", "action_status"))
    assert reads_recorded(personas.coach, ours) == set()
    assert reads_recorded(personas.client, ours) == set()
    sponsor = reads_recorded(personas.sponsor, ours)
    assert {"summary", "agreement", "targets", "observations", "action_status"} <= sponsor
    assert "meeting_summaries" not in sponsor
    assert "measures" not in sponsor  # refused, so nothing was read
    assert reads_recorded(personas.admin, ours) >= {"summary"}
