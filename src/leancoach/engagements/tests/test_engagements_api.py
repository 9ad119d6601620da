"""The engagements API: opening, the lifecycle, the agreement, and what each party sees."""

from __future__ import annotations

import datetime
import typing
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from leancoach.core.models import AuditEvent
from leancoach.engagements import services
from leancoach.engagements.models import (
    NEED_CATEGORIES,
    Agreement,
    Engagement,
    Need,
    NeedOwner,
    Signature,
)
from leancoach.engagements.schemas import ClientNeedCategory, SponsorNeedCategory
from leancoach.meetings.services import add_action
from leancoach.metrics.services import add_measure, record_value

pytestmark = pytest.mark.django_db

API = "/api/v1"
CANARY = "CANARY-api-5d1e-private"


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    return getattr(client, method)(API + path, data or {}, content_type="application/json")


def post(client: Client, path: str, data: Any = None) -> Any:
    return send(client, "post", path, data)


def get(client: Client, path: str, **params: Any) -> Any:
    return client.get(API + path, params)


def fields_of(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    return [error["field"] for error in response.json()["errors"]]


def opened(personas: Any, **options: Any) -> Engagement:
    """A fresh engagement of the coach with the client (sponsor: the client's manager)."""
    coach = personas.person("coach")
    return services.open_engagement(
        request=None, opened_by=coach, coach=coach, client=personas.person("client"), **options
    )


def sign_by_everyone(engagement: Engagement, version: int) -> None:
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        assert person is not None
        response = post(
            signed_in(person.user), f"/engagements/{engagement.pk}/agreements/{version}/sign"
        )
        assert response.status_code == 201, response.content


# --- Opening and listing -------------------------------------------------------


def test_the_coach_opens_an_engagement_with_the_default_sponsor(personas: Any) -> None:
    response = post(
        signed_in(personas.coach),
        "/engagements",
        {"client_id": personas.person("client").pk, "focus": "Calmer huddles"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sponsor"] == {"id": personas.person("sponsor").pk, "name": "Sam Sponsor"}
    assert (body["my_role"], body["status"], body["kind"]) == ("coach", "proposed", "coaching")
    assert body["details"]["focus"] == "Calmer huddles"
    assert body["details"]["zones"] == ["blue"]
    assert [change["to_status"] for change in body["details"]["history"]] == ["proposed"]
    engagement = Engagement.objects.get(pk=body["id"])
    assert engagement.coach == personas.person("coach")


def test_a_null_sponsor_opens_a_kata_without_one_but_not_coaching(personas: Any) -> None:
    coach = signed_in(personas.coach)
    client_id = personas.person("client").pk
    kata = post(coach, "/engagements", {"client_id": client_id, "kind": "kata", "sponsor_id": None})
    assert kata.status_code == 201, kata.content
    assert kata.json()["sponsor"] is None
    coaching = post(coach, "/engagements", {"client_id": client_id, "sponsor_id": None})
    assert fields_of(coaching) == ["sponsor_id"]


def test_only_an_admin_may_open_an_engagement_for_another_coach(personas: Any) -> None:
    body = {"client_id": personas.person("client").pk, "coach_id": personas.person("outsider").pk}
    assert post(signed_in(personas.coach), "/engagements", body).status_code == 403
    response = post(signed_in(personas.admin), "/engagements", body)
    assert response.status_code == 201, response.content
    assert response.json()["coach"]["name"] == "Oscar Outsider"
    assert response.json()["my_role"] == "admin"
    assert response.json()["details"] is None  # the admin opens it but does not read it


def test_the_coach_as_their_own_client_is_a_422_naming_client_id(personas: Any) -> None:
    response = post(
        signed_in(personas.coach), "/engagements", {"client_id": personas.person("coach").pk}
    )
    assert fields_of(response) == ["client_id"]
    assert Engagement.objects.count() == 0


def test_an_unknown_person_is_a_404(personas: Any) -> None:
    response = post(signed_in(personas.coach), "/engagements", {"client_id": 10**17})
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("cadence", "daily"),
        ("kind", "therapy"),
        ("coaching_model", "astrology"),
        ("zones", ["purple"]),
        ("zones", []),
        ("focus", "x" * 201),
        ("focus", "nul \x00 byte"),
        ("client_id", 0),
        ("client_id", 10**19),
    ],
)
def test_a_value_outside_the_schema_is_a_422_naming_the_field(
    personas: Any, field: str, value: Any
) -> None:
    body = {"client_id": personas.person("client").pk, field: value}
    response = post(signed_in(personas.coach), "/engagements", body)
    assert fields_of(response)[0].split(".")[0] == field
    assert field in response.json()["detail"]
    assert Engagement.objects.count() == 0


def test_a_cadence_outside_the_list_is_a_422_naming_the_field(personas: Any) -> None:
    response = post(
        signed_in(personas.coach),
        "/engagements",
        {"client_id": personas.person("client").pk, "cadence": "hourly"},
    )
    assert fields_of(response) == ["cadence"]


def test_a_kind_outside_the_list_is_a_422(personas: Any) -> None:
    response = post(
        signed_in(personas.coach),
        "/engagements",
        {"client_id": personas.person("client").pk, "kind": "therapy"},
    )
    assert fields_of(response) == ["kind"]


def test_the_list_shows_each_their_role_and_details_only_to_the_parties(
    personas: Any, engagements: Any
) -> None:
    ours = engagements.ours.pk

    def row_of(user: Any) -> dict[str, Any]:
        rows = get(signed_in(user), "/engagements").json()
        return next(row for row in rows if row["id"] == ours)

    assert row_of(personas.coach)["my_role"] == "coach"
    assert row_of(personas.client)["details"]["focus"] == "Run better team huddles"
    assert row_of(personas.sponsor)["my_role"] == "sponsor"
    assert (
        row_of(personas.sponsor)["details"] is None
    )  # read on the engagement, where it is audited
    admin_rows = get(signed_in(personas.admin), "/engagements").json()
    assert {row["id"] for row in admin_rows} == {ours, engagements.theirs.pk}
    assert {row["details"] is None for row in admin_rows} == {True}
    assert get(signed_in(personas.outsider), "/engagements").json() == []
    assert AuditEvent.objects.filter(action="read").count() == 0


def test_the_list_is_newest_first_and_limited(personas: Any) -> None:
    for _ in range(3):
        opened(personas, kind="kata")
    rows = get(signed_in(personas.coach), "/engagements", limit=2).json()
    assert len(rows) == 2
    assert rows[0]["created_at"] >= rows[1]["created_at"]
    assert get(signed_in(personas.coach), "/engagements", limit=101).status_code == 422


# --- Mentoring requests ----------------------------------------------------------


def test_a_mentee_asks_a_mentor_who_accepts(personas: Any) -> None:
    response = post(
        signed_in(personas.client),
        "/mentoring-requests",
        {"mentor_id": personas.person("coach").pk, "focus": "Running meetings"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["kind"], body["my_role"], body["awaiting_mentor"]) == ("mentoring", "client", True)
    assert body["sponsor"] is None
    path = f"/engagements/{body['id']}/answer"
    own = post(signed_in(personas.client), path, {"accept": False})
    assert own.status_code == 409  # the mentee asked: their consent was given by asking
    assert own.json()["detail"].startswith("You already accepted this")
    accepted = post(signed_in(personas.coach), path, {"accept": True})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["awaiting_mentor"] is False
    again = post(signed_in(personas.coach), path, {"accept": False})
    assert again.status_code == 409
    assert again.json()["detail"].startswith("You already accepted this, on ")


def test_a_declined_request_is_closed_with_the_reason(personas: Any) -> None:
    asked = post(
        signed_in(personas.client),
        "/mentoring-requests",
        {"mentor_id": personas.person("coach").pk},
    ).json()
    response = post(
        signed_in(personas.coach),
        f"/engagements/{asked['id']}/answer",
        {"accept": False, "reason": "No time this quarter"},
    )
    assert response.json()["status"] == "closed"
    assert response.json()["details"]["history"][-1]["reason"].endswith("No time this quarter")


def test_asking_the_same_mentor_twice_is_a_409(personas: Any) -> None:
    mentee = signed_in(personas.client)
    body = {"mentor_id": personas.person("coach").pk}
    assert post(mentee, "/mentoring-requests", body).status_code == 201
    response = post(mentee, "/mentoring-requests", body)
    assert response.status_code == 409
    assert "already have a mentoring request" in response.json()["detail"]


def test_asking_oneself_to_mentor_is_a_422_naming_mentor_id(personas: Any) -> None:
    response = post(
        signed_in(personas.client),
        "/mentoring-requests",
        {"mentor_id": personas.person("client").pk},
    )
    assert fields_of(response) == ["mentor_id"]


# --- One engagement, its lifecycle and its roles -----------------------------------


def test_the_admin_reads_only_the_summary_and_the_read_is_audited(
    personas: Any, engagements: Any
) -> None:
    body = get(signed_in(personas.admin), f"/engagements/{engagements.ours.pk}").json()
    assert body["my_role"] == "admin"
    assert (body["details"], body["sharing"]) == (None, None)
    # Never content: who takes part, who is asked, and proposed changes of role.
    assert body["may_read"] == ["summary", "lifecycle", "roles", "consent", "role_changes"]
    reads = AuditEvent.objects.filter(engagement=engagements.ours, action="read")
    assert list(reads.values_list("actor_role", "what")) == [("admin", "summary")]


def test_the_sponsor_reads_what_the_agreement_shares_now(personas: Any, engagements: Any) -> None:
    body = get(signed_in(personas.sponsor), f"/engagements/{engagements.ours.pk}").json()
    assert body["details"]["cadence"] == "fortnightly"
    assert body["sharing"] == {
        "in_force_version": 1,
        "pending_version": None,
        "pending_missing_roles": [],
        "sponsor_may_read": ["measures", "action_status"],
        "in_force_shares": ["measures", "action_status"],
        "pending_shares": None,
    }
    assert "private_notes" not in body["may_read"]
    assert set(body["may_write"]) == {"signature", "consent"}


def test_status_changes_are_kept_in_the_history(personas: Any, engagements: Any) -> None:
    path = f"/engagements/{engagements.ours.pk}/status"
    on = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    response = post(
        signed_in(personas.coach), path, {"status": "paused", "reason": "Leave", "on": on}
    )
    assert response.status_code == 200, response.content
    history = response.json()["details"]["history"]
    assert [(c["from_status"], c["to_status"]) for c in history] == [
        ("", "proposed"),
        ("proposed", "active"),
        ("active", "paused"),
    ]
    assert history[-1]["on"] == on
    assert history[-1]["changed_by"]["name"] == "Cora Coach"


def test_a_move_the_lifecycle_forbids_is_a_422_naming_status(
    personas: Any, engagements: Any
) -> None:
    path = f"/engagements/{engagements.ours.pk}/status"
    response = post(signed_in(personas.coach), path, {"status": "proposed", "reason": "Again"})
    assert fields_of(response) == ["status"]
    assert "cannot become proposed" in response.json()["errors"][0]["message"]


def test_coaching_cannot_start_before_everyone_has_signed(personas: Any) -> None:
    engagement = opened(personas)
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagement.pk}/status",
        {"status": "active", "reason": "Let's go"},
    )
    assert fields_of(response) == ["status"]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_status_change_needs_a_reason(personas: Any, engagements: Any, reason: str) -> None:
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagements.ours.pk}/status",
        {"status": "closed", "reason": reason},
    )
    assert fields_of(response) == ["reason"]


