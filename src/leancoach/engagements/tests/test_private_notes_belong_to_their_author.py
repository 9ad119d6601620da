"""A private note is read by the person who wrote it, and by nobody else, ever.

Not a coach who takes the engagement over, not an admin who reaches a role, not the client
or the sponsor. The coach who hands an engagement over keeps their own notes, and may delete
them.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from leancoach.core.access import Category
from leancoach.engagements import services
from leancoach.engagements.models import PrivateNote
from leancoach.engagements.tests.test_each_category_reaches_only_who_may_read_it import (
    categories_in,
    everything,
)
from leancoach.testing.content import canary, fill_every_category
from leancoach.testing.engagements import hand_over
from leancoach.testing.personas import make_user

pytestmark = pytest.mark.django_db

NOTE = canary(Category.PRIVATE_NOTES)


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_new_coach_reads_none_of_the_previous_coachs_notes(
    personas: Any, engagements: Any
) -> None:
    ours = engagements.ours
    ids = fill_every_category(ours, share=("measures",))
    new_coach = engagements.other_coach
    hand_over(ours, role="coach", to=new_coach.person, by=personas.admin.person)

    api = signed_in(new_coach).get(f"/api/v1/engagements/{ours.pk}/private-notes")
    assert api.status_code == 200
    assert api.json() == []
    page = signed_in(new_coach).get(f"/engagements/{ours.pk}/notes/")
    assert page.status_code == 200
    assert NOTE not in page.content.decode()
    found = categories_in(everything(new_coach, ids))
    assert Category.PRIVATE_NOTES not in found
    assert Category.CLIENT_NEEDS in found, "the new coach does read the coaching itself"


def test_the_previous_coach_still_reads_and_may_delete_their_own_notes(
    personas: Any, engagements: Any
) -> None:
    ours = engagements.ours
    fill_every_category(ours, share=("measures",))
    hand_over(ours, role="coach", to=engagements.other_coach.person, by=personas.admin.person)
    former = signed_in(personas.coach)

    assert former.get(f"/engagements/{ours.pk}/").status_code == 404
    page = former.get("/notes/").content.decode()
    assert page.count(NOTE) == 2  # the engagement's note and the meeting's
    assert "you no longer coach it" in page
    api = former.get("/api/v1/me/private-notes").json()
    assert {note["engagement_id"] for note in api} == {ours.pk}
    assert all(NOTE in note["text"] for note in api)

    first = api[0]["id"]
    assert former.delete(f"/api/v1/me/private-notes/{first}").status_code == 204
    second = api[1]["id"]
    response = former.post(f"/notes/{second}/delete/")
    assert response.status_code == 302
    assert not PrivateNote.objects.filter(pk__in=[first, second]).exists()


def test_nobody_but_the_author_can_delete_or_read_a_note_by_its_id(
    personas: Any, engagements: Any
) -> None:
    note = services.add_private_note(
        engagement=engagements.ours, by=personas.person("coach"), text=f"Mine {NOTE}"
    )
    for user in (
        personas.client,
        personas.sponsor,
        personas.admin,
        personas.outsider,
        engagements.other_coach,
    ):
        client = signed_in(user)
        assert client.delete(f"/api/v1/me/private-notes/{note.pk}").status_code == 404
        assert client.post(f"/notes/{note.pk}/delete/").status_code == 404
        assert NOTE not in client.get("/notes/").content.decode()
        assert NOTE not in client.get("/api/v1/me/private-notes").content.decode()
    assert PrivateNote.objects.filter(pk=note.pk).exists()


def test_an_admin_who_reaches_the_coachs_role_reads_no_private_note(
    personas: Any, engagements: Any
) -> None:
    ours = engagements.ours
    ids = fill_every_category(ours, share=("measures",))
    admin = personas.admin
    # An admin never proposes themselves (see test_admin_cannot_take_over_a_role); here the
    # coach hands over to the admin's person and the client accepts.
    hand_over(ours, role="coach", to=admin.person, by=ours.coach, by_role="coach")
    assert Category.PRIVATE_NOTES not in categories_in(everything(admin, ids))
    api = signed_in(admin).get(f"/api/v1/engagements/{ours.pk}/private-notes")
    assert api.status_code in (200, 403, 404)
    assert NOTE not in api.content.decode()


def queries_for(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_my_private_notes_cost_the_same_queries_however_many_engagements_they_span(
    personas: Any, engagements: Any
) -> None:
    coach = personas.person("coach")
    services.add_private_note(engagement=engagements.ours, by=coach, text="First")
    client = signed_in(personas.coach)
    few = {path: queries_for(client, path) for path in ("/notes/", "/api/v1/me/private-notes")}
    for n in range(3):
        other = services.open_engagement(
            request=None,
            opened_by=coach,
            coach=coach,
            client=make_user(f"c{n}@example.com", f"Client {n}").person,
            sponsor=personas.person("sponsor"),
        )
        for m in range(5):
            services.add_private_note(engagement=other, by=coach, text=f"Note {m}")
    many = {path: queries_for(client, path) for path in few}
    assert many == few
