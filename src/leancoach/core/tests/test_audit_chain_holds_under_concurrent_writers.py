"""Writers appending at once never chain to the same predecessor (PostgreSQL: the advisory lock)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from leancoach.core import audit
from leancoach.core.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 6
EACH = 15


def write(start: threading.Barrier, errors: list[BaseException], n: int) -> None:
    try:
        start.wait()
        for i in range(EACH):
            if i % 3 == 0:
                request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
                request.user = AnonymousUser()
                audit.record_reads(
                    request,
                    engagement=None,  # type: ignore[arg-type]
                    role="sponsor",
                    categories=["measures", "targets"],
                )
            else:
                audit.record(None, action="change", what="status.changed", role=f"writer {n}")
    except BaseException as error:  # reported by the test, not lost in the thread
        errors.append(error)
    finally:
        connection.close()


def test_concurrent_appends_form_one_unbroken_chain(db: None) -> None:
    start = threading.Barrier(WRITERS)
    errors: list[BaseException] = []
    threads = [threading.Thread(target=write, args=(start, errors, n)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    per_writer = EACH + EACH // 3  # each batch of reads writes two rows
    assert AuditEvent.objects.count() == WRITERS * per_writer
    prev_hashes = list(AuditEvent.objects.values_list("prev_hash", flat=True))
    assert len(set(prev_hashes)) == len(prev_hashes), "two rows chained to one predecessor"
    call_command("audit_verify", "--no-progress")