def test_the_client_and_the_sponsor_may_not_change_the_status(
    personas: Any, engagements: Any
) -> None:
    body = {"status": "closed", "reason": "Done"}
    for user in (personas.client, personas.sponsor):
        response = post(signed_in(user), f"/engagements/{engagements.ours.pk}/status", body)
        assert response.status_code == 403
    assert Engagement.objects.get(pk=engagements.ours.pk).status == "active"


def test_handing_the_sponsor_role_to_someone_else_cuts_the_old_sponsor_off(
    personas: Any, engagements: Any
) -> None:
    engagement = engagements.ours
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagement.pk}/roles",
        {"role": "sponsor", "person_id": personas.person("admin").pk, "reason": "Reorganisation"},
    )
    assert response.status_code == 202, response.content
    assert response.json()["person"]["name"] == "Alex Admin"
    assert get(signed_in(personas.sponsor), f"/engagements/{engagement.pk}").status_code == 200
    accepted = post(
        signed_in(personas.client),
        f"/engagements/{engagement.pk}/role-proposals/{response.json()['id']}/answer",
        {"accept": True},
    )
    assert accepted.json()["answer"] == "accepted"
    assert get(signed_in(personas.sponsor), f"/engagements/{engagement.pk}").status_code == 404
    now = get(signed_in(personas.admin), f"/engagements/{engagement.pk}").json()
    assert now["my_role"] == "sponsor"
    assert now["sharing"]["sponsor_may_read"] == []  # the new sponsor has signed nothing
    assert now["sharing"]["pending_version"] == 2  # v1's terms, for the new sponsor to sign


