from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.core.models import AuditEvent
from leancoach.cycle import services
from leancoach.cycle.models import TargetCondition, TargetStatus
from leancoach.engagements import services as engagement_services
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def in_weeks(weeks: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(weeks=weeks)


@pytest.fixture
def measure(engagements: Any) -> Any:
    engagement = engagements.ours
    return add_measure(
        engagement=engagement, by=engagement.coach, name="First-pass yield", unit="%"
    )


def a_target(measure: Any) -> TargetCondition:
    engagement = measure.engagement
    return services.set_target(
        engagement=engagement,
        by=engagement.coach,
        measure=measure,
        target_value=95,
        by_date=in_weeks(6),
        expected="Asking about problems at the huddle catches defects earlier",
    )


def test_the_coach_sets_a_measure_target_closes_it_as_not_met_and_the_page_shows_the_experiment(
    personas: Any, engagements: Any, measure: Any
) -> None:
    engagement = engagements.ours
    client = signed_in(personas.coach)
    base = f"/engagements/{engagement.pk}/targets/"
    response = client.post(
        base + "new/",
        {
            "kind": "measure",
            "measure": measure.pk,
            "target_value": "95",
            "behaviour": "",
            "rate": "",
            "rate_period": "",
            "by_date": in_weeks(6).isoformat(),
            "expected": "Asking about problems at the huddle catches defects earlier",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "Target set: the experiment has started." in response.content.decode()
    target = TargetCondition.objects.get(engagement=engagement)
    assert (target.kind, target.measure, target.target_value) == ("measure", measure, 95.0)
    [row] = response.context["open_targets"]
    assert row["target"].pk == target.pk
    assert "First-pass yield reaches 95 %" in response.content.decode()

    response = client.post(
        base + f"{target.pk}/close/",
        {
            "status": "not_met",
            "actual": "Yield stayed at 91 %: the night shift skipped the huddle",
            "learned": "The huddle must include the night shift",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Target closed: what happened and what was learned are recorded." in page
    target.refresh_from_db()
    assert target.status == TargetStatus.NOT_MET
    assert response.context["open_targets"] == []
    assert [t.pk for t in response.context["closed_targets"]] == [target.pk]
    assert "First-pass yield reaches 95 % by" in page
    assert ": not met</h3>" in page
    for words in (
        "We expect</dt><dd>Asking about problems at the huddle catches defects earlier",
        "What happened</dt><dd>Yield stayed at 91 %: the night shift skipped the huddle",
        "What we learned</dt><dd>The huddle must include the night shift",
        "Status</dt><dd>Not met",
    ):
        assert words in page


def test_the_coach_sets_a_behaviour_target_at_a_rate(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    engagement = engagements.ours
    response = signed_in(personas.coach).post(
        f"/engagements/{engagement.pk}/targets/new/",
        {
            "kind": "behaviour",
            "measure": "",
            "target_value": "",
            "behaviour": huddle[0].pk,
            "rate": "4",
            "rate_period": "week",
            "by_date": in_weeks(4).isoformat(),
            "expected": "The team raises problems without being asked",
        },
        follow=True,
    )
    target = TargetCondition.objects.get(engagement=engagement)
    assert (target.kind, target.behaviour, target.rate, target.rate_period) == (
        "behaviour",
        huddle[0],
        4,
        "week",
    )
    assert f"“{huddle[0].text}” 4 times per week" in response.content.decode()


def test_closing_a_target_twice_shows_a_clear_message(
    personas: Any, engagements: Any, measure: Any
) -> None:
    target = a_target(measure)
    client = signed_in(personas.coach)
    path = f"/engagements/{engagements.ours.pk}/targets/{target.pk}/close/"
    client.post(path, {"status": "met", "actual": "96 %", "learned": "It works"})
    response = client.post(
        path, {"status": "dropped", "actual": "", "learned": "Changed my mind"}, follow=True
    )
    assert response.status_code == 200
    assert "This target is already closed as met." in response.content.decode()
    target.refresh_from_db()
    assert (target.status, target.learned) == ("met", "It works")


def test_a_target_in_the_past_is_refused_with_a_message(
    personas: Any, engagements: Any, measure: Any
) -> None:
    engagement = engagements.ours
    response = signed_in(personas.coach).post(
        f"/engagements/{engagement.pk}/targets/new/",
        {
            "kind": "measure",
            "measure": measure.pk,
            "target_value": "95",
            "by_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "expected": "Too late",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "A target&#x27;s date is in the future." in response.content.decode()
    assert not TargetCondition.objects.exists()


def test_the_client_reads_targets_but_gets_no_forms(
    personas: Any, engagements: Any, measure: Any
) -> None:
    a_target(measure)
    path = f"/engagements/{engagements.ours.pk}/targets/"
    page = signed_in(personas.client).get(path)
    assert page.status_code == 200
    assert "Set a target" not in page.content.decode()
    assert "Close the target" not in page.content.decode()
    assert signed_in(personas.client).post(path + "new/", {}).status_code == 403


def test_the_sponsor_gets_403_unless_the_agreement_shares_targets_and_the_read_is_audited(
    personas: Any, engagements: Any, measure: Any
) -> None:
    engagement = engagements.ours
    a_target(measure)
    path = f"/engagements/{engagement.pk}/targets/"
    sponsor = signed_in(personas.sponsor)
    assert sponsor.get(path).status_code == 403
    assert path not in sponsor.get(f"/engagements/{engagement.pk}/").content.decode()
    agreement = engagement_services.propose_agreement(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        terms={"share_measures": True, "share_targets": True},
    )
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        engagement_services.sign_agreement(request=None, agreement=agreement, person=person)
    page = sponsor.get(path)
    assert page.status_code == 200
    assert "First-pass yield reaches 95 %" in page.content.decode()
    assert "Set a target" not in page.content.decode()
    assert AuditEvent.objects.filter(
        engagement=engagement,
        actor_role="sponsor",
        action=AuditEvent.Action.READ,
        what="targets",
    ).exists()
    assert path in sponsor.get(f"/engagements/{engagement.pk}/").content.decode()
    assert sponsor.post(path + "new/", {}).status_code == 403


def test_an_outsider_gets_404(personas: Any, engagements: Any, measure: Any) -> None:
    target = a_target(measure)
    outsider = signed_in(personas.outsider)
    path = f"/engagements/{engagements.ours.pk}/targets/"
    assert outsider.get(path).status_code == 404
    assert outsider.get("/engagements/999999/targets/").status_code == 404
    assert outsider.post(path + f"{target.pk}/close/", {}).status_code == 404


def test_the_targets_page_costs_a_fixed_number_of_queries(
    personas: Any, engagements: Any, measure: Any, huddle: Any, django_assert_max_num_queries: Any
) -> None:
    engagement = engagements.ours

    def fill() -> None:
        for n in range(10):
            target = a_target(measure)
            services.set_target(
                engagement=engagement,
                by=engagement.coach,
                behaviour=huddle[n % 2],
                rate=n + 1,
                rate_period="week",
                by_date=in_weeks(n + 1),
                expected="More problems raised",
            )
            services.close_target(target=target, status="met", actual="96", learned="Works")

    client = signed_in(personas.coach)
    path = f"/engagements/{engagement.pk}/targets/"
    fill()
    with django_assert_max_num_queries(12):
        assert client.get(path).status_code == 200
    fill()
    with django_assert_max_num_queries(12):
        response = client.get(path)
    assert len(response.context["open_targets"]) == 20
    assert len(response.context["closed_targets"]) == 20
