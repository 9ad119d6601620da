"""All authorization in leancoach.

Every view, API endpoint, export, e-mail and command asks this module for the
objects a user may see or change. The functions either return the object (or a
queryset already scoped to the user) or raise:

* ``NotFound`` (an ``Http404``) when the user may not learn that the object
  exists — an outsider gets the same answer for a real and a made-up id;
* ``Forbidden`` (a ``PermissionDenied``) when the user knows the object exists
  but may not perform the action.

No view, template or service checks a role inline; they call these functions.
Global capabilities live in one table, ``CAPABILITIES``, so who may do what can
be read in one place and tested in a matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from leancoach.core.models import ApiToken
from leancoach.people.models import Person, Team

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from leancoach.core.models import User

    AnyUser = User | AnonymousUser
else:
    AnyUser = Any


class NotFound(Http404):
    """The object does not exist, or the user may not know that it does."""


class Forbidden(PermissionDenied):
    """The user may know the object exists but may not do this."""


def is_signed_in(user: AnyUser) -> bool:
    return bool(user.is_authenticated and user.is_active)


def is_admin(user: AnyUser) -> bool:
    return bool(is_signed_in(user) and user.is_staff)


# Capability -> who has it. Object-level rules are the functions further down.
CAPABILITIES: dict[str, Callable[[AnyUser], bool]] = {
    # The directory holds what an organisation chart shows (name, title, team,
    # manager, work e-mail); everyone with a login may read it.
    "people.browse": is_signed_in,
    "people.import": is_admin,
    "programme.admin": is_admin,
    "profile.manage_tokens": is_signed_in,
}


def can(user: AnyUser, capability: str) -> bool:
    try:
        rule = CAPABILITIES[capability]
    except KeyError:
        raise LookupError(f"Unknown capability {capability!r}; add it to CAPABILITIES.") from None
    return rule(user)


def require(user: AnyUser, capability: str) -> None:
    if not is_signed_in(user):
        raise NotFound()
    if not can(user, capability):
        raise Forbidden(f"You may not {capability.replace('.', ': ').replace('_', ' ')}.")


def person_of(user: AnyUser) -> Person | None:
    if not is_signed_in(user):
        return None
    # A missing reverse one-to-one raises a subclass of AttributeError, so getattr's default applies.
    person: Person | None = getattr(user, "person", None)
    return person


# --- People and teams ------------------------------------------------------


def people_for(user: AnyUser) -> QuerySet[Person]:
    require(user, "people.browse")
    return Person.objects.all()


def get_person(user: AnyUser, pk: int) -> Person:
    try:
        return people_for(user).select_related("team", "manager").get(pk=pk)
    except Person.DoesNotExist:
        raise NotFound() from None


def teams_for(user: AnyUser) -> QuerySet[Team]:
    require(user, "people.browse")
    return Team.objects.all()


def get_team(user: AnyUser, pk: int) -> Team:
    try:
        return teams_for(user).select_related("leader", "parent").get(pk=pk)
    except Team.DoesNotExist:
        raise NotFound() from None


# --- API tokens -------------------------------------------------------------


def tokens_for(user: AnyUser) -> QuerySet[ApiToken]:
    require(user, "profile.manage_tokens")
    return ApiToken.objects.filter(user_id=int(user.pk or 0))


def get_token(user: AnyUser, pk: int) -> ApiToken:
    try:
        return tokens_for(user).get(pk=pk)
    except ApiToken.DoesNotExist:
        raise NotFound() from None


# --- Navigation -------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: str | None = None


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("Home", "home"),
    NavItem("People", "people:directory", "people.browse"),
    NavItem("Teams", "people:team_tree", "people.browse"),
    NavItem("Import people", "people:import", "people.import"),
    NavItem("Profile", "profile"),
)


def navigation_for(user: AnyUser) -> list[NavItem]:
    if not is_signed_in(user):
        return []
    return [item for item in NAVIGATION if item.capability is None or can(user, item.capability)]