def test_a_coach_who_hands_over_their_role_is_told_what_changed(
    personas: Any, engagements: Any
) -> None:
    pk = engagements.ours.pk
    response = post(
        signed_in(personas.coach),
        f"/engagements/{pk}/roles",
        {"role": "coach", "person_id": personas.person("outsider").pk, "reason": "Moving on"},
    )
    assert response.status_code == 202
    proposal = response.json()
    assert {key: proposal[key] for key in ("engagement_id", "role", "person", "answer")} == {
        "engagement_id": pk,
        "role": "coach",
        "person": {"id": personas.person("outsider").pk, "name": "Oscar Outsider"},
        "answer": "pending",
    }
    assert get(signed_in(personas.coach), f"/engagements/{pk}").status_code == 200
    post(
        signed_in(personas.client),
        f"/engagements/{pk}/role-proposals/{proposal['id']}/answer",
        {"accept": True},
    )
    assert get(signed_in(personas.coach), f"/engagements/{pk}").status_code == 404


def test_removing_the_coach_is_a_422_naming_person_id(personas: Any, engagements: Any) -> None:
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagements.ours.pk}/roles",
        {"role": "coach", "person_id": None, "reason": "Nobody"},
    )
    assert fields_of(response) == ["person_id"]


# --- The agreement ----------------------------------------------------------------


