from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.core.models import AuditEvent
from leancoach.cycle import services
from leancoach.engagements import services as engagement_services
from leancoach.testing.personas import make_user

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def observe(engagement: Any, behaviour: Any, response: str, days_ago: int = 0) -> None:
    services.record_observation(
        engagement=engagement,
        observer=engagement.coach,
        on=timezone.localdate() - datetime.timedelta(days=days_ago),
        performance="performed" if response == "reinforcement" else "partly",
        response=response,
        behaviour=behaviour,
        words="Thank you for asking Ana first",
    )


def test_the_coach_records_observations_and_sees_the_ratio_and_the_warning(
    personas: Any, huddle: Any
) -> None:
    engagement = huddle[0].engagement
    client = signed_in(personas.coach)
    path = f"/engagements/{engagement.pk}/observations/"
    today = timezone.localdate().isoformat()
    for response in ("reinforcement", "reinforcement", "correction"):
        reply = client.post(
            path + "record/",
            {
                "on": today,
                "behaviour": huddle[0].pk,
                "performance": "performed",
                "response": response,
                "context": "Monday huddle",
                "words": "Good: you asked everyone",
            },
        )
        assert reply.status_code == 302
    page = client.get(path)
    text = page.content.decode()
    assert page.context["ratio"].label == "2.0:1"
    assert "<strong>2.0:1</strong>" in text
    assert "Below 4:1." in text
    assert "is below 4:1" in text
    assert "Good: you asked everyone" in text
    assert page.context["trend"][0].end == timezone.localdate()
    assert "No, below 4:1" in text


def test_at_four_to_one_there_is_no_warning(personas: Any, huddle: Any) -> None:
    engagement = huddle[0].engagement
    for _ in range(4):
        observe(engagement, huddle[0], "reinforcement")
    observe(engagement, huddle[0], "correction")
    text = signed_in(personas.coach).get(f"/engagements/{engagement.pk}/observations/")
    assert "Below 4:1." not in text.content.decode()


def test_observations_are_listed_newest_first(personas: Any, huddle: Any) -> None:
    engagement = huddle[0].engagement
    observe(engagement, huddle[0], "reinforcement", days_ago=5)
    observe(engagement, huddle[1], "correction", days_ago=1)
    page = signed_in(personas.client).get(f"/engagements/{engagement.pk}/observations/")
    assert [o.behaviour for o in page.context["observations"]] == [huddle[1], huddle[0]]


def test_a_refused_observation_becomes_a_message(personas: Any, huddle: Any) -> None:
    engagement = huddle[0].engagement
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    page = signed_in(personas.coach).post(
        f"/engagements/{engagement.pk}/observations/record/",
        {
            "on": tomorrow,
            "behaviour": huddle[0].pk,
            "performance": "performed",
            "response": "reinforcement",
        },
        follow=True,
    )
    assert page.status_code == 200
    assert "An observation cannot be dated in the future." in page.content.decode()


def test_the_coach_sees_their_ratio_across_clients_and_the_client_does_not(
    personas: Any, huddle: Any
) -> None:
    engagement = huddle[0].engagement
    coach = engagement.coach
    other_client = make_user("c9@example.com", "Client Nine", manager=personas.person("sponsor"))
    other = engagement_services.open_engagement(
        request=None, opened_by=coach, coach=coach, client=other_client.person
    )
    elsewhere = services.add_behaviour(engagement=other, by=coach, text="Posts the chart daily")
    observe(engagement, huddle[0], "reinforcement")
    for _ in range(3):
        observe(other, elsewhere, "correction")
    path = f"/engagements/{engagement.pk}/observations/"
    as_coach = signed_in(personas.coach).get(path)
    assert as_coach.context["ratio"].label == "1:0"
    mine = as_coach.context["my_ratio"]
    assert (mine.reinforcements, mine.corrections) == (1, 3)
    assert "Your ratio across all your clients" in as_coach.content.decode()
    as_client = signed_in(personas.client).get(path)
    assert "my_ratio" not in as_client.context
    assert "Your ratio across all your clients" not in as_client.content.decode()
    assert "Record an observation" not in as_client.content.decode()


def test_the_sponsor_reads_observations_only_when_shared_and_the_read_is_audited(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    engagement = engagements.ours
    observe(engagement, huddle[0], "reinforcement")
    path = f"/engagements/{engagement.pk}/observations/"
    sponsor = signed_in(personas.sponsor)
    assert sponsor.get(path).status_code == 403
    assert path not in sponsor.get(f"/engagements/{engagement.pk}/").content.decode()
    assert sponsor.post(path + "record/", {}).status_code == 403
    agreement = engagement_services.propose_agreement(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        terms={"share_measures": True, "share_action_status": True, "share_observations": True},
    )
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        engagement_services.sign_agreement(request=None, agreement=agreement, person=person)
    page = sponsor.get(path)
    assert page.status_code == 200
    assert "Thank you for asking Ana first" in page.content.decode()
    assert "Your ratio across all your clients" not in page.content.decode()
    assert "Record an observation" not in page.content.decode()
    assert AuditEvent.objects.filter(
        engagement=engagement,
        actor_role="sponsor",
        action=AuditEvent.Action.READ,
        what="observations",
    ).exists()
    assert sponsor.post(path + "record/", {}).status_code == 403
    assert sponsor.get(f"/engagements/{engagement.pk}/practice/").status_code == 403


def test_an_outsider_gets_404(personas: Any, engagements: Any) -> None:
    outsider = signed_in(personas.outsider)
    assert outsider.get(f"/engagements/{engagements.ours.pk}/observations/").status_code == 404
    assert outsider.get("/engagements/999999/observations/").status_code == 404


@pytest.mark.parametrize("role", ["coach", "client"])
def test_the_observations_page_costs_a_fixed_number_of_queries(
    personas: Any, huddle: Any, role: str, django_assert_max_num_queries: Any
) -> None:
    engagement = huddle[0].engagement

    def fill() -> None:
        for day in range(40):
            observe(engagement, huddle[day % 2], "reinforcement", days_ago=day)
            observe(engagement, huddle[day % 2], "correction", days_ago=day * 2)

    client = signed_in(getattr(personas, role))
    path = f"/engagements/{engagement.pk}/observations/"
    fill()
    with django_assert_max_num_queries(13):
        assert client.get(path).status_code == 200
    fill()
    with django_assert_max_num_queries(13):
        response = client.get(path)
    assert len(response.context["observations"]) == 160
