from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from leancoach.core import access

pytestmark = pytest.mark.django_db

EXPECTED = {
    # capability: roles that have it
    "people.browse": {"admin", "coach", "client", "sponsor", "outsider"},
    "people.import": {"admin"},
    "people.manage_logins": {"admin"},
    "programme.admin": {"admin"},
    "profile.manage_tokens": {"admin", "coach", "client", "sponsor", "outsider"},
    "home": {"admin", "coach", "client", "sponsor", "outsider"},
    "engagements.list": {"admin", "coach", "client", "sponsor", "outsider"},
    "engagements.open": {"admin", "coach", "client", "sponsor", "outsider"},
    "engagements.request_mentor": {"admin", "coach", "client", "sponsor", "outsider"},
    "challenges.browse": {"admin", "coach", "client", "sponsor", "outsider"},
    "challenges.manage": {"admin"},
    # Everyone in the directory (the admin persona has a directory entry too).
    "coaching.own_habits": {"admin", "coach", "client", "sponsor", "outsider"},
    "actions.mine": {"admin", "coach", "client", "sponsor", "outsider"},
    "calendar.own_feed": {"admin", "coach", "client", "sponsor", "outsider"},
    "teams.measures": {"admin", "coach", "client", "sponsor", "outsider"},
    # Anyone in the directory may have written private notes, as a coach now or before.
    "notes.own": {"admin", "coach", "client", "sponsor", "outsider"},
}


def test_every_capability_has_an_expectation() -> None:
    assert set(access.CAPABILITIES) == set(EXPECTED)


@pytest.mark.parametrize("capability", sorted(EXPECTED))
def test_who_has_each_capability(personas: Any, capability: str) -> None:
    holders = {role for role, user in personas.all().items() if access.can(user, capability)}
    assert holders == EXPECTED[capability]
    assert not access.can(AnonymousUser(), capability)


def test_a_deactivated_admin_has_nothing(personas: Any) -> None:
    personas.admin.is_active = False
    assert not access.can(personas.admin, "people.import")


def test_signed_out_visitors_find_nothing(personas: Any) -> None:
    with pytest.raises(access.NotFound):
        access.people_for(AnonymousUser())
    with pytest.raises(access.NotFound):
        access.get_person(AnonymousUser(), personas.person("client").pk)


def test_a_forbidden_action_says_what_was_refused(personas: Any) -> None:
    with pytest.raises(access.Forbidden, match="people: import"):
        access.require(personas.coach, "people.import")


def test_an_unknown_capability_is_a_programming_error(personas: Any) -> None:
    with pytest.raises(LookupError):
        access.can(personas.coach, "people.delete_everyone")
