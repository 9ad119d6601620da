"""Behind the documented nginx (LEANCOACH_PROXY_COUNT=1) the audit log and each signature
record the client's address, not the proxy's and not one the client forged."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from leancoach.core.models import AuditEvent
from leancoach.engagements import services
from leancoach.engagements.models import Signature
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db

THROUGH_NGINX: dict[str, Any] = {
    "REMOTE_ADDR": "127.0.0.1",
    "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.7",
}


@pytest.fixture(autouse=True)
def _one_proxy(settings: Any) -> None:
    settings.LEANCOACH_PROXY_COUNT = 1


def signed_in(user: Any) -> Client:
    client = Client(**THROUGH_NGINX)
    client.force_login(user)
    return client


def propose_version_2(engagement: Any) -> None:
    services.propose_agreement(
        request=None,
        engagement=engagement,
        by=engagement.coach,
        role="coach",
        terms={"share_targets": True},
    )


def test_a_sponsors_read_is_audited_with_the_clients_address(
    personas: Any, engagements: Any
) -> None:
    engagement = engagements.ours
    add_measure(engagement=engagement, by=engagement.coach, name="Lead time")
    response = signed_in(personas.sponsor).get(f"/api/v1/engagements/{engagement.pk}/measures")
    assert response.status_code == 200
    read = AuditEvent.objects.filter(engagement=engagement, what="measures").latest("id")
    assert read.ip_address == "203.0.113.7"


def test_a_signature_through_the_api_records_the_clients_address(
    personas: Any, engagements: Any
) -> None:
    propose_version_2(engagements.ours)
    response = signed_in(personas.sponsor).post(
        f"/api/v1/engagements/{engagements.ours.pk}/agreements/2/sign"
    )
    assert response.status_code == 201, response.content
    assert Signature.objects.get(agreement__version=2, role="sponsor").ip_address == "203.0.113.7"


def test_a_signature_through_the_page_records_the_clients_address(
    personas: Any, engagements: Any
) -> None:
    propose_version_2(engagements.ours)
    response = signed_in(personas.sponsor).post(
        f"/engagements/{engagements.ours.pk}/agreement/2/sign/"
    )
    assert response.status_code == 302
    assert Signature.objects.get(agreement__version=2, role="sponsor").ip_address == "203.0.113.7"
