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

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from leancoach.core.models import ApiToken
from leancoach.people.models import Person, Team

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from leancoach.core.models import User
    from leancoach.engagements.models import Engagement
    from leancoach.metrics.models import Measure

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
    # Inviting a person to sign in, disabling and enabling logins: programme admins only.
    "people.manage_logins": is_admin,
    "programme.admin": is_admin,
    "profile.manage_tokens": is_signed_in,
    "home": is_signed_in,
    # Anyone with a directory entry may open a coaching engagement as its coach
    # or ask a mentor; admins may open one for any coach.
    "engagements.list": is_signed_in,
    "engagements.open": lambda user: is_admin(user) or person_of(user) is not None,
    "engagements.request_mentor": lambda user: person_of(user) is not None,
    # The organisation's challenges are strategic and public inside it; admins keep the list.
    "challenges.browse": is_signed_in,
    "challenges.manage": is_admin,
    # A coach's own habits across their clients (ratio, consistency): their own data.
    "coaching.own_habits": lambda user: person_of(user) is not None,
    # One's own actions across engagements, one's own calendar feed and reminder choice.
    "actions.mine": lambda user: person_of(user) is not None,
    "calendar.own_feed": lambda user: person_of(user) is not None,
    # One's own private notes, in every engagement one wrote them in (even after a handover).
    "notes.own": lambda user: person_of(user) is not None,
    # A team's measures are its KPI board, visual management: public inside the organisation
    # like the team pages. Who keeps them is an object-level rule (TEAM_WRITERS).
    "teams.measures": is_signed_in,
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


def get_person_for_logins(user: AnyUser, pk: int) -> Person:
    """A person whose login ``user`` may manage (invite, disable, enable), or NotFound / Forbidden.
    Whether a given login may be disabled (not one's own, not the last admin) is decided under a
    lock by ``people.services.disable_login``."""
    require(user, "people.manage_logins")
    try:
        return Person.objects.select_related("user").get(pk=pk)
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


# What a token of scope "read" may send: nothing that changes anything.
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def require_token_scope(token: ApiToken, method: str) -> None:
    if token.scope == ApiToken.Scope.READ and method.upper() not in READ_ONLY_METHODS:
        raise Forbidden(
            f"This token's scope is “read”: it may only read (GET, HEAD), not {method.upper()}. "
            "Create a token with the scope “read_write” on your profile page to make changes."
        )


def refuse_api_tokens(request: HttpRequest) -> None:
    """Token management answers only to the browser session (with CSRF).

    So a stolen token can neither mint more tokens to outlive its revocation nor
    list the others. A bearer header is refused before it is even looked up.
    """
    if request.headers.get("Authorization", "")[:7].lower() == "bearer ":
        raise Forbidden(
            "API tokens cannot create, list or revoke tokens; manage them on your profile "
            "page, or through the API with your browser session."
        )


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
    NavItem("Engagements", "engagements:list", "engagements.list"),
    NavItem("Challenges", "cycle:challenges", "challenges.browse"),
    NavItem("My actions", "meetings:my_actions", "actions.mine"),
    NavItem("Programme", "reports:programme", "programme.admin"),
    NavItem("Who has seen my data", "engagements:my_audit", "engagements.list"),
    NavItem("My private notes", "engagements:my_notes", "notes.own"),
    NavItem("Import people", "people:import", "people.import"),
    NavItem("Profile", "profile"),
)


def navigation_for(user: AnyUser) -> list[NavItem]:
    if not is_signed_in(user):
        return []
    return [item for item in NAVIGATION if item.capability is None or can(user, item.capability)]


# --- Engagements: the one table of who sees and changes what -----------------


class Role(StrEnum):
    COACH = "coach"  # the mentor, in mentoring
    CLIENT = "client"  # the mentee, in mentoring
    SPONSOR = "sponsor"
    ADMIN = "admin"  # a programme admin with no part in this engagement
    NONE = "none"  # anyone else: sees nothing, not even that it exists


class Category(StrEnum):
    SUMMARY = "summary"  # that it exists: kind, status, dates, who takes part
    DETAILS = "details"  # coaching model, zones, cadence, focus, lifecycle history
    LIFECYCLE = "lifecycle"  # moving it proposed → active → paused → closed
    ROLES = "roles"  # who is coach and sponsor
    AGREEMENT = "agreement"  # the terms and signatures
    SIGNATURE = "signature"  # signing, each party for themselves
    CONFIDENTIAL = "confidential"  # what the client asked to keep confidential
    SPONSOR_NEEDS = "sponsor_needs"
    CLIENT_NEEDS = "client_needs"
    ASSUMPTIONS = "assumptions"  # best outcome and strengths
    PRIVATE_NOTES = "private_notes"  # the coach's own notes: never shared
    MEASURES = "measures"
    TARGETS = "targets"
    ACTION_STATUS = "action_status"
    MEETING_SUMMARIES = "meeting_summaries"
    MEETINGS = "meetings"  # the schedule, each meeting's agenda built from the data
    MEETING_NOTES = (
        "meeting_notes"  # notes shared between coach and client; Kata experiments, obstacles
    )
    OBSERVATIONS = "observations"
    PRACTICE = "practice"  # pinpointed behaviours, skill chains, practice commitments and logs
    SURVEY_RESULTS = "survey_results"
    CURRENT_CONDITION = "current_condition"  # dated snapshots: measures, behaviour, landscape
    AUDIT = "audit"  # who has read or changed what
    CONSENT = "consent"  # who is asked to take part and their answers; each answers for themselves
    ROLE_CHANGES = "role_changes"  # a proposed new coach or sponsor: the client answers


