"""`leancoach audit-verify` recomputes the hash chain and names the first broken entry."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory

from leancoach.core import audit
from leancoach.core.models import AuditCheck, AuditEvent
from leancoach.testing.audit import delete, rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(personas: Any) -> list[AuditEvent]:
    """Five entries in order, one of them written as a batch of reads."""
    first = audit.record(None, action="change", what="engagement.opened", role="coach")
    second = audit.record(None, action="change", what="agreement.proposed", role="coach")
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Firefox")
    request.user = personas.sponsor
    audit.record_reads(request, engagement=None, role="sponsor", categories=["measures", "targets"])  # type: ignore[arg-type]
    last = audit.record(None, action="change", what="status.changed", role="coach")
    events = list(AuditEvent.objects.order_by("pk"))
    assert events[0].pk == first.pk
    assert events[1].pk == second.pk
    assert events[-1].pk == last.pk
    return events


def verify() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit_verify", "--no-progress", stdout=out)
    return out.getvalue()


def broken() -> str:
    with pytest.raises(CommandError) as failure:
        verify()
    assert failure.value.returncode == 1
    return str(failure.value)


def test_an_untouched_log_verifies_and_says_how_many_entries(log: list[AuditEvent]) -> None:
    assert "intact: 5 entries verified" in verify()
    check = AuditCheck.objects.get()
    assert (check.ok, check.rows, check.head_id) == (True, 5, log[-1].pk)


def test_each_entry_links_to_the_one_before_it(log: list[AuditEvent]) -> None:
    assert log[0].prev_hash == "0" * 64
    for before, after in itertools.pairwise(log):
        assert after.prev_hash == before.hash
    assert len({event.hash for event in log}) == 5


def test_an_entry_changed_in_the_database_is_named(log: list[AuditEvent]) -> None:
    rewrite(log[2].pk, actor_role="coach")
    message = broken()
    assert f"entry #{log[2].pk} " in message
    assert "content was changed" in message
    assert f"{log[2].at.year}" in message
    assert "2 entries before it verified" in message


def test_an_entry_rewritten_with_a_fresh_hash_breaks_the_next_link(log: list[AuditEvent]) -> None:
    from leancoach.core.auditchain import event_hash

    event = log[1]
    event.detail = "nothing to see"
    rewrite(event.pk, detail=event.detail, hash=event_hash(event, event.prev_hash))
    message = broken()
    assert f"entry #{log[2].pk} " in message
    assert f"does not link to the entry before it (#{log[1].pk})" in message


def test_an_entry_deleted_from_the_middle_is_found(log: list[AuditEvent]) -> None:
    delete(log[2].pk)
    message = broken()
    assert f"entry #{log[3].pk} " in message
    assert f"(#{log[1].pk})" in message
    assert "deleted" in message


def test_the_first_entry_deleted_is_found(log: list[AuditEvent]) -> None:
    delete(log[0].pk)
    message = broken()
    assert f"entry #{log[1].pk} " in message
    assert "entries before it are missing" in message


def test_entries_cut_from_the_end_after_a_full_check_are_found(log: list[AuditEvent]) -> None:
    verify()
    delete(log[-1].pk)
    message = broken()
    assert f"entry #{log[-1].pk} " in message
    assert "deleted from the end" in message


def test_every_run_is_recorded_with_what_it_found(log: list[AuditEvent]) -> None:
    verify()
    delete(log[2].pk)
    broken()
    good, bad = AuditCheck.objects.order_by("id")
    assert good.ok
    assert not bad.ok
    assert bad.broken_event_id == log[3].pk
    assert "does not link" in bad.problem


def test_an_empty_log_verifies(db: None) -> None:
    assert "intact: 0 entries verified" in verify()
