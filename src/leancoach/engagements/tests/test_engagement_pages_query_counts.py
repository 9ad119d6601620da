from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.cycle import services as cycle
from leancoach.engagements import services
from leancoach.meetings.services import add_action
from leancoach.metrics.services import add_measure, record_value
from leancoach.people.models import Person
from leancoach.testing.personas import make_user

pytestmark = pytest.mark.django_db


def many_clients(personas: Any, count: int) -> None:
    coach = personas.person("coach")
    for n in range(count):
        client = make_user(f"c{n}@example.com", f"Client {n}", manager=personas.person("sponsor"))
        services.open_engagement(request=None, opened_by=coach, coach=coach, client=client.person)


def filled(engagement: Any) -> None:
    coach = engagement.coach
    for n in range(5):
        services.add_need(
            engagement=engagement,
            by=coach,
            owner="client",
            category="quality",
            description=f"Need {n}",
        )
        measure = add_measure(engagement=engagement, by=coach, name=f"Measure {n}")
        for day in range(1, 6):
            record_value(measure=measure, on=datetime.date(2026, 11, day), value=day)
        add_action(
            engagement=engagement,
            by=coach,
            what=f"Action {n}",
            owner="client",
            due_on=timezone.localdate(),
        )
        cycle.set_target(
            engagement=engagement,
            by=coach,
            by_date=datetime.date(2027, 1, 1),
            expected="It rises",
            measure=measure,
            target_value=10,
        )
    steps = [
        cycle.add_behaviour(engagement=engagement, by=coach, text=f"Asks question {n}")
        for n in range(3)
    ]
    skill = cycle.define_skill(engagement=engagement, by=coach, name="Huddle", steps=steps)
    for step in steps:
        cycle.commit_to_practice(
            engagement=engagement, by=coach, behaviour=step, when="8:00", where="board"
        )
        cycle.record_observation(
            engagement=engagement,
            observer=coach,
            behaviour=step,
            on=datetime.date.today(),
            performance="performed",
            response="reinforcement",
        )
    cycle.record_observation(
        engagement=engagement,
        observer=coach,
        skill=skill,
        on=datetime.date.today(),
        performance="performed",
        response="correction",
    )


def test_the_engagement_list_costs_the_same_for_many_engagements(
    personas: Any, django_assert_max_num_queries: Any
) -> None:
    many_clients(personas, 30)
    client = Client()
    client.force_login(personas.coach)
    with django_assert_max_num_queries(5):
        response = client.get("/engagements/")
    assert len(response.context["engagements"]) == 30


def test_the_admins_list_pages_by_key(personas: Any) -> None:
    many_clients(personas, 55)
    client = Client()
    client.force_login(personas.admin)
    first = client.get("/engagements/")
    assert len(first.context["engagements"]) == 50
    second = client.get("/engagements/", {"before": first.context["next_before"]})
    assert len(second.context["engagements"]) == 5


@pytest.mark.parametrize("role", ["coach", "client", "sponsor"])
def test_the_engagement_page_costs_a_fixed_number_of_queries(
    personas: Any, engagements: Any, role: str, django_assert_max_num_queries: Any
) -> None:
    filled(engagements.ours)
    client = Client()
    client.force_login(getattr(personas, role))
    with django_assert_max_num_queries(26):
        response = client.get(f"/engagements/{engagements.ours.pk}/")
    assert response.status_code == 200
    filled(engagements.ours)  # twice the rows, the same number of queries
    with django_assert_max_num_queries(26):
        client.get(f"/engagements/{engagements.ours.pk}/")


def test_the_agreement_and_audit_pages_cost_a_fixed_number_of_queries(
    personas: Any, engagements: Any, django_assert_max_num_queries: Any
) -> None:
    engagement = engagements.ours
    for n in range(4):
        version = services.propose_agreement(
            request=None,
            engagement=engagement,
            by=engagement.coach,
            role="coach",
            terms={"coach_commitments": f"round {n}"},
        )
        for person in (engagement.coach, engagement.client, engagement.sponsor):
            services.sign_agreement(request=None, agreement=version, person=person)
    client = Client()
    client.force_login(personas.client)
    with django_assert_max_num_queries(10):
        assert client.get(f"/engagements/{engagement.pk}/agreement/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/engagements/{engagement.pk}/audit/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/engagements/who-has-seen-my-data/").status_code == 200
    assert Person.objects.filter(email="client@example.com").exists()


def test_the_audit_page_shows_a_hundred_entries_at_a_time(personas: Any, engagements: Any) -> None:
    sponsor = Client()
    sponsor.force_login(personas.sponsor)
    for _ in range(30):
        sponsor.get(f"/engagements/{engagements.ours.pk}/")  # each view records several reads
    client = Client()
    client.force_login(personas.client)
    first = client.get("/engagements/who-has-seen-my-data/")
    assert len(first.context["events"]) == 100
    second = client.get("/engagements/who-has-seen-my-data/", {"before": first.context["older"]})
    assert second.context["events"][0].pk < first.context["events"][-1].pk


@pytest.mark.parametrize("page", ["needs", "assumptions", "notes"])
def test_the_needs_assumptions_and_notes_pages_cost_a_fixed_number_of_queries(
    personas: Any, engagements: Any, page: str, django_assert_max_num_queries: Any
) -> None:
    engagement = engagements.ours
    coach = engagement.coach

    def grow() -> None:
        for n in range(6):
            services.add_need(
                engagement=engagement,
                by=coach,
                owner="sponsor",
                category="quality",
                description=f"S{n}",
            )
            services.add_need(
                engagement=engagement,
                by=coach,
                owner="client",
                category="quality",
                description=f"C{n}",
            )
            services.write_assumptions(
                engagement=engagement, by=coach, best_outcome=f"Outcome {n}", strengths="A\nB"
            )
            services.add_private_note(engagement=engagement, by=coach, text=f"Note {n}")

    client = Client()
    client.force_login(personas.coach)
    grow()
    with django_assert_max_num_queries(9):
        assert client.get(f"/engagements/{engagement.pk}/{page}/").status_code == 200
    grow()
    with django_assert_max_num_queries(9):
        assert client.get(f"/engagements/{engagement.pk}/{page}/").status_code == 200