READ, WRITE = "read", "write"
AGREED = "agreed"  # read, only if the signed agreement shares it (sponsor only)
R, RW = frozenset({READ}), frozenset({READ, WRITE})
NO: frozenset[str] = frozenset()

# Categories the agreement can share with a sponsor (names match SharingCategory).
SHAREABLE = (
    Category.MEASURES,
    Category.TARGETS,
    Category.ACTION_STATUS,
    Category.MEETING_SUMMARIES,
    Category.OBSERVATIONS,
    Category.SURVEY_RESULTS,
)

_c, _cl, _s, _a = Role.COACH, Role.CLIENT, Role.SPONSOR, Role.ADMIN
ACCESS_TABLE: dict[Category, dict[Role, frozenset[str] | str]] = {
    Category.SUMMARY: {_c: R, _cl: R, _s: R, _a: R},
    Category.DETAILS: {_c: RW, _cl: R, _s: R},
    Category.LIFECYCLE: {_c: RW, _cl: R, _s: R, _a: RW},
    Category.ROLES: {_c: RW, _cl: R, _s: R, _a: RW},
    Category.AGREEMENT: {_c: RW, _cl: R, _s: R},
    Category.SIGNATURE: {_c: RW, _cl: RW, _s: RW},
    Category.CONFIDENTIAL: {_c: RW, _cl: R},
    # The coach writes the sponsor's needs down after asking the sponsor; the
    # sponsor reads only the agreement and what it shares ("nothing else").
    Category.SPONSOR_NEEDS: {_c: RW, _cl: RW},
    Category.CLIENT_NEEDS: {_c: RW, _cl: RW},
    Category.ASSUMPTIONS: {_c: RW, _cl: RW},
    Category.PRIVATE_NOTES: {_c: RW},
    Category.MEASURES: {_c: RW, _cl: R, _s: AGREED},
    Category.TARGETS: {_c: RW, _cl: R, _s: AGREED},
    Category.ACTION_STATUS: {_c: RW, _cl: RW, _s: AGREED},
    Category.MEETING_SUMMARIES: {_c: RW, _cl: RW, _s: AGREED},
    # The coach keeps the schedule; coach and client both write the shared notes. The
    # sponsor reads meetings only as their summaries, and only if the agreement shares them.
    Category.MEETINGS: {_c: RW, _cl: R},
    Category.MEETING_NOTES: {_c: RW, _cl: RW},
    Category.OBSERVATIONS: {_c: RW, _cl: R, _s: AGREED},
    # The client's own practice: shaped with the coach, in no agreement category.
    Category.PRACTICE: {_c: RW, _cl: RW},
    Category.SURVEY_RESULTS: {_c: R, _cl: R, _s: AGREED},
    Category.CURRENT_CONDITION: {_c: RW, _cl: R},
    Category.AUDIT: {_c: R, _cl: R},
    Category.CONSENT: {_c: RW, _cl: RW, _s: RW, _a: R},
    Category.ROLE_CHANGES: {_c: R, _cl: RW, _s: R, _a: R},
}

# Mentoring is chosen by the mentee and more open: the mentee shapes the
# agreement and the measures with the mentor. Private notes stay the mentor's.
MENTORING_OVERRIDES: dict[Category, dict[Role, frozenset[str] | str]] = {
    Category.AGREEMENT: {_cl: RW},
    Category.CONFIDENTIAL: {_cl: RW},
    Category.MEASURES: {_cl: RW},
    Category.TARGETS: {_cl: RW},
    Category.OBSERVATIONS: {_cl: RW},
    Category.MEETINGS: {_cl: RW},
}


def rule_for(kind: str, category: Category, role: Role) -> frozenset[str] | str:
    if kind == "mentoring" and role in MENTORING_OVERRIDES.get(category, {}):
        return MENTORING_OVERRIDES[category][role]
    return ACCESS_TABLE[category].get(role, NO)


def allowed(kind: str, category: Category, role: Role, action: str, grants: frozenset[str]) -> bool:
    rule = rule_for(kind, category, role)
    if rule == AGREED:
        return action == READ and category.value in grants
    return action in rule


