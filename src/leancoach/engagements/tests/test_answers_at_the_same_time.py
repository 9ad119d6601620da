"""Answers that cross: two parties answering at once, and a signature landing while the role
changes. Every write locks the engagement row first, then its own rows; the later writer
sees what the first one did (a 409 for a stale answer), never a silent overwrite.

Real concurrency needs PostgreSQL's row locks: two threads, each with its own connection,
released together by a barrier against committed data.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from leancoach.core.errors import Conflict
from leancoach.engagements import services
from leancoach.engagements.models import Answer, Engagement, RoleProposal, Status
from leancoach.testing.personas import everyone_accepts, everyone_signs

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite locks files)"
    ),
]


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run each call in its own thread and connection, all released together; each result is
    what the call returned or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # the outcome under test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def proposal(personas: Any) -> Engagement:
    coach = personas.person("coach")
    return services.open_engagement(
        request=None, opened_by=coach, coach=coach, client=personas.person("client")
    )


def test_two_parties_accepting_at_once_both_count(personas_tx: Any) -> None:
    engagement = proposal(personas_tx)
    sponsor = personas_tx.person("sponsor")
    results = at_once(
        lambda: services.answer_consent(
            request=None, engagement=engagement, person=engagement.client, accept=True
        ),
        lambda: services.answer_consent(
            request=None, engagement=engagement, person=sponsor, accept=True
        ),
    )
    assert all(isinstance(result, Engagement) for result in results), results
    engagement.refresh_from_db()
    assert engagement.accepted_at is not None
    assert set(engagement.consents.values_list("answer", flat=True)) == {Answer.ACCEPTED}


def test_an_acceptance_crossing_a_decline_leaves_the_proposal_closed(personas_tx: Any) -> None:
    engagement = proposal(personas_tx)
    sponsor = personas_tx.person("sponsor")
    accepted, declined = at_once(
        lambda: services.answer_consent(
            request=None, engagement=engagement, person=engagement.client, accept=True
        ),
        lambda: services.answer_consent(
            request=None,
            engagement=engagement,
            person=sponsor,
            accept=False,
            reason="Not this quarter",
        ),
    )
    assert isinstance(declined, Engagement), declined
    # Whichever came first, the decline closes the proposal; an acceptance after it is a 409.
    assert isinstance(accepted, Engagement | Conflict), accepted
    engagement.refresh_from_db()
    assert engagement.status == Status.CLOSED
    assert engagement.accepted_at is None
    assert engagement.status_history.last().reason == "Declined by the sponsor: Not this quarter"  # type: ignore[union-attr]


def test_the_same_party_answering_twice_at_once_answers_once(personas_tx: Any) -> None:
    engagement = proposal(personas_tx)
    results = at_once(
        lambda: services.answer_consent(
            request=None, engagement=engagement, person=engagement.client, accept=True
        ),
        lambda: services.answer_consent(
            request=None, engagement=engagement, person=engagement.client, accept=False
        ),
    )
    assert sorted(type(result).__name__ for result in results) == ["Conflict", "Engagement"]
    answer = engagement.consents.get(role="client").answer
    engagement.refresh_from_db()
    # The one that won decided; the other was told, not written over it.
    assert (answer, engagement.status) in {
        (Answer.ACCEPTED, Status.PROPOSED),
        (Answer.DECLINED, Status.CLOSED),
    }


def test_a_signature_landing_while_the_coach_changes_is_never_lost_or_misfiled(
    personas_tx: Any,
) -> None:
    engagement = everyone_accepts(proposal(personas_tx))
    old_coach = engagement.coach
    agreement = services.propose_agreement(
        request=None, engagement=engagement, by=old_coach, role="coach", terms={}
    )
    for person in (engagement.client, engagement.sponsor):
        services.sign_agreement(request=None, agreement=agreement, person=person)
    handover = services.propose_role_change(
        request=None,
        engagement=engagement,
        by=old_coach,
        by_role="coach",
        role="coach",
        person=personas_tx.person("outsider"),
        reason="Moving on",
    )
    signed, answered = at_once(
        lambda: services.sign_agreement(request=None, agreement=agreement, person=old_coach),
        lambda: services.answer_role_change(
            request=None, proposal=handover, by=engagement.client, accept=True
        ),
    )
    assert isinstance(answered, RoleProposal), answered
    engagement.refresh_from_db()
    assert engagement.coach == personas_tx.person("outsider")
    versions = list(engagement.agreements.order_by("version"))
    if isinstance(signed, ValidationError):
        # The handover came first: the old coach no longer signs; v1 waits for the new coach.
        assert [v.version for v in versions] == [1]
        assert engagement.status == Status.PROPOSED
    else:
        # The signature came first: v1 was in force (the engagement started), and the new
        # coach got a copy to sign.
        assert [v.version for v in versions] == [1, 2]
        assert engagement.status == Status.ACTIVE
    if len(versions) == 2:
        everyone_signs(versions[1])
    else:
        services.sign_agreement(request=None, agreement=versions[0], person=engagement.coach)
    engagement.refresh_from_db()
    assert engagement.status == Status.ACTIVE
