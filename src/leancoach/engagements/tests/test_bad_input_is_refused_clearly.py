from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.test import Client

from leancoach.core.errors import Conflict
from leancoach.engagements import services
from leancoach.engagements.models import Agreement, Engagement, Signature
from leancoach.testing.personas import everyone_accepts

pytestmark = pytest.mark.django_db


def messages_of(response: Any) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_signing_twice_is_refused_with_a_message_and_no_change(
    personas: Any, engagements: Any
) -> None:
    client = Client()
    client.force_login(personas.client)
    before = Signature.objects.count()
    response = client.post(f"/engagements/{engagements.ours.pk}/agreement/1/sign/", follow=True)
    assert any("already signed version 1" in text for text in messages_of(response))
    assert Signature.objects.count() == before


def test_signing_as_a_non_party_is_refused(personas: Any, engagements: Any) -> None:
    agreement = Agreement.objects.get(engagement=engagements.ours)
    with pytest.raises(ValidationError, match="Only the coach, the client and the sponsor sign"):
        services.sign_agreement(
            request=None, agreement=agreement, person=personas.person("outsider")
        )
    client = Client()
    client.force_login(personas.outsider)
    assert client.post(f"/engagements/{engagements.ours.pk}/agreement/1/sign/").status_code == 404
    client.force_login(personas.admin)
    assert client.post(f"/engagements/{engagements.ours.pk}/agreement/1/sign/").status_code == 403


def test_editing_a_signed_version_is_refused(engagements: Any) -> None:
    agreement = Agreement.objects.get(engagement=engagements.ours)
    with pytest.raises(Conflict, match="has been signed and cannot change"):
        services.edit_agreement(
            request=None,
            agreement=agreement,
            by=engagements.ours.coach,
            role="coach",
            terms={"share_targets": True},
        )
    agreement.refresh_from_db()
    assert agreement.share_targets is False


def test_the_editor_turns_a_change_of_a_signed_version_into_a_new_version(
    personas: Any, engagements: Any
) -> None:
    client = Client()
    client.force_login(personas.coach)
    response = client.post(
        f"/engagements/{engagements.ours.pk}/agreement/edit/",
        {"cadence": "weekly", "share_measures": "on"},
    )
    assert response.status_code == 302
    assert list(
        Agreement.objects.filter(engagement=engagements.ours).values_list("version", flat=True)
    ) == [1, 2]


def test_a_cadence_outside_the_list_is_a_form_error(personas: Any, engagements: Any) -> None:
    client = Client()
    client.force_login(personas.coach)
    response = client.post(
        f"/engagements/{engagements.ours.pk}/agreement/edit/", {"cadence": "hourly"}
    )
    assert response.status_code == 400
    assert "cadence" in response.context["form"].errors
    assert Agreement.objects.filter(engagement=engagements.ours).count() == 1


def test_a_kind_outside_the_list_is_a_form_error(personas: Any) -> None:
    client = Client()
    client.force_login(personas.coach)
    response = client.post(
        "/engagements/new/",
        {
            "client": "client@example.com",
            "kind": "therapy",
            "coaching_model": "leadership",
            "zones": ["blue"],
            "cadence": "weekly",
        },
    )
    assert response.status_code == 400
    assert "kind" in response.context["form"].errors
    assert not Engagement.objects.exists()


def test_the_services_refuse_values_outside_the_lists_too(personas: Any) -> None:
    coach, client = personas.person("coach"), personas.person("client")
    choices: dict[str, Any] = {
        "kind": "therapy",
        "cadence": "hourly",
        "coaching_model": "astrology",
    }
    for field, value in choices.items():
        with pytest.raises(ValidationError) as caught:
            services.open_engagement(
                request=None, opened_by=coach, coach=coach, client=client, **{field: value}
            )
        assert field in caught.value.message_dict
    with pytest.raises(ValidationError, match="at least one zone"):
        services.open_engagement(
            request=None, opened_by=coach, coach=coach, client=client, zones=[]
        )
    assert not Engagement.objects.exists()


def test_a_need_in_a_category_of_the_other_list_is_refused(engagements: Any) -> None:
    with pytest.raises(ValidationError, match="not a category of the sponsor's needs"):
        services.add_need(
            engagement=engagements.ours,
            by=engagements.ours.coach,
            owner="sponsor",
            category="personal_behaviour",
            description="x",
        )


def test_an_engagement_cannot_start_before_the_agreement_is_signed(personas: Any) -> None:
    coach = personas.person("coach")
    engagement = everyone_accepts(
        services.open_engagement(
            request=None, opened_by=coach, coach=coach, client=personas.person("client")
        )
    )
    with pytest.raises(ValidationError, match="once the agreement is signed"):
        services.change_status(
            request=None,
            engagement=engagement,
            by=coach,
            role="coach",
            to_status="active",
            reason="Go",
        )
    engagement.refresh_from_db()
    assert engagement.status == "proposed"


def test_only_an_admin_may_open_an_engagement_for_another_coach_on_the_page(personas: Any) -> None:
    form = {
        "client": "client@example.com",
        "coach": "outsider@example.com",
        "kind": "coaching",
        "coaching_model": "leadership",
        "zones": ["blue"],
        "cadence": "weekly",
    }
    client = Client()
    client.force_login(personas.coach)
    response = client.post("/engagements/new/", form)
    assert response.status_code == 400
    assert "Only an admin may open" in str(response.context["form"].errors["coach"])
    assert not Engagement.objects.exists()
    client.force_login(personas.admin)
    assert client.post("/engagements/new/", form).status_code == 302
    assert Engagement.objects.get().coach == personas.person("outsider")