# Coach and client are the coaching; every read by anyone else, whatever role they reach the
# engagement through, is written to the audit log (the client reads it).
UNAUDITED_ROLES = (Role.COACH, Role.CLIENT)
AUDITED_ROLES = tuple(role for role in Role if role not in UNAUDITED_ROLES)


def may_open_for(user: AnyUser, coach: Person) -> bool:
    """Anyone may open an engagement they coach; only an admin opens one for another coach."""
    me = person_of(user)
    return (me is not None and me.pk == coach.pk) or is_admin(user)


def details_in_lists(engagement: Engagement, role: Role) -> bool:
    """Lists record no reads, so they carry details only for roles whose reads are not audited;
    a sponsor reads the details on the engagement itself, where the read is recorded."""
    return role not in AUDITED_ROLES and allowed(
        engagement.kind, Category.DETAILS, role, READ, frozenset()
    )


def role_in(user: AnyUser, engagement: Engagement) -> Role:
    person = person_of(user)
    if person is not None:
        if person.pk == engagement.coach_id:
            return Role.COACH
        if person.pk == engagement.client_id:
            return Role.CLIENT
        if person.pk == engagement.sponsor_id:
            return Role.SPONSOR
    if is_admin(user):
        return Role.ADMIN
    return Role.NONE


@dataclass
class EngagementAccess:
    """An engagement as one user may use it during one request.

    Built fresh on every request (no cache), so a changed agreement or role
    applies to the very next request.
    """

    engagement: Engagement
    role: Role
    grants: frozenset[str]
    request: HttpRequest | None = None
    viewer: Person | None = None
    _revealed: set[str] = field(default_factory=set)

    def can(self, category: Category, action: str = READ) -> bool:
        return allowed_on(self.engagement, category, self.role, action, self.grants)

    def require(self, category: Category, action: str = READ) -> None:
        if not self.can(category, action):
            raise Forbidden(
                f"As {self.role.value} you may not {action} {category.value.replace('_', ' ')}."
            )

    @property
    def sees_own_ratio_across_clients(self) -> bool:
        """The coach sees their own reinforcement ratio over all their clients (their own data)."""
        return self.role == Role.COACH

    def reveal(self, categories: Iterable[Category]) -> set[Category]:
        """The categories this user may read, among those asked for; records the read.

        Pages and endpoints get what they may show only through here, so a
        sponsor's or admin's read is always in the audit log.
        """
        readable = {category for category in categories if self.can(category)}
        new = {category for category in readable if category.value not in self._revealed}
        if new and self.role in AUDITED_ROLES and self.request is not None:
            from leancoach.core.audit import record_reads

            record_reads(
                self.request,
                engagement=self.engagement,
                role=self.role.value,
                categories=[c.value for c in new],
            )
        self._revealed |= {category.value for category in new}
        return readable


# --- Every field has exactly one category ------------------------------------
#
# What a viewer reads of a row is decided field by field, by this one map: the API's output
# schemas (``core.schemas.Disclosed``) and the pages (``disclose``) both go through it, so a
# target names its measure only to someone who may read measures, and an observation shows
# its behaviour's words only to someone who may read behaviours (practice). A field missing
# from the map cannot be shown: the schema test fails and a page raises ``UnmappedField``.


@dataclass(frozen=True)
class ByValue:
    """A field whose category depends on another field of the same row: a meeting note
    belongs to the category of its visibility, an agenda fact to the category it comes from."""

    field: str
    categories: dict[str, Category]

    def category_of(self, value: Any) -> Category | None:
        return self.categories.get(str(value))


FieldCategory = Category | ByValue


def _all(category: FieldCategory, *names: str) -> dict[str, FieldCategory]:
    return dict.fromkeys(names, category)


_C = Category
_NOTE_VISIBILITY = ByValue(
    "visibility",
    {
        "shared": _C.MEETING_NOTES,
        "summary": _C.MEETING_SUMMARIES,
        "private": _C.PRIVATE_NOTES,
    },
)
_FACT_SOURCE = ByValue("category", {c.value: c for c in Category})
_PERSON = ("id", "name")