def test_the_agreement_lists_versions_signatures_and_what_is_in_force(
    personas: Any, engagements: Any
) -> None:
    body = get(signed_in(personas.client), f"/engagements/{engagements.ours.pk}/agreements").json()
    assert (body["in_force_version"], body["pending_version"]) == (1, None)
    assert body["required_roles"] == ["coach", "client", "sponsor"]
    [version] = body["versions"]
    assert (version["share_measures"], version["share_targets"]) == (True, False)
    assert [(s["role"], s["person"]["name"]) for s in version["signatures"]] == [
        ("coach", "Cora Coach"),
        ("client", "Casey Client"),
        ("sponsor", "Sam Sponsor"),
    ]
    assert version["missing_roles"] == []
    assert "ip_address" not in version["signatures"][0]


def test_a_new_version_keeps_the_terms_left_out_and_waits_for_signatures(
    personas: Any, engagements: Any
) -> None:
    path = f"/engagements/{engagements.ours.pk}/agreements"
    response = post(signed_in(personas.coach), path, {"cadence": "weekly"})
    assert response.status_code == 201, response.content
    version = response.json()
    assert (version["version"], version["cadence"]) == (2, "weekly")
    assert (version["share_measures"], version["share_action_status"]) == (True, True)
    assert version["missing_roles"] == ["coach", "client", "sponsor"]
    body = get(signed_in(personas.coach), path).json()
    assert (body["in_force_version"], body["pending_version"]) == (1, 2)


def test_proposing_while_the_latest_version_is_unsigned_is_a_409(personas: Any) -> None:
    engagement = opened(personas)
    path = f"/engagements/{engagement.pk}/agreements"
    coach = signed_in(personas.coach)
    assert post(coach, path, {"share_measures": True}).status_code == 201
    response = post(coach, path, {"share_targets": True})
    assert response.status_code == 409
    assert response.json() == {"detail": "Version 1 is not signed yet; change it with PUT."}
    assert Agreement.objects.filter(engagement=engagement).count() == 1


def test_editing_an_unsigned_version_changes_only_the_terms_sent(personas: Any) -> None:
    engagement = opened(personas)
    path = f"/engagements/{engagement.pk}/agreements"
    coach = signed_in(personas.coach)
    post(coach, path, {"share_measures": True, "coach_commitments": "Weekly notes"})
    response = send(coach, "put", path + "/1", {"share_targets": True})
    assert response.status_code == 200, response.content
    version = response.json()
    assert (version["share_measures"], version["share_targets"]) == (True, True)
    assert version["coach_commitments"] == "Weekly notes"
    events = AuditEvent.objects.filter(engagement=engagement, what="agreement.edited")
    assert events.count() == 1


def test_editing_a_signed_version_is_a_409(personas: Any, engagements: Any) -> None:
    response = send(
        signed_in(personas.coach),
        "put",
        f"/engagements/{engagements.ours.pk}/agreements/1",
        {"share_targets": True},
    )
    assert response.status_code == 409
    assert "has been signed and cannot change" in response.json()["detail"]
    assert Agreement.objects.get(engagement=engagements.ours).share_targets is False


@pytest.mark.parametrize(
    ("field", "value"),
    [("cadence", "daily"), ("share_measures", None), ("share_measures", "maybe")],
)
def test_a_term_outside_the_schema_is_a_422_naming_it(
    personas: Any, field: str, value: Any
) -> None:
    engagement = opened(personas)
    response = post(
        signed_in(personas.coach), f"/engagements/{engagement.pk}/agreements", {field: value}
    )
    assert fields_of(response) == [field]


