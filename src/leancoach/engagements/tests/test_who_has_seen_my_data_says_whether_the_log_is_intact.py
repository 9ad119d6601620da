"""The client's "Who has seen my data" page says whether the audit chain verifies, cheaply."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from leancoach.core.models import AuditEvent
from leancoach.testing.audit import delete, rewrite

pytestmark = pytest.mark.django_db

PAGE = "/engagements/who-has-seen-my-data/"


def sponsor_reads(personas: Any, engagements: Any, times: int = 1) -> None:
    sponsor = Client()
    sponsor.force_login(personas.sponsor)
    for _ in range(times):
        assert sponsor.get(f"/engagements/{engagements.ours.pk}/").status_code == 200


def page_as_client(personas: Any) -> Any:
    client = Client()
    client.force_login(personas.client)
    response = client.get(PAGE)
    assert response.status_code == 200
    return response


def test_an_untouched_log_is_shown_intact_and_not_yet_checked_in_full(
    personas: Any, engagements: Any
) -> None:
    sponsor_reads(personas, engagements)
    response = page_as_client(personas)
    text = response.content.decode()
    shown = len(response.context["events"])
    assert shown > 0
    assert f"The {shown} entries on this page are intact" in text
    assert "has not yet been checked from its first entry to its last" in text


def test_the_last_full_check_is_shown(personas: Any, engagements: Any) -> None:
    sponsor_reads(personas, engagements)
    call_command("audit_verify", "--no-progress")
    text = page_as_client(personas).content.decode()
    total = AuditEvent.objects.count()
    assert f"The whole log ({total} entries) was last checked" in text
    assert "<strong>intact</strong>" in text


def test_an_entry_changed_in_the_database_is_flagged_on_the_page(
    personas: Any, engagements: Any
) -> None:
    sponsor_reads(personas, engagements)
    victim = AuditEvent.objects.filter(engagement=engagements.ours, actor_role="sponsor").last()
    assert victim is not None
    rewrite(victim.pk, actor_label="Nobody <nobody@example.com>")
    text = page_as_client(personas).content.decode()
    assert "An entry on this page has been tampered with" in text
    assert "content was changed" in text


def test_an_entry_deleted_from_the_database_is_flagged_on_the_page(
    personas: Any, engagements: Any
) -> None:
    sponsor_reads(personas, engagements)
    sponsor_reads(personas, engagements)
    rows = list(AuditEvent.objects.filter(engagement=engagements.ours).order_by("pk"))
    delete(rows[-2].pk)
    text = page_as_client(personas).content.decode()
    assert "An entry on this page has been tampered with" in text
    assert "does not link to the entry before it" in text


def test_a_failed_full_check_is_shown(personas: Any, engagements: Any) -> None:
    sponsor_reads(personas, engagements)
    other = AuditEvent.objects.exclude(engagement=engagements.ours).order_by("pk").first()
    assert other is not None  # a row the client's page does not show
    rewrite(other.pk, detail="rewritten")
    with pytest.raises(CommandError):
        call_command("audit_verify", "--no-progress")
    text = page_as_client(personas).content.decode()
    assert "found it broken" in text
    assert f"entry #{other.pk}" in text


def test_checking_the_page_costs_the_same_queries_for_few_or_many_entries(
    personas: Any, engagements: Any, django_assert_max_num_queries: Any
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sponsor_reads(personas, engagements)
    call_command("audit_verify", "--no-progress")
    client = Client()
    client.force_login(personas.client)
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    sponsor_reads(personas, engagements, times=25)
    with CaptureQueriesContext(connection) as many:
        response = client.get(PAGE)
    assert len(response.context["events"]) == 100
    assert len(many) == len(few)
    with django_assert_max_num_queries(10):
        client.get(PAGE)