FIELDS: dict[str, dict[str, FieldCategory]] = {
    "engagement": {
        **_all(
            _C.SUMMARY,
            "id",
            "kind",
            "status",
            "awaiting_mentor",
            "awaiting_consent",
            "created_at",
            "status_changed_at",
            "accepted_at",
            "coach",
            "client",
            "sponsor",
            "my_role",
            "may_read",
            "may_write",
            "get_kind_display",
            "get_status_display",
            "is_awaiting_mentor",
        ),
        **_all(
            _C.DETAILS,
            "details",
            "focus",
            "coaching_model",
            "get_coaching_model_display",
            "zones",
            "cadence",
            "get_cadence_display",
            "challenge",
        ),
        "sharing": _C.AGREEMENT,
    },
    "agreements": _all(
        _C.AGREEMENT,
        "required_roles",
        "in_force_version",
        "pending_version",
        "sponsor_may_read",
        "versions",
    ),
    "agreement": {
        **_all(
            _C.AGREEMENT,
            "version",
            "created_by",
            "created_at",
            "share_measures",
            "share_targets",
            "share_action_status",
            "share_meeting_summaries",
            "share_observations",
            "share_survey_results",
            "sponsor_expects_feedback",
            "has_confidential_clause",
            "cadence",
            "coach_commitments",
            "client_commitments",
            "sponsor_commitments",
            "signatures",
            "missing_roles",
        ),
        # The client's words; that a clause exists is part of the agreement.
        "client_confidential": _C.CONFIDENTIAL,
    },
    "sponsor_need": _all(
        _C.SPONSOR_NEEDS,
        "id",
        "owner",
        "category",
        "description",
        "position",
        "written_by",
        "written_at",
    ),
    "client_need": _all(
        _C.CLIENT_NEEDS,
        "id",
        "owner",
        "category",
        "description",
        "position",
        "written_by",
        "written_at",
    ),
    "assumptions": _all(
        _C.ASSUMPTIONS, "id", "best_outcome", "strengths", "written_by", "written_at"
    ),
    "private_note": _all(
        _C.PRIVATE_NOTES, "id", "text", "author", "written_at", "engagement_id", "meeting_id"
    ),
    "measure": _all(
        _C.MEASURES,
        "id",
        "name",
        "unit",
        "better",
        "frequency",
        "created_at",
        "latest",
        "recent",
    ),
    "consent": _all(_C.CONSENT, "role", "person", "answer", "asked_at", "answered_at", "reason"),
    "role_proposal": _all(
        _C.ROLE_CHANGES,
        "id",
        "engagement_id",
        "role",
        "person",
        "replaces",
        "proposed_by",
        "proposed_by_role",
        "reason",
        "proposed_at",
        "answer",
        "answered_at",
        "answered_by",
        "answer_reason",
    ),
    "audit_event": _all(
        _C.AUDIT, "at", "actor_label", "actor_role", "action", "what", "detail", "ip_address"
    ),
    "behaviour": _all(_C.PRACTICE, "id", "text", "archived", "created_by", "created_at", "hints"),
    "commitment": _all(
        _C.PRACTICE,
        "id",
        "behaviour",
        "when",
        "where",
        "recurrence",
        "count_target",
        "starts_on",
        "ends_on",
        "created_at",
        "weeks",
    ),
    "observations": _all(_C.OBSERVATIONS, "ratio", "observations"),
    "observation": {
        **_all(
            _C.OBSERVATIONS,
            "id",
            "on",
            "performance",
            "get_performance_display",
            "response",
            "get_response_display",
            "context",
            "words",
            "observer",
            "recorded_at",
        ),
        # What was observed is a pinpointed behaviour or a skill chain: practice, which the
        # agreement never shares; the sponsor reads how it went and how the coach responded.
        "behaviour": _C.PRACTICE,
        "skill": _C.PRACTICE,
    },
    "target": {
        **_all(
            _C.TARGETS,
            "id",
            "kind",
            "get_kind_display",
            "target_value",
            "value_words",
            "rate",
            "rate_words",
            "rate_period",
            "get_rate_period_display",
            "by_date",
            "expected",
            "actual",
            "learned",
            "status",
            "get_status_display",
            "created_by",
            "created_at",
            "closed_at",
        ),
        "measure": _C.MEASURES,
        "behaviour": _C.PRACTICE,
    },
    "skill": _all(_C.PRACTICE, "id", "name", "fluency_threshold", "steps", "chain", "created_at"),
    "current_condition": _all(
        _C.CURRENT_CONDITION,
        "id",
        "on",
        "measures_state",
        "observed_behaviour",
        "external_conditions",
        "priorities",
        "recorded_by",
    ),
    "meeting": _all(
        _C.MEETINGS,
        "id",
        "engagement_id",
        "starts_at",
        "planned_starts_at",
        "duration_minutes",
        "location",
        "status",
        "sequence",
        "frozen",
        "since",
        "agenda",
    ),
    "agenda_item": _all(_C.MEETINGS, "key", "title", "prompt", "facts", "notes"),
    "fact": _all(_FACT_SOURCE, "category", "text", "tone"),
    "note": _all(_NOTE_VISIBILITY, "id", "item", "visibility", "text", "author", "written_at"),
    "summary": _all(_C.MEETING_SUMMARIES, "meeting_id", "starts_at", "notes"),
    "action": {
        **_all(
            _C.ACTION_STATUS,
            "id",
            "engagement_id",
            "what",
            "owner",
            "due_on",
            "check_back_on",
            "status",
            "confirmed_at",
            "created_by",
            "created_at",
        ),
        # Which meeting an action was agreed in is part of the meetings.
        "meeting_id": _C.MEETINGS,
    },
    "action_change": _all(_C.ACTION_STATUS, "field", "old", "new", "by", "at"),
    "obstacle": _all(_C.MEETING_NOTES, "id", "text", "status", "created_at"),
    "experiment": {
        **_all(
            _C.MEETING_NOTES,
            "id",
            "obstacle_id",
            "step",
            "expected",
            "happened",
            "learned",
            "created_at",
            "reflected_at",
        ),
        "meeting_id": _C.MEETINGS,
    },
}


