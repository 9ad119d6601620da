"""Logins changed by two admins at the same moment end in one consistent state: the login row
is locked, so a disable and an enable queue, and two admins disabling each other leave one.

Real concurrency: two threads, each with its own database connection, on committed data."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from leancoach.core.errors import Conflict
from leancoach.core.models import ApiToken, AuditEvent, LoginSession, User
from leancoach.core.services import create_api_token
from leancoach.people import services
from leancoach.testing.personas import make_user

pytestmark = pytest.mark.django_db(transaction=True)


def at_once(*calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads released together; each result or the exception it raised."""
    start = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            start.wait()
            results[index] = call()
        except Exception as error:  # the caller inspects what each call ended with
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_disable_racing_enable_ends_consistent(personas_tx: Any) -> None:
    personas = personas_tx
    coach = personas.coach
    for _ in range(3):
        browser = Client()
        browser.force_login(coach)
        create_api_token(user=coach, name="script")
        services.disable_login(request=None, person=coach.person, by=personas.admin)
        at_once(
            lambda: services.enable_login(request=None, person=coach.person, by=personas.admin),
            lambda: services.disable_login(request=None, person=coach.person, by=personas.admin),
        )
        coach.refresh_from_db()
        last = AuditEvent.objects.filter(what__startswith="login.").order_by("-pk").first()
        assert last is not None
        # The login is in the state the last recorded change left it in, and nothing revived.
        assert coach.is_active == (last.what == "login.enabled")
        assert not LoginSession.objects.filter(user=coach).exists()
        assert not ApiToken.objects.active().filter(user=coach).exists()
        if not coach.is_active:
            services.enable_login(request=None, person=coach.person, by=personas.admin)


def test_two_admins_disabling_each_other_at_once_leave_one(
    personas_tx: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = personas_tx.admin
    second = make_user("admin2@example.com", "Ada Admin", staff=True)
    # Whoever passes the checks first waits here for the other, up to a second: with the lock
    # the other cannot get here before the first commits; without it both would.
    both_past_the_checks = threading.Barrier(2, timeout=1)
    end_sessions = services.end_sessions

    def end_sessions_after_the_other_checked(user: User) -> int:
        with contextlib.suppress(threading.BrokenBarrierError):
            both_past_the_checks.wait()
        return end_sessions(user)

    monkeypatch.setattr(services, "end_sessions", end_sessions_after_the_other_checked)
    results = at_once(
        lambda: services.disable_login(request=None, person=second.person, by=first),
        lambda: services.disable_login(request=None, person=first.person, by=second),
    )
    active_admins = User.objects.filter(is_staff=True, is_active=True).count()
    assert active_admins == 1, results
    assert sum(isinstance(result, Conflict) for result in results) == 1, results