def test_signing_twice_is_a_409_and_changes_nothing(personas: Any, engagements: Any) -> None:
    before = list(Signature.objects.values_list("pk", "signed_at"))
    events = AuditEvent.objects.count()
    response = post(
        signed_in(personas.client), f"/engagements/{engagements.ours.pk}/agreements/1/sign"
    )
    assert response.status_code == 409
    assert "already signed version 1" in response.json()["detail"]
    assert list(Signature.objects.values_list("pk", "signed_at")) == before
    assert AuditEvent.objects.count() == events


def test_signing_as_a_non_party_is_refused(personas: Any, engagements: Any) -> None:
    services.propose_agreement(
        request=None,
        engagement=engagements.ours,
        by=engagements.ours.coach,
        role="coach",
        terms={"share_targets": True},
    )
    path = f"/engagements/{engagements.ours.pk}/agreements/2/sign"
    assert post(signed_in(personas.outsider), path).status_code == 404
    assert post(signed_in(personas.admin), path).status_code == 403
    assert post(signed_in(engagements.other_coach), path).status_code == 404
    assert not Signature.objects.filter(agreement__version=2).exists()


def test_signing_records_the_role_and_the_address(personas: Any, engagements: Any) -> None:
    services.propose_agreement(
        request=None,
        engagement=engagements.ours,
        by=engagements.ours.coach,
        role="coach",
        terms={"share_targets": True},
    )
    response = post(
        signed_in(personas.sponsor),
        f"/engagements/{engagements.ours.pk}/agreements/2/sign",
    )
    assert response.status_code == 201, response.content
    assert (response.json()["role"], response.json()["in_force_version"]) == ("sponsor", 1)
    signature = Signature.objects.get(agreement__version=2, role="sponsor")
    assert signature.ip_address == "127.0.0.1"  # the test client's address


def test_an_unknown_version_is_a_404(personas: Any, engagements: Any) -> None:
    path = f"/engagements/{engagements.ours.pk}/agreements/7"
    assert post(signed_in(personas.client), path + "/sign").status_code == 404
    assert send(signed_in(personas.coach), "put", path, {}).status_code == 404


# --- What the sponsor sees -----------------------------------------------------------


def fill_private_fields(engagement: Engagement) -> None:
    coach = engagement.coach
    services.add_private_note(engagement=engagement, by=coach, text=f"Tired {CANARY}")
    services.add_need(
        engagement=engagement,
        by=coach,
        owner="client",
        category="personal_behaviour",
        description=f"Handle conflict {CANARY}",
    )
    services.write_assumptions(
        engagement=engagement, by=coach, best_outcome=f"Calm {CANARY}", strengths="Listens"
    )
    version = services.propose_agreement(
        request=None,
        engagement=engagement,
        by=coach,
        role="coach",
        terms={"client_confidential": f"My health {CANARY}"},
    )
    sign_by_everyone(engagement, version.version)
    add_measure(engagement=engagement, by=coach, name="First-pass yield")


def every_get(user: Any, engagement: Engagement) -> dict[str, Any]:
    client = signed_in(user)
    base = f"/engagements/{engagement.pk}"
    paths = [
        "",
        "/agreements",
        "/sponsor-needs",
        "/client-needs",
        "/assumptions",
        "/private-notes",
        "/measures",
        "/actions",
        "/audit",
    ]
    answers = {path: get(client, base + path) for path in paths}
    answers["list"] = get(client, "/engagements")
    return answers


def test_the_sponsor_sees_only_what_the_agreement_shares(personas: Any, engagements: Any) -> None:
    engagement = engagements.ours  # v1 shares measures and action status
    fill_private_fields(engagement)
    answers = every_get(personas.sponsor, engagement)
    statuses = {path: response.status_code for path, response in answers.items()}
    assert statuses == {
        "": 200,
        "/agreements": 200,
        "/sponsor-needs": 403,
        "/client-needs": 403,
        "/assumptions": 403,
        "/private-notes": 403,
        "/measures": 200,
        "/actions": 200,
        "/audit": 403,
        "list": 200,
    }
    assert [m["name"] for m in answers["/measures"].json()] == ["First-pass yield"]
    latest = answers["/agreements"].json()["versions"][-1]
    assert latest["client_confidential"] is None
    assert latest["has_confidential_clause"] is True
    assert [path for path, response in answers.items() if CANARY.encode() in response.content] == []


def test_the_client_reads_the_confidential_clause(personas: Any, engagements: Any) -> None:
    fill_private_fields(engagements.ours)
    body = get(signed_in(personas.client), f"/engagements/{engagements.ours.pk}/agreements").json()
    assert body["versions"][-1]["client_confidential"] == f"My health {CANARY}"


