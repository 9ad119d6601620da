from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.cycle import services
from leancoach.cycle.models import Observation, Skill

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_the_coach_defines_a_chain_records_three_fluent_observations_and_the_page_says_chained(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    engagement = engagements.ours
    client = signed_in(personas.coach)
    base = f"/engagements/{engagement.pk}/skills/"
    response = client.post(
        base + "new/",
        {
            "name": "Run the huddle",
            "fluency_threshold": "3",
            "step_1": huddle[0].pk,
            "step_2": huddle[1].pk,
            "step_3": "",
            "step_4": "",
        },
        follow=True,
    )
    assert "Skill chain defined." in response.content.decode()
    skill = Skill.objects.get(engagement=engagement)
    assert [step.behaviour for step in skill.steps.order_by("position")] == huddle
    assert "0 of 3 fluent observations in a row so far" in response.content.decode()

    services.record_observation(
        engagement=engagement,
        observer=engagement.coach,
        behaviour=huddle[0],
        on=days_ago(5),
        performance="partly",
        response="correction",
    )
    for day in (3, 2, 1):
        response = client.post(
            base + f"{skill.pk}/observe/",
            {
                "on": days_ago(day).isoformat(),
                "performance": "performed",
                "response": "reinforcement",
                "words": "That flowed well",
            },
            follow=True,
        )
        assert "Observation of the whole chain recorded." in response.content.decode()
        if day == 2:
            assert "2 of 3 fluent observations in a row so far" in response.content.decode()
    assert Observation.objects.filter(skill=skill).count() == 3
    page = response.content.decode()
    assert "Chained: performed fluently in the last 3 observations of the whole chain" in page
    [row] = response.context["skills"]
    first, second = row["steps"]
    assert (first["step"].behaviour, second["step"].behaviour) == tuple(huddle)
    assert [o.performance for o in first["recent"]] == ["partly"]
    assert second["recent"] == []
    assert f"{days_ago(5):%Y-%m-%d}: partly" in page
    assert "Not observed yet" in page


def test_a_chain_of_one_behaviour_is_refused_with_a_message(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    engagement = engagements.ours
    response = signed_in(personas.client).post(
        f"/engagements/{engagement.pk}/skills/new/",
        {"name": "Half a huddle", "fluency_threshold": "3", "step_1": huddle[0].pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "step_2: This field is required." in response.content.decode()
    assert not Skill.objects.exists()


def test_the_client_defines_skills_but_cannot_record_observations(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    engagement = engagements.ours
    skill = services.define_skill(
        engagement=engagement, by=engagement.coach, name="Run the huddle", steps=huddle
    )
    path = f"/engagements/{engagement.pk}/skills/"
    client = signed_in(personas.client)
    page = client.get(path)
    assert page.status_code == 200
    assert "Define a skill chain" in page.content.decode()
    assert "Record an observation of the whole chain" not in page.content.decode()
    assert client.post(path + f"{skill.pk}/observe/", {}).status_code == 403


def test_the_sponsor_gets_403_and_an_outsider_gets_404(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    engagement = engagements.ours
    skill = services.define_skill(
        engagement=engagement, by=engagement.coach, name="Run the huddle", steps=huddle
    )
    path = f"/engagements/{engagement.pk}/skills/"
    assert signed_in(personas.sponsor).get(path).status_code == 403
    assert (
        path
        not in signed_in(personas.sponsor).get(f"/engagements/{engagement.pk}/").content.decode()
    )
    assert path in signed_in(personas.client).get(f"/engagements/{engagement.pk}/").content.decode()
    outsider = signed_in(personas.outsider)
    assert outsider.get(path).status_code == 404
    assert outsider.get("/engagements/999999/skills/").status_code == 404
    assert outsider.post(path + f"{skill.pk}/observe/", {}).status_code == 404


def test_the_skills_page_costs_a_fixed_number_of_queries(
    personas: Any, engagements: Any, django_assert_max_num_queries: Any
) -> None:
    engagement = engagements.ours
    coach = engagement.coach

    def fill(n: int) -> None:
        behaviours = [
            services.add_behaviour(engagement=engagement, by=coach, text=f"Step {n}.{i} at 8:00")
            for i in range(4)
        ]
        skill = services.define_skill(
            engagement=engagement, by=coach, name=f"Skill {n}", steps=behaviours
        )
        for day in range(8):
            services.record_observation(
                engagement=engagement,
                observer=coach,
                skill=skill,
                on=days_ago(day),
                performance="performed",
                response="reinforcement",
            )
            for behaviour in behaviours:
                services.record_observation(
                    engagement=engagement,
                    observer=coach,
                    behaviour=behaviour,
                    on=days_ago(day),
                    performance="partly",
                    response="none",
                )

    client = signed_in(personas.coach)
    path = f"/engagements/{engagement.pk}/skills/"
    for n in range(3):
        fill(n)
    with django_assert_max_num_queries(12):
        assert client.get(path).status_code == 200
    for n in range(3, 10):
        fill(n)
    with django_assert_max_num_queries(12):
        response = client.get(path)
    assert len(response.context["skills"]) == 10
    assert all(
        len(step["recent"]) == 5 for row in response.context["skills"] for step in row["steps"]
    )
    assert all(row["status"].startswith("Chained") for row in response.context["skills"])
