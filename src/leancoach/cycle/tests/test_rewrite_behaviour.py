"""Rewriting a behaviour after a pinpoint hint: allowed until something refers to it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from leancoach.core.errors import Conflict
from leancoach.cycle import services
from leancoach.cycle.models import Behaviour

pytestmark = pytest.mark.django_db

TRAIT = "Be more proactive in huddles"
PINPOINTED = "Asks each team member “what got in your way yesterday?” at the 8:00 huddle"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def trait(engagements: Any) -> Behaviour:
    engagement = engagements.ours
    return services.add_behaviour(engagement=engagement, by=engagement.coach, text=TRAIT)


def test_rewriting_replaces_the_wording(trait: Behaviour) -> None:
    services.rewrite_behaviour(behaviour=trait, text=f"  {PINPOINTED} ")
    trait.refresh_from_db()
    assert trait.text == PINPOINTED


@pytest.mark.parametrize(
    ("text", "field"), [("   ", "text"), ("x" * 301, "text")], ids=["empty", "too long"]
)
def test_an_empty_or_too_long_wording_is_refused(trait: Behaviour, text: str, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.rewrite_behaviour(behaviour=trait, text=text)
    assert field in refused.value.message_dict
    trait.refresh_from_db()
    assert trait.text == TRAIT


def test_an_archived_behaviour_is_not_rewritten(trait: Behaviour) -> None:
    Behaviour.objects.filter(pk=trait.pk).update(archived=True)
    with pytest.raises(Conflict):
        services.rewrite_behaviour(behaviour=trait, text=PINPOINTED)


def use_by_observation(behaviour: Behaviour) -> None:
    services.record_observation(
        engagement=behaviour.engagement,
        observer=behaviour.engagement.coach,
        behaviour=behaviour,
        on=timezone.localdate(),
        performance="performed",
        response="reinforcement",
    )


def use_by_commitment(behaviour: Behaviour) -> None:
    services.commit_to_practice(
        engagement=behaviour.engagement,
        by=behaviour.engagement.coach,
        behaviour=behaviour,
        when="at the 8:00 huddle",
        where="at the line 1 board",
    )


def use_by_chain(behaviour: Behaviour) -> None:
    other = services.add_behaviour(
        engagement=behaviour.engagement, by=behaviour.engagement.coach, text="Writes it down"
    )
    services.define_skill(
        engagement=behaviour.engagement,
        by=behaviour.engagement.coach,
        name="Huddle",
        steps=[behaviour, other],
    )


@pytest.mark.parametrize(
    "use",
    [use_by_observation, use_by_commitment, use_by_chain],
    ids=["observed", "practised", "chained"],
)
def test_once_something_refers_to_it_the_wording_stays(trait: Behaviour, use: Any) -> None:
    use(trait)
    assert services.behaviour_in_use(trait)
    with pytest.raises(Conflict, match="add the new wording as a new behaviour"):
        services.rewrite_behaviour(behaviour=trait, text=PINPOINTED)
    trait.refresh_from_db()
    assert trait.text == TRAIT


def test_the_practice_page_offers_a_rewrite_and_the_hint_goes_away(
    personas: Any, trait: Behaviour
) -> None:
    client = signed_in(personas.coach)
    base = f"/engagements/{trait.engagement_id}/practice/"
    page = client.get(base).content.decode()
    assert "Rewrite this behaviour" in page
    assert f'action="{base}behaviours/{trait.pk}/rewrite/"' in page

    response = client.post(
        f"{base}behaviours/{trait.pk}/rewrite/", {"text": PINPOINTED}, follow=True
    )
    assert response.status_code == 200
    assert "Behaviour rewritten." in response.content.decode()
    [shown] = response.context["behaviours"]
    assert shown.text == PINPOINTED
    assert not any(hint["severity"] == "Problem" for hint in shown.hints)


def test_the_page_offers_no_rewrite_once_the_behaviour_is_in_use(
    personas: Any, trait: Behaviour
) -> None:
    use_by_commitment(trait)
    page = signed_in(personas.coach).get(f"/engagements/{trait.engagement_id}/practice/")
    assert "Rewrite this behaviour" not in page.content.decode()


def test_a_refused_rewrite_is_a_message_not_an_error(personas: Any, trait: Behaviour) -> None:
    use_by_observation(trait)
    response = signed_in(personas.coach).post(
        f"/engagements/{trait.engagement_id}/practice/behaviours/{trait.pk}/rewrite/",
        {"text": PINPOINTED},
        follow=True,
    )
    assert response.status_code == 200
    assert "its wording stays as recorded" in response.content.decode()


@pytest.mark.parametrize("role", ["sponsor", "outsider", "admin"])
def test_only_those_who_may_write_practice_can_rewrite(
    personas: Any, trait: Behaviour, role: str
) -> None:
    response = signed_in(getattr(personas, role)).post(
        f"/engagements/{trait.engagement_id}/practice/behaviours/{trait.pk}/rewrite/",
        {"text": PINPOINTED},
    )
    assert response.status_code in (403, 404)
    trait.refresh_from_db()
    assert trait.text == TRAIT


def test_a_behaviour_of_another_engagement_is_not_found(
    personas: Any, engagements: Any, trait: Behaviour
) -> None:
    theirs = services.add_behaviour(
        engagement=engagements.theirs, by=engagements.theirs.coach, text=TRAIT
    )
    response = signed_in(personas.coach).post(
        f"/engagements/{engagements.ours.pk}/practice/behaviours/{theirs.pk}/rewrite/",
        {"text": PINPOINTED},
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.text == TRAIT


def test_the_api_rewrites_a_behaviour_and_returns_its_new_hints(
    personas: Any, engagements: Any, trait: Behaviour
) -> None:
    path = f"/api/v1/engagements/{engagements.ours.pk}/behaviours/{trait.pk}"
    response = signed_in(personas.coach).patch(
        path, {"text": PINPOINTED}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["text"] == PINPOINTED
    assert response.json()["hints"] == []
    refused = signed_in(personas.sponsor).patch(
        path, {"text": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403


def test_the_api_refuses_to_rewrite_an_observed_behaviour_with_409(
    personas: Any, engagements: Any, trait: Behaviour
) -> None:
    services.record_observation(
        engagement=engagements.ours,
        observer=engagements.ours.coach,
        behaviour=trait,
        on=timezone.localdate(),
        performance="performed",
        response="reinforcement",
    )
    response = signed_in(personas.coach).patch(
        f"/api/v1/engagements/{engagements.ours.pk}/behaviours/{trait.pk}",
        {"text": PINPOINTED},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "wording stays as recorded" in response.json()["detail"]