def test_the_admin_reads_nothing_private(personas: Any, engagements: Any) -> None:
    fill_private_fields(engagements.ours)
    answers = every_get(personas.admin, engagements.ours)
    allowed = {path for path, response in answers.items() if response.status_code == 200}
    assert allowed == {"", "list"}
    assert [path for path, response in answers.items() if CANARY.encode() in response.content] == []


def test_a_pending_version_applies_the_stricter_rules(personas: Any, engagements: Any) -> None:
    engagement = engagements.ours  # v1, signed by all, shares measures and action status
    add_measure(engagement=engagement, by=engagement.coach, name="Lead time")
    sponsor = signed_in(personas.sponsor)
    measures = f"/engagements/{engagement.pk}/measures"
    assert get(sponsor, measures).status_code == 200

    v2 = post(
        signed_in(personas.coach),
        f"/engagements/{engagement.pk}/agreements",
        {"share_measures": False},
    )
    assert v2.status_code == 201
    assert get(sponsor, measures).status_code == 403  # at once, before anyone signs v2
    assert get(sponsor, f"/engagements/{engagement.pk}/actions").status_code == 200

    sign_by_everyone(engagement, 2)
    assert get(sponsor, measures).status_code == 403

    v3 = post(
        signed_in(personas.coach),
        f"/engagements/{engagement.pk}/agreements",
        {"share_targets": True},
    )
    assert v3.status_code == 201
    sharing = get(sponsor, f"/engagements/{engagement.pk}").json()
    assert sharing["sharing"]["pending_shares"] == ["targets", "action_status"]
    assert sharing["sharing"]["sponsor_may_read"] == ["action_status"]
    assert "targets" not in sharing["may_read"]
    assert "measures" not in sharing["may_read"]


def test_a_sponsor_read_is_audited_and_the_client_sees_it(personas: Any, engagements: Any) -> None:
    engagement = engagements.ours
    add_measure(engagement=engagement, by=engagement.coach, name="Lead time")
    assert (
        get(signed_in(personas.sponsor), f"/engagements/{engagement.pk}/measures").status_code
        == 200
    )
    events = get(signed_in(personas.client), f"/engagements/{engagement.pk}/audit").json()
    newest = events[0]
    assert (newest["actor_role"], newest["action"], newest["what"]) == (
        "sponsor",
        "read",
        "measures",
    )
    assert newest["actor_label"] == "Sam Sponsor <sponsor@example.com>"
    assert newest["ip_address"] == "127.0.0.1"
    assert get(signed_in(personas.sponsor), f"/engagements/{engagement.pk}/audit").status_code == (
        403
    )


def test_reads_by_the_coach_and_the_client_are_not_recorded(
    personas: Any, engagements: Any
) -> None:
    before = AuditEvent.objects.count()
    every_get(personas.coach, engagements.ours)
    every_get(personas.client, engagements.ours)
    assert AuditEvent.objects.count() == before


def test_the_audit_log_is_newest_first_and_limited(personas: Any, engagements: Any) -> None:
    path = f"/engagements/{engagements.ours.pk}/audit"
    events = get(signed_in(personas.coach), path).json()
    assert [event["what"] for event in events][-1] == "engagement.opened"
    assert [event["at"] for event in events] == sorted(
        (event["at"] for event in events), reverse=True
    )
    assert len(get(signed_in(personas.coach), path, limit=2).json()) == 2
    assert get(signed_in(personas.coach), path, limit=201).status_code == 422


def test_audit_rows_cannot_be_changed(engagements: Any) -> None:
    event = AuditEvent.objects.filter(engagement=engagements.ours).first()
    assert event is not None
    event.what = "nothing happened"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(what="nothing happened")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(PermissionError):
        event.delete()
    # The database refuses too: a trigger on UPDATE (both engines) and on DELETE (PostgreSQL,
    # where the trigger's RAISE EXCEPTION arrives as a ProgrammingError; SQLite: IntegrityError).
    statements = ["UPDATE core_auditevent SET what = 'x' WHERE id = %s"]
    if connection.vendor == "postgresql":
        statements.append("DELETE FROM core_auditevent WHERE id = %s")
    for sql in statements:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).what != "x"


# --- Needs -------------------------------------------------------------------------


def test_the_schema_offers_each_list_exactly_its_categories() -> None:
    assert typing.get_args(SponsorNeedCategory) == NEED_CATEGORIES[NeedOwner.SPONSOR]
    assert typing.get_args(ClientNeedCategory) == NEED_CATEGORIES[NeedOwner.CLIENT]