class UnmappedField(Exception):
    """A page or schema asked for a field that ``FIELDS`` does not classify (a bug: fail loudly)."""


class Viewer:
    """Anything that says which categories it may read: an ``EngagementAccess``, or a fixed set."""

    def can(self, category: Category, action: str = READ) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class ReadsOnly(Viewer):
    """A viewer that reads exactly these categories (for a list across engagements)."""

    categories: frozenset[Category]

    def can(self, category: Category, action: str = READ) -> bool:
        return action == READ and category in self.categories


NOBODY = ReadsOnly(frozenset())


def field_category(subject: str, name: str, row: Any) -> Category | None:
    """The category of ``subject``'s field ``name`` on ``row`` (a model, a dict or a schema)."""
    try:
        category = FIELDS[subject][name]
    except KeyError:
        raise UnmappedField(f"{subject}.{name} has no category in access.FIELDS") from None
    if isinstance(category, ByValue):
        value = row.get(category.field) if isinstance(row, dict) else getattr(row, category.field)
        return category.category_of(value)
    return category


def may_read_field(viewer: Any, subject: str, name: str, row: Any) -> bool:
    category = field_category(subject, name, row)
    return category is not None and bool(viewer.can(category))


class Disclosed:
    """A row as one viewer may read it, for templates: a field of a category the viewer may
    not read is None (the template prints nothing); a field not in ``FIELDS`` raises."""

    __slots__ = ("_row", "_subject", "_viewer")

    def __init__(self, viewer: Any, subject: str, row: Any) -> None:
        if subject not in FIELDS:
            raise UnmappedField(f"{subject!r} is not a subject of access.FIELDS")
        self._viewer, self._subject, self._row = viewer, subject, row

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if not may_read_field(self._viewer, self._subject, name, self._row):
            return None
        return getattr(self._row, name)

    @property
    def pk(self) -> Any:
        return self._row.pk


def disclose(viewer: Any, subject: str, rows: Iterable[Any]) -> list[Disclosed]:
    return [Disclosed(viewer, subject, row) for row in rows]


# The viewer of this request's engagement, for output schemas validated after the view returns.
_DISCLOSURE_ATTR = "leancoach_disclosure"


def _remember_disclosure(request: HttpRequest | None, viewer: Viewer | EngagementAccess) -> None:
    if request is not None:
        setattr(request, _DISCLOSURE_ATTR, viewer)


def read_as(request: HttpRequest, categories: Iterable[Category]) -> None:
    """For a list across engagements in which the user holds a role that reads ``categories``."""
    _remember_disclosure(request, ReadsOnly(frozenset(categories)))


def disclosure_for(request: HttpRequest | None) -> Any:
    """Who reads this response: the engagement opened in this request, or nobody (fail closed)."""
    return getattr(request, _DISCLOSURE_ATTR, NOBODY) if request is not None else NOBODY


def engagements_for(user: AnyUser) -> QuerySet[Engagement]:
    """Engagements the user takes part in; admins see all of them (summaries only)."""
    from leancoach.engagements.models import Engagement

    require(user, "engagements.list")
    if is_admin(user):
        return Engagement.objects.all()
    person = person_of(user)
    if person is None:
        return Engagement.objects.none()
    return Engagement.objects.filter(Q(coach=person) | Q(client=person) | Q(sponsor=person))


def open_engagement(
    request: HttpRequest, pk: int, category: Category = Category.SUMMARY, action: str = READ
) -> EngagementAccess:
    """The engagement with its access for this request, or NotFound / Forbidden."""
    from leancoach.engagements.models import Engagement
    from leancoach.engagements.selectors import sponsor_grants

    user = request.user
    if not is_signed_in(user):
        raise NotFound()
    try:
        engagement = Engagement.objects.select_related(
            "coach", "client", "sponsor", "challenge"
        ).get(pk=pk)
    except Engagement.DoesNotExist:
        raise NotFound() from None
    role = role_in(user, engagement)
    if role == Role.NONE:
        raise NotFound()
    grants = sponsor_grants(engagement) if role == Role.SPONSOR else frozenset()
    access = EngagementAccess(
        engagement=engagement, role=role, grants=grants, request=request, viewer=person_of(user)
    )
    access.require(category, action)
    _remember_disclosure(request, access)
    if action == READ:
        access.reveal([category])
    return access


