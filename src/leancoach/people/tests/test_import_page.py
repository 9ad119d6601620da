from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from leancoach.people.models import Person

pytestmark = pytest.mark.django_db

CSV = b"email,name,title,manager_email,team\nnew@example.com,Nia New,Analyst,sponsor@example.com,Operations\n"


def upload(client: Client, data: bytes, **extra: str) -> Any:
    return client.post(
        "/people/import/", {"file": SimpleUploadedFile("people.csv", data, "text/csv"), **extra}
    )


@pytest.mark.parametrize("role", ["coach", "client", "sponsor", "outsider"])
def test_only_an_admin_may_import(client: Client, personas: Any, role: str) -> None:
    client.force_login(getattr(personas, role))
    assert client.get("/people/import/").status_code == 403
    assert upload(client, CSV).status_code == 403
    assert not Person.objects.filter(email="new@example.com").exists()


def test_an_admin_imports_a_file_and_sees_the_counts(client: Client, personas: Any) -> None:
    client.force_login(personas.admin)
    response = upload(client, CSV)
    assert response.status_code == 200
    assert response.context["result"].people_created == 1
    assert Person.objects.get(email="new@example.com").manager == personas.person("sponsor")
    again = upload(client, CSV)
    assert again.context["result"].changes == 0


def test_bad_rows_are_listed_and_nothing_is_imported(client: Client, personas: Any) -> None:
    client.force_login(personas.admin)
    response = upload(client, CSV + b"broken,Bad Row,,,\n,No Mail,,,\n")
    assert response.status_code == 400
    assert [(error.line, error.column) for error in response.context["errors"]] == [
        (3, "email"),
        (4, "email"),
    ]
    assert not Person.objects.filter(email="new@example.com").exists()


def test_a_check_only_run_writes_nothing(client: Client, personas: Any) -> None:
    client.force_login(personas.admin)
    response = upload(client, CSV, dry_run="on")
    assert response.context["result"].people_created == 1
    assert not Person.objects.filter(email="new@example.com").exists()


def test_a_missing_file_is_a_form_error(client: Client, personas: Any) -> None:
    client.force_login(personas.admin)
    response = client.post("/people/import/", {})
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