def test_needs_are_added_at_the_end_and_moved(personas: Any, engagements: Any) -> None:
    coach = signed_in(personas.coach)
    path = f"/engagements/{engagements.ours.pk}/client-needs"
    for text in ("First", "Second", "Third"):
        response = post(coach, path, {"category": "team_behaviour", "description": text})
        assert response.status_code == 201, response.content
    third = response.json()
    assert (third["owner"], third["position"]) == ("client", 3)
    moved = post(coach, f"{path}/{third['id']}/move", {"position": 1})
    assert [need["description"] for need in moved.json()] == ["Third", "First", "Second"]
    assert [need["description"] for need in get(coach, path).json()] == ["Third", "First", "Second"]
    assert get(coach, f"/engagements/{engagements.ours.pk}/sponsor-needs").json() == []


def test_the_client_writes_their_needs_too(personas: Any, engagements: Any) -> None:
    response = post(
        signed_in(personas.client),
        f"/engagements/{engagements.ours.pk}/sponsor-needs",
        {"category": "quality", "description": "Fewer defects"},
    )
    assert response.status_code == 201
    assert response.json()["written_by"]["name"] == "Casey Client"


def test_a_need_is_changed_only_in_the_fields_sent_and_removed(
    personas: Any, engagements: Any
) -> None:
    coach = signed_in(personas.coach)
    path = f"/engagements/{engagements.ours.pk}/sponsor-needs"
    need = post(coach, path, {"category": "quality", "description": "Fewer defects"}).json()
    changed = send(coach, "patch", f"{path}/{need['id']}", {"category": "customer"})
    assert changed.status_code == 200, changed.content
    assert (changed.json()["category"], changed.json()["description"]) == (
        "customer",
        "Fewer defects",
    )
    removed = send(coach, "delete", f"{path}/{need['id']}")
    assert (removed.status_code, removed.content) == (204, b"")
    assert not Need.objects.filter(pk=need["id"]).exists()


def test_a_need_of_the_other_list_is_not_found(personas: Any, engagements: Any) -> None:
    need = services.add_need(
        engagement=engagements.ours,
        by=engagements.ours.coach,
        owner="client",
        category="quality",
        description="Fewer defects",
    )
    coach = signed_in(personas.coach)
    path = f"/engagements/{engagements.ours.pk}/sponsor-needs/{need.pk}"
    assert send(coach, "patch", path, {"description": "Moved"}).status_code == 404
    assert send(coach, "delete", path).status_code == 404
    assert post(coach, path + "/move", {"position": 1}).status_code == 404
    assert Need.objects.get(pk=need.pk).description == "Fewer defects"


def test_a_category_of_the_other_list_is_a_422_naming_the_field(
    personas: Any, engagements: Any
) -> None:
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagements.ours.pk}/sponsor-needs",
        {"category": "personal_behaviour", "description": "Be calmer"},
    )
    assert fields_of(response) == ["category"]


def test_moving_past_the_end_is_a_422_naming_position(personas: Any, engagements: Any) -> None:
    need = services.add_need(
        engagement=engagements.ours,
        by=engagements.ours.coach,
        owner="sponsor",
        category="quality",
        description="Fewer defects",
    )
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagements.ours.pk}/sponsor-needs/{need.pk}/move",
        {"position": 2},
    )
    assert fields_of(response) == ["position"]


# --- Assumptions and private notes ---------------------------------------------------


def test_assumptions_are_kept_newest_first(personas: Any, engagements: Any) -> None:
    path = f"/engagements/{engagements.ours.pk}/assumptions"
    client = signed_in(personas.client)
    first = post(client, path, {"best_outcome": "A calm team", "strengths": "Listens\nPlans"})
    assert first.status_code == 201, first.content
    assert first.json()["strengths"] == ["Listens", "Plans"]
    post(signed_in(personas.coach), path, {"best_outcome": "A calmer team", "strengths": "Listens"})
    assert [row["best_outcome"] for row in get(client, path).json()] == [
        "A calmer team",
        "A calm team",
    ]


def test_private_notes_are_the_coachs_alone(personas: Any, engagements: Any) -> None:
    path = f"/engagements/{engagements.ours.pk}/private-notes"
    written = post(signed_in(personas.coach), path, {"text": "Seemed tired"})
    assert written.status_code == 201, written.content
    assert [note["text"] for note in get(signed_in(personas.coach), path).json()] == [
        "Seemed tired"
    ]
    for user in (personas.client, personas.sponsor, personas.admin):
        assert get(signed_in(user), path).status_code == 403
        assert post(signed_in(user), path, {"text": "Let me in"}).status_code == 403
    assert get(signed_in(personas.outsider), path).status_code == 404