def may_be_mailed_about(
    person: Person, engagement: Engagement, category: Category, action: str = READ
) -> bool:
    """Whether an e-mail about ``category`` may go to ``person`` (e-mails obey the same table)."""
    from leancoach.engagements.selectors import sponsor_grants

    user = person.user
    if user is None or not user.is_active:
        return False
    role = role_in(user, engagement)
    grants = sponsor_grants(engagement) if role == Role.SPONSOR else frozenset()
    return allowed_on(engagement, category, role, action, grants)


def may_receive(person: Person, engagement: Engagement, category: Category) -> bool:
    """Whether a calendar feed may carry ``category`` of ``engagement`` to ``person``
    (feeds obey the same table as pages and e-mails)."""
    return may_be_mailed_about(person, engagement, category)


# --- Private notes: read by their author, and nobody else --------------------
#
# A private note is not engagement content that a role reads: it is its author's. A later
# coach, an admin who reaches a role, the client, the sponsor, an export — none of them reads
# it. These are the only ways to read PrivateNote rows (a test fails if another module does).


def private_notes_in(ea: EngagementAccess) -> QuerySet[Any]:
    """The private notes of this engagement written by the viewer (only the coach writes them)."""
    from leancoach.engagements.models import PrivateNote

    ea.require(Category.PRIVATE_NOTES)
    if ea.viewer is None:
        return PrivateNote.objects.none()
    return PrivateNote.objects.filter(engagement=ea.engagement, author=ea.viewer)


def my_private_notes(user: AnyUser) -> QuerySet[Any]:
    """Every private note the user wrote, in any engagement, whatever role they hold now:
    a coach who handed an engagement over keeps their own notes (docs/decisions.md)."""
    from leancoach.engagements.models import PrivateNote

    require(user, "notes.own")
    return PrivateNote.objects.filter(author=person_of(user))


def get_my_private_note(user: AnyUser, pk: int) -> Any:
    try:
        return my_private_notes(user).select_related("engagement").get(pk=pk)
    except ObjectDoesNotExist:
        raise NotFound() from None


# --- The action log: who may change what ------------------------------------


def my_actions(user: AnyUser) -> QuerySet[Any]:
    """The actions a person owns: as client, those owned by the client; as coach, the coach's."""
    from leancoach.meetings.models import ActionItem

    require(user, "actions.mine")
    person = person_of(user)
    return ActionItem.objects.filter(
        Q(engagement__client=person, owner="client") | Q(engagement__coach=person, owner="coach")
    )


def engagements_in_role(
    user: AnyUser, role: Role, categories: Iterable[Category]
) -> QuerySet[Engagement]:
    """The engagements where ``user`` holds ``role`` and may read every one of ``categories``
    (for the home pages, which gather meetings, actions and practice across engagements)."""
    from leancoach.engagements.models import Engagement, Kind

    person = person_of(user)
    if person is None or role not in (Role.COACH, Role.CLIENT):
        return Engagement.objects.none()
    kinds = [
        kind
        for kind in Kind.values
        if all(allowed(kind, category, role, READ, frozenset()) for category in categories)
    ]
    field = "coach" if role == Role.COACH else "client"
    # A proposal nobody has agreed to yet holds no coaching content (see ``allowed_on``).
    return Engagement.objects.filter(**{field: person}, kind__in=kinds, accepted_at__isnull=False)


def feed_owner(raw_token: str) -> Person:
    """The person whose calendar-feed secret this is; NotFound for a revoked or unknown one.

    The feed URL is its own credential (calendar programs cannot log in)."""
    from leancoach.core.models import hash_token
    from leancoach.meetings.models import FeedToken

    token = (
        FeedToken.objects.filter(key_hash=hash_token(raw_token), revoked_at__isnull=True)
        .select_related("person__user")
        .first()
    )
    if token is None or token.person.user is None or not token.person.user.is_active:
        raise NotFound()
    return token.person


class ActionChangeKind(StrEnum):
    ADD = "add"
    DONE = "done"  # mark done, or open again while the coach has not confirmed
    CONFIRM = "confirm"  # the coach confirms a done action
    EDIT = "edit"  # what, owner, agreed date, check-back date, any status


def may_change_action(ea: EngagementAccess, action: Any, kind: ActionChangeKind) -> bool:
    """The coach keeps the log; the client adds actions and marks their own done, which the
    coach then confirms (issue 5: "The client can mark their own actions done; the coach confirms")."""
    if not ea.can(Category.ACTION_STATUS, WRITE):
        return False
    if ea.role == Role.COACH:
        return True
    if ea.role != Role.CLIENT:
        return False
    if kind == ActionChangeKind.ADD:
        return True
    if kind == ActionChangeKind.DONE:
        return action is not None and action.owner == "client" and action.confirmed_at is None
    return False


