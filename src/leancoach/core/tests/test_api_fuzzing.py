"""Every API operation, fed generated input by schemathesis: never a 500, always what the schema says."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from leancoach.core.services import create_api_token
from leancoach.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open() -> Iterator[None]:
    # In-process WSGI calls fire Django's request signals, whose handler would
    # close the test's database connection (and lose its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def token(personas: Any) -> str:
    return create_api_token(user=personas.coach, name="fuzz", scope="read_write")[1]


PEOPLE_BY_ID = {
    "POST /api/v1/engagements",
    "POST /api/v1/mentoring-requests",
    "POST /api/v1/engagements/{engagement_id}/roles",
}

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@schema.parametrize()
@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    # `make test` runs the same examples every time; `make fuzz` explores (FUZZ_RANDOM=1).
    derandomize=os.environ.get("FUZZ_RANDOM", "") != "1",
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_honours_its_schema_for_any_input(case: Any, token: str) -> None:
    # A cursor is opaque: only the server issues valid ones, so a generated one is
    # rightly refused (422) although it fits the schema's "string".
    # Likewise people named by id: a schema cannot say which ids exist, or that the
    # coach and the client must differ, so a fitting request may rightly get 404/422.
    naming_people = case.operation.label in PEOPLE_BY_ID
    cursor = bool(case.query and "cursor" in case.query)
    excluded = [positive_data_acceptance] if cursor or naming_people else []
    headers = {"Authorization": f"Bearer {token}"}
    response = case.call(headers=headers)
    if response.status_code == 413:
        # A body over the upload limit is refused before its content is read (413, in JSON),
        # so it cannot also be refused for breaking the schema.
        assert response.json()["detail"]
        excluded.append(negative_data_rejection)
    case.validate_response(response, excluded_checks=excluded, headers=headers)