@pytest.mark.parametrize("text", ["", " \n ", "x" * 10_001])
def test_a_blank_or_huge_note_is_a_422_naming_text(
    personas: Any, engagements: Any, text: str
) -> None:
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagements.ours.pk}/private-notes",
        {"text": text},
    )
    assert fields_of(response) == ["text"]


# --- Measures and actions ------------------------------------------------------------


def test_a_measure_shows_its_latest_value_and_the_last_twenty(
    personas: Any, engagements: Any
) -> None:
    engagement = engagements.ours
    measure = add_measure(engagement=engagement, by=engagement.coach, name="Lead time", unit="d")
    start = timezone.localdate() - datetime.timedelta(days=30)
    for day in range(25):
        record_value(measure=measure, on=start + datetime.timedelta(days=day), value=day)
    [body] = get(signed_in(personas.client), f"/engagements/{engagement.pk}/measures").json()
    assert body["latest"] == {"on": (start + datetime.timedelta(days=24)).isoformat(), "value": 24}
    assert [point["value"] for point in body["recent"]] == list(range(5, 25))


def test_the_coach_adds_a_measure_and_records_values(personas: Any, engagements: Any) -> None:
    coach = signed_in(personas.coach)
    path = f"/engagements/{engagements.ours.pk}/measures"
    measure = post(coach, path, {"name": "Defects", "better": "down"})
    assert measure.status_code == 201, measure.content
    today = timezone.localdate().isoformat()
    value = post(coach, f"{path}/{measure.json()['id']}/values", {"on": today, "value": 3.5})
    assert value.status_code == 201, value.content
    assert get(coach, path).json()[0]["latest"] == {"on": today, "value": 3.5}
    refused = post(signed_in(personas.client), path, {"name": "Mine"})
    assert (
        refused.status_code == 403
    )  # the client reads measures in coaching, writes them in mentoring


def test_a_value_dated_in_the_future_is_a_422_naming_on(personas: Any, engagements: Any) -> None:
    measure = add_measure(engagement=engagements.ours, by=engagements.ours.coach, name="Lead time")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = post(
        signed_in(personas.coach),
        f"/engagements/{engagements.ours.pk}/measures/{measure.pk}/values",
        {"on": tomorrow, "value": 1},
    )
    assert fields_of(response) == ["on"]


@pytest.mark.parametrize("raw", ['{"on": "2026-01-05", "value": NaN}', '{"on": "2026-01-05"}'])
def test_a_value_that_is_not_a_number_is_a_422_naming_value(
    personas: Any, engagements: Any, raw: str
) -> None:
    measure = add_measure(engagement=engagements.ours, by=engagements.ours.coach, name="Lead time")
    response = signed_in(personas.coach).post(
        f"{API}/engagements/{engagements.ours.pk}/measures/{measure.pk}/values",
        raw,
        content_type="application/json",
    )
    assert fields_of(response) == ["value"]


def test_actions_are_added_and_their_status_set(personas: Any, engagements: Any) -> None:
    path = f"/engagements/{engagements.ours.pk}/actions"
    due = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    added = post(signed_in(personas.client), path, {"what": "Run the huddle", "due_on": due})
    assert added.status_code == 201, added.content
    action = added.json()
    assert (action["owner"], action["status"]) == ("client", "open")
    done = send(signed_in(personas.coach), "patch", f"{path}/{action['id']}", {"status": "done"})
    assert done.json()["status"] == "done"
    assert fields_of(
        send(signed_in(personas.coach), "patch", f"{path}/{action['id']}", {"status": "gone"})
    ) == ["status"]
    assert get(signed_in(personas.sponsor), path).json()[0]["status"] == "done"
    assert send(
        signed_in(personas.sponsor), "patch", f"{path}/{action['id']}", {"status": "open"}
    ).status_code == (403)


def test_a_measure_or_action_of_another_engagement_is_not_found_through_ours(
    personas: Any, engagements: Any
) -> None:
    theirs = engagements.theirs
    measure = add_measure(engagement=theirs, by=theirs.coach, name="Their measure")
    action = add_action(
        engagement=theirs,
        by=theirs.coach,
        what="Their action",
        owner="client",
        due_on=timezone.localdate(),
    )
    coach = signed_in(personas.coach)
    ours = f"/engagements/{engagements.ours.pk}"
    today = timezone.localdate().isoformat()
    assert (
        post(coach, f"{ours}/measures/{measure.pk}/values", {"on": today, "value": 1}).status_code
        == 404
    )
    assert (
        send(coach, "patch", f"{ours}/actions/{action.pk}", {"status": "done"}).status_code == 404
    )
    assert not measure.points.exists()