def require_action_change(ea: EngagementAccess, action: Any, kind: ActionChangeKind) -> None:
    if not may_change_action(ea, action, kind):
        if kind == ActionChangeKind.DONE and ea.role == Role.CLIENT:
            raise Forbidden(
                "You may mark your own actions done until the coach has confirmed them."
            )
        raise Forbidden(f"As {ea.role.value} you may not {kind.value} this action.")


T = TypeVar("T")


def get_part(access: EngagementAccess, queryset: QuerySet[Any], pk: int) -> Any:
    """A row (need, note, measure …) that belongs to this engagement, or NotFound."""
    try:
        return queryset.get(pk=pk, engagement=access.engagement)
    except queryset.model.DoesNotExist:
        raise NotFound() from None


# --- Consent: proposals, and who answers them (issue 10) ---------------------------
#
# An engagement opened for others is a *proposal* until every party it names has agreed to
# take part (``Engagement.accepted_at``; the opener's own consent is implicit). A new coach
# or sponsor is a proposal until the client accepts it; until then the proposed person has
# no role, so they get 404 like anyone else. Every rule about who answers what is here.

# What a proposal already has: who is asked and their answers, the terms being drafted and
# signed, the lifecycle (to close it), the roles and the audit. Nothing else can be read or
# written until every party has agreed: no coaching content about a person exists without
# their consent.
BEFORE_CONSENT = frozenset(
    {
        Category.SUMMARY,
        Category.DETAILS,
        Category.LIFECYCLE,
        Category.ROLES,
        Category.AGREEMENT,
        Category.SIGNATURE,
        Category.CONFIDENTIAL,
        Category.CONSENT,
        Category.ROLE_CHANGES,
        Category.AUDIT,
    }
)


def allowed_on(
    engagement: Engagement, category: Category, role: Role, action: str, grants: frozenset[str]
) -> bool:
    """``allowed``, for one engagement as it is now: a proposal nobody has agreed to yet
    offers only ``BEFORE_CONSENT``."""
    if engagement.accepted_at is None and category not in BEFORE_CONSENT:
        return False
    return allowed(engagement.kind, category, role, action, grants)


def may_answer_consent(engagement: Engagement, consent: Any, person: Person) -> bool:
    """Only the person asked answers, as the role they were asked for and still hold."""
    return (
        consent.person_id == person.pk
        and engagement.person_in_role(consent.role) == person.pk
        and allowed_on(engagement, Category.CONSENT, Role(consent.role), WRITE, frozenset())
    )


def may_answer_role_change(engagement: Engagement, person: Person) -> bool:
    """The client answers a proposed new coach or sponsor: it is their coaching and their data."""
    return person.pk == engagement.client_id and allowed_on(
        engagement, Category.ROLE_CHANGES, Role.CLIENT, WRITE, frozenset()
    )


def may_be_proposed(by: Person | None, role: str, person: Person | None) -> str | None:
    """Why ``by`` may not propose ``person`` for ``role``, or None.

    Nobody proposes themselves: otherwise an admin (who may propose, and who never reads
    coaching content) could make themselves coach and read what only the coach reads.
    """
    if by is not None and person is not None and by.pk == person.pk:
        return (
            f"You cannot propose yourself as {role}: ask the client's coach or another "
            "programme admin, and the client decides."
        )
    return None


def waiting_for(person: Person | None) -> QuerySet[Engagement]:
    """The engagements (not closed) where something waits for ``person``: their answer to a
    proposal (``my_consent_pending``), the client's answer to a proposed new coach or sponsor
    (``role_change_pending``), or their signature on the newest agreement version
    (``newest_version`` set and ``newest_signed`` false). One query, for the home page and
    the reminder digest; ``my_role`` says which part the person has. Someone whose own
    answer is due signs after answering (``services.sign_agreement``)."""
    from django.db.models import Case, CharField, Exists, OuterRef, Subquery, Value, When

    from leancoach.engagements.models import (
        Agreement,
        Answer,
        Consent,
        Engagement,
        RoleProposal,
        Signature,
        Status,
    )

    if person is None:
        return Engagement.objects.none()
    newest = Agreement.objects.filter(engagement=OuterRef("pk")).order_by("-version")
    return (
        Engagement.objects.filter(Q(coach=person) | Q(client=person) | Q(sponsor=person))
        .exclude(status=Status.CLOSED)
        .annotate(
            my_role=Case(
                When(coach=person, then=Value("coach")),
                When(client=person, then=Value("client")),
                default=Value("sponsor"),
                output_field=CharField(),
            ),
            my_consent_pending=Exists(
                Consent.objects.filter(
                    engagement=OuterRef("pk"), person=person, answer=Answer.PENDING
                )
            ),
            role_change_pending=Exists(
                RoleProposal.objects.filter(
                    engagement=OuterRef("pk"), engagement__client=person, answer=Answer.PENDING
                )
            ),
            newest_version=Subquery(newest.values("version")[:1]),
            newest_signed=Exists(
                Signature.objects.filter(
                    agreement__engagement=OuterRef("pk"),
                    agreement__version=OuterRef("newest_version"),
                    person=person,
                    role=OuterRef("my_role"),
                )
            ),
        )
        .filter(
            Q(my_consent_pending=True)
            | Q(role_change_pending=True)
            | Q(newest_version__isnull=False, newest_signed=False)
        )
        .select_related("coach", "client", "sponsor", "requested_by")
        .order_by("-created_at", "-id")
    )


