"""An admin disables a login: its sessions end at once and its API tokens are revoked; enabling
it again revives neither. Nobody disables their own login or the last admin (issue 10)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client

from leancoach.core.errors import Conflict
from leancoach.core.models import ApiToken, AuditEvent, LoginSession
from leancoach.core.services import create_api_token
from leancoach.people import services
from leancoach.testing.personas import make_user

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def as_admin(personas: Any) -> Client:
    client = Client()
    client.force_login(personas.admin)
    return client


@pytest.fixture
def coach_browser(personas: Any) -> Client:
    """The coach, signed in and using the site."""
    client = Client()
    client.force_login(personas.coach)
    assert client.get("/").status_code == 200
    return client


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def disable(admin: Client, personas: Any, role: str = "coach") -> Any:
    return admin.post(f"/people/{personas.person(role).pk}/login/disable/", follow=True)


def enable(admin: Client, personas: Any, role: str = "coach") -> Any:
    return admin.post(f"/people/{personas.person(role).pk}/login/enable/", follow=True)


def test_a_disabled_persons_open_session_gets_the_login_page_at_once(
    as_admin: Client, coach_browser: Client, personas: Any
) -> None:
    page = disable(as_admin, personas)
    assert "Cora Coach's login is disabled" in text(page)
    response = coach_browser.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not LoginSession.objects.filter(user=personas.coach).exists()


def test_the_admin_who_disables_stays_signed_in(
    as_admin: Client, coach_browser: Client, personas: Any
) -> None:
    disable(as_admin, personas)
    assert as_admin.get("/").status_code == 200


def test_a_disabled_persons_token_gets_401(as_admin: Client, personas: Any) -> None:
    token, raw = create_api_token(user=personas.coach, name="nightly upload")
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 200
    disable(as_admin, personas)
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_enabling_again_revives_no_old_session_and_no_token(
    as_admin: Client, coach_browser: Client, personas: Any
) -> None:
    _token, raw = create_api_token(user=personas.coach, name="nightly upload")
    disable(as_admin, personas)
    page = enable(as_admin, personas)
    assert "Cora Coach can sign in again" in text(page)
    personas.coach.refresh_from_db()
    assert personas.coach.is_active
    assert coach_browser.get("/").status_code == 302
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401
    fresh = Client()
    fresh.force_login(personas.coach)
    assert fresh.get("/").status_code == 200


def test_a_session_row_knows_its_login(personas: Any) -> None:
    client = Client()
    client.force_login(personas.sponsor)
    session = LoginSession.objects.get(session_key=client.session.session_key)
    assert session.user_id == personas.sponsor.pk


def test_nobody_disables_their_own_login(as_admin: Client, personas: Any) -> None:
    page = disable(as_admin, personas, "admin")
    assert "You cannot disable your own login" in text(page)
    personas.admin.refresh_from_db()
    assert personas.admin.is_active
    assert as_admin.get("/").status_code == 200


def test_the_last_active_admin_is_not_disabled(personas: Any) -> None:
    # Only a caller who is not itself an active admin (a command, or an admin disabled a moment
    # ago) can reach the last admin; see test_two_admins_disabling_each_other_at_once.
    system = make_user("ops@example.com", "Ops Robot")
    with pytest.raises(Conflict, match="last active programme admin"):
        services.disable_login(request=None, person=personas.person("admin"), by=system)
    personas.admin.refresh_from_db()
    assert personas.admin.is_active


def test_another_admin_can_be_disabled_while_one_remains(as_admin: Client, personas: Any) -> None:
    second = make_user("admin2@example.com", "Ada Admin", staff=True)
    as_admin.post(f"/people/{second.person.pk}/login/disable/")
    second.refresh_from_db()
    assert not second.is_active


def test_disable_and_enable_are_in_the_audit_log(as_admin: Client, personas: Any) -> None:
    create_api_token(user=personas.coach, name="nightly upload")
    disable(as_admin, personas)
    enable(as_admin, personas)
    events = list(AuditEvent.objects.filter(what__startswith="login.").order_by("pk"))
    assert [event.what for event in events] == ["login.disabled", "login.enabled"]
    assert all(event.actor == personas.admin for event in events)
    assert "Cora Coach <coach@example.com>" in events[0].detail
    assert "1 API token(s) revoked" in events[0].detail
    assert events[0].what_label == "disabled someone's login"


def test_disabling_twice_changes_nothing_the_second_time(as_admin: Client, personas: Any) -> None:
    disable(as_admin, personas)
    page = disable(as_admin, personas)
    assert "login was already disabled" in text(page)
    assert AuditEvent.objects.filter(what="login.disabled").count() == 1


def test_a_person_without_a_login_has_nothing_to_disable(as_admin: Client, personas: Any) -> None:
    from leancoach.people.models import Person

    nobody = Person.objects.create(email="no.login@example.com", name="No Login")
    page = as_admin.post(f"/people/{nobody.pk}/login/disable/", follow=True)
    assert "No Login has no login to disable" in text(page)


@pytest.mark.parametrize("role", ["coach", "client", "sponsor", "outsider"])
def test_only_an_admin_disables_or_enables(personas: Any, role: str) -> None:
    client = Client()
    client.force_login(getattr(personas, role))
    target = personas.person("admin" if role != "outsider" else "coach").pk
    assert client.post(f"/people/{target}/login/disable/").status_code == 403
    assert client.post(f"/people/{target}/login/enable/").status_code == 403
    assert client.post(f"/api/v1/people/{target}/login/disable").status_code == 403


def test_the_person_page_shows_the_login_controls_only_to_an_admin(
    as_admin: Client, personas: Any
) -> None:
    page = text(as_admin.get(f"/people/{personas.person('coach').pk}/"))
    assert "Disable Cora Coach's login" in page
    own = as_admin.get(f"/people/{personas.person('admin').pk}/").content.decode()
    assert "login/disable" not in own
    assert "This is your own login" in own
    coach = Client()
    coach.force_login(personas.coach)
    assert b'id="login"' not in coach.get(f"/people/{personas.person('client').pk}/").content


def test_the_api_disables_and_enables(as_admin: Client, personas: Any) -> None:
    target = personas.person("coach").pk
    _token, raw = create_api_token(user=personas.coach, name="script")
    disabled = as_admin.post(f"/api/v1/people/{target}/login/disable")
    assert disabled.status_code == 200
    assert disabled.json()["state"] == "disabled"
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401
    enabled = as_admin.post(f"/api/v1/people/{target}/login/enable")
    assert enabled.status_code == 200
    assert enabled.json()["state"] == "invited"  # the coach persona has no password yet
    own = as_admin.post(f"/api/v1/people/{personas.person('admin').pk}/login/disable")
    assert own.status_code == 409
    assert "your own login" in own.json()["detail"]
    assert ApiToken.objects.active().filter(user=personas.coach).count() == 0