def role_changes_for(person: Person | None) -> QuerySet[Any]:
    """The proposed new coaches and sponsors waiting for ``person``'s answer, as client."""
    from leancoach.engagements.models import Answer, RoleProposal, Status

    if person is None:
        return RoleProposal.objects.none()
    return (
        RoleProposal.objects.filter(engagement__client=person, answer=Answer.PENDING)
        .exclude(engagement__status=Status.CLOSED)
        .select_related("engagement__client", "person", "replaces")
        .order_by("-proposed_at", "-id")
    )


# --- Team measures: a team's KPI board ----------------------------------------


def may_keep_team_measures(user: AnyUser, team: Team) -> bool:
    """Adding measures, recording values, uploading them, starting baselines.

    For the team's leader, anyone above the leader in the management chain, and
    programme admins. A team without a leader is kept by admins only.
    """
    if is_admin(user):
        return True
    me = person_of(user)
    if me is None or team.leader_id is None:
        return False
    if me.pk == team.leader_id:
        return True
    from leancoach.people.selectors import manager_ids_above

    return me.pk in manager_ids_above(team.leader_id)


# Object-level rules on a team, by capability: who may write. Reading needs the capability only.
TEAM_WRITERS: dict[str, Callable[[AnyUser, Team], bool]] = {
    "teams.measures": may_keep_team_measures,
}


def team_allows(user: AnyUser, team: Team, capability: str, action: str = READ) -> bool:
    """Whether the user may ``action`` (read or write) what ``capability`` covers on ``team``."""
    if not can(user, capability):
        return False
    return action == READ or TEAM_WRITERS[capability](user, team)


def open_team_measures(user: AnyUser, team_pk: int, action: str = READ) -> Team:
    """The team whose measures the user reads (or keeps), or NotFound / Forbidden."""
    team = get_team(user, team_pk)
    if not team_allows(user, team, "teams.measures", action):
        raise Forbidden(
            "Only the team's leader, the managers above them and programme admins keep its measures."
        )
    return team


def team_measures_for(user: AnyUser, team: Team) -> QuerySet[Measure]:
    from leancoach.metrics.models import Measure

    require(user, "teams.measures")
    return Measure.objects.filter(team=team)


def team_measure_of(user: AnyUser, team: Team, measure_pk: int) -> Measure:
    """A measure of this (already opened) team, or NotFound: another team's or an engagement's too."""
    from leancoach.metrics.models import Measure

    try:
        measure = team_measures_for(user, team).get(pk=measure_pk)
    except Measure.DoesNotExist:
        raise NotFound() from None
    measure.team = team
    return measure


def get_team_measure(user: AnyUser, team_pk: int, measure_pk: int, action: str = READ) -> Measure:
    """A measure of the team in the URL, for reading or keeping, or NotFound / Forbidden."""
    return team_measure_of(user, open_team_measures(user, team_pk, action), measure_pk)


# --- Route rules: what every page and endpoint needs, for the matrix test ----


@dataclass(frozen=True)
class RouteRule:
    """What a route needs: a capability, or an engagement category, and the action.

    ``on="team"``: the capability holds for the team in the URL as ``team_allows``
    says (reading needs the capability; writing, the rule in ``TEAM_WRITERS``).
    """

    capability: str | None = None
    category: Category | None = None
    action: str = READ
    # An object-level rule on top of the category: how an action of the log may change.
    action_change: str | None = None
    on: str | None = None

    def as_openapi(self) -> dict[str, Any]:
        return {
            "x-access": {
                "capability": self.capability,
                "category": self.category and self.category.value,
                "action": self.action,
                "action_change": self.action_change,
                "on": self.on,
            }
        }


def route_rule(
    *,
    capability: str | None = None,
    category: Category | None = None,
    action: str = READ,
    action_change: str | None = None,
    on: str | None = None,
) -> Callable[[T], T]:
    """Label a view with the rule it enforces (tests check every route has one and keeps it)."""
    rule = RouteRule(
        capability=capability,
        category=category,
        action=action,
        action_change=action_change,
        on=on,
    )

    def label(view: T) -> T:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view

    return label
