"""The engagements API: thin endpoints over core.access, the services and the selectors.

Each operation opens the engagement through ``access.open_engagement`` with
one fixed category and action, and declares that same rule as ``x-access``
in the OpenAPI schema (the authorization matrix tests compare the two).
What an answer holds beyond that category comes from ``EngagementAccess.reveal``,
which also records a sponsor's or admin's read in the audit log.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from leancoach.core import access
from leancoach.core.access import READ, WRITE, Category, EngagementAccess, Role, RouteRule
from leancoach.core.api import MAX_ID
from leancoach.core.errors import Conflict
from leancoach.core.http import client_ip
from leancoach.core.models import AuditEvent
from leancoach.core.schemas import ERRORS, ErrorOut
from leancoach.engagements import selectors, services
from leancoach.engagements.models import (
    Agreement,
    Consent,
    Engagement,
    Need,
    NeedOwner,
    PositiveAssumptions,
    PrivateNote,
    RoleProposal,
    SharingCategory,
    StatusChange,
)
from leancoach.engagements.schemas import (
    AgreementOut,
    AgreementsOut,
    AnswerIn,
    AssumptionsIn,
    AssumptionsOut,
    AuditEventOut,
    ClientNeedIn,
    ClientNeedOut,
    ClientNeedPatch,
    ConsentOut,
    DataPointOut,
    EngagementIn,
    EngagementOut,
    EngagementRowOut,
    MeasureIn,
    MeasureOut,
    MentoringRequestIn,
    MoveIn,
    MyPrivateNoteOut,
    PrivateNoteIn,
    PrivateNoteOut,
    RoleIn,
    RoleProposalOut,
    SignedOut,
    SponsorNeedIn,
    SponsorNeedOut,
    SponsorNeedPatch,
    StatusIn,
    TermsIn,
    ValueIn,
)
from leancoach.metrics import services as measure_services
from leancoach.metrics.models import DataPoint, Measure
from leancoach.metrics.selectors import with_recent_points
from leancoach.people.models import Person

router = Router(tags=["engagements"])

E = "/engagements/{engagement_id}"
WITH_CONFLICT = {**ERRORS, 409: ErrorOut}


def rule(category: Category, action: str = READ) -> dict[str, Any]:
    return RouteRule(category=category, action=action).as_openapi()


def capability(name: str, action: str = READ) -> dict[str, Any]:
    return RouteRule(capability=name, action=action).as_openapi()


def engagement_id_param() -> Any:
    return Path(..., ge=1, le=MAX_ID, description="the engagement's id")


def part_id(what: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=f"the {what}'s id")


def me(request: HttpRequest) -> Person:
    person = access.person_of(request.user)
    if person is None:
        raise access.Forbidden("Your login has no directory entry.")
    return person


@contextmanager
def body_names(**names: str) -> Iterator[None]:
    """Name the body's fields in a service's refusal (the service says ``client``, the body ``client_id``)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {names.get(field, field): errors for field, errors in error.error_dict.items()}
        ) from None


def ref(person: Person | None) -> dict[str, Any] | None:
    return None if person is None else {"id": person.pk, "name": person.name}


def ordered(grants: frozenset[str]) -> list[str]:
    return [category.value for category in SharingCategory if category.value in grants]


# --- Engagements -------------------------------------------------------------


def details_of(engagement: Engagement) -> dict[str, Any]:
    return {
        "coaching_model": engagement.coaching_model,
        "zones": [str(zone) for zone in engagement.zones],
        "cadence": engagement.cadence,
        "focus": engagement.focus,
    }


def summary_of(engagement: Engagement, role: Role) -> dict[str, Any]:
    return {
        "id": engagement.pk,
        "kind": engagement.kind,
        "status": engagement.status,
        "awaiting_mentor": engagement.is_awaiting_mentor,
        "awaiting_consent": engagement.awaits_consent,
        "created_at": engagement.created_at,
        "coach": ref(engagement.coach),
        "client": ref(engagement.client),
        "sponsor": ref(engagement.sponsor),
        "my_role": role.value,
    }


def sharing_of(state: selectors.AgreementState) -> dict[str, Any]:
    return {
        "in_force_version": state.in_force.version if state.in_force else None,
        "pending_version": state.pending.version if state.pending else None,
        "pending_missing_roles": state.missing_roles(state.pending) if state.pending else [],
        "sponsor_may_read": ordered(state.sponsor_grants()),
        "in_force_shares": ordered(state.in_force.grants()) if state.in_force else [],
        "pending_shares": ordered(state.pending.grants()) if state.pending else None,
    }


def engagement_out(ea: EngagementAccess) -> dict[str, Any]:
    """The engagement as this user may read it; the sections revealed are audited."""
    ea.require(Category.SUMMARY)
    shown = ea.reveal([Category.SUMMARY, Category.DETAILS, Category.AGREEMENT])
    engagement = ea.engagement
    details = None
    if Category.DETAILS in shown:
        history = StatusChange.objects.filter(engagement=engagement).select_related("changed_by")
        details = {
            **details_of(engagement),
            "history": [
                {
                    "from_status": change.from_status,
                    "to_status": change.to_status,
                    "on": change.on,
                    "reason": change.reason,
                    "changed_by": ref(change.changed_by),
                    "changed_at": change.changed_at,
                }
                for change in history
            ],
        }
    sharing = None
    if Category.AGREEMENT in shown:
        sharing = sharing_of(selectors.agreement_state(engagement))
    return {
        **summary_of(engagement, ea.role),
        "status_changed_at": engagement.status_changed_at,
        "accepted_at": engagement.accepted_at,
        "may_read": [category.value for category in Category if ea.can(category, READ)],
        "may_write": [category.value for category in Category if ea.can(category, WRITE)],
        "details": details,
        "sharing": sharing,
    }


@router.get(
    "/engagements",
    response={200: list[EngagementRowOut], **ERRORS},
    openapi_extra=capability("engagements.list"),
    summary="The engagements you take part in (admins: all of them, summaries only)",
)
def list_engagements(
    request: HttpRequest,
    limit: int = Query(50, ge=1, le=100, description="rows, newest first"),
) -> list[dict[str, Any]]:
    user = request.user
    rows = []
    for engagement in selectors.engagement_list(access.engagements_for(user))[:limit]:
        role = access.role_in(user, engagement)
        readable = access.details_in_lists(engagement, role)
        rows.append(
            {
                **summary_of(engagement, role),
                "details": details_of(engagement) if readable else None,
            }
        )
    return rows


@router.post(
    "/engagements",
    response={201: EngagementOut, **ERRORS},
    openapi_extra=capability("engagements.open"),
    summary="Open a coaching, Kata or mentoring engagement",
)
def open_engagement(request: HttpRequest, payload: EngagementIn) -> Status[dict[str, Any]]:
    user = request.user
    access.require(user, "engagements.open")
    opener = access.person_of(user)
    if payload.coach_id is None:
        coach = me(request)
    else:
        coach = access.get_person(user, payload.coach_id)
        if not access.may_open_for(user, coach):
            raise access.Forbidden("Only an admin may open an engagement for another coach.")
    client = access.get_person(user, payload.client_id)
    sponsor = None if payload.sponsor_id is None else access.get_person(user, payload.sponsor_id)
    with body_names(coach="coach_id", client="client_id", sponsor="sponsor_id"):
        engagement = services.open_engagement(
            request=request,
            opened_by=opener,
            coach=coach,
            client=client,
            kind=payload.kind,
            sponsor=sponsor,
            use_default_sponsor="sponsor_id" not in payload.model_fields_set,
            coaching_model=payload.coaching_model,
            zones=payload.zones,
            cadence=payload.cadence,
            focus=payload.focus,
        )
    return Status(201, engagement_out(access.open_engagement(request, engagement.pk)))


@router.post(
    "/mentoring-requests",
    response={201: EngagementOut, **WITH_CONFLICT},
    openapi_extra=capability("engagements.request_mentor"),
    summary="Ask someone to mentor you; the request waits for their answer",
)
def request_mentor(request: HttpRequest, payload: MentoringRequestIn) -> Status[dict[str, Any]]:
    access.require(request.user, "engagements.request_mentor")
    mentee, mentor = me(request), access.get_person(request.user, payload.mentor_id)
    with body_names(mentor="mentor_id"):
        engagement = services.request_mentor(
            request=request,
            mentee=mentee,
            mentor=mentor,
            focus=payload.focus,
            cadence=payload.cadence,
        )
    return Status(201, engagement_out(access.open_engagement(request, engagement.pk)))


@router.get(
    E,
    response={200: EngagementOut, **ERRORS},
    openapi_extra=rule(Category.SUMMARY),
    summary="One engagement: details and sharing only for those who may read them",
)
def get_engagement(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> dict[str, Any]:
    return engagement_out(access.open_engagement(request, engagement_id, Category.SUMMARY, READ))


@router.post(
    E + "/answer",
    response={200: EngagementOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.CONSENT, WRITE),
    summary="Accept or decline taking part in a proposed engagement (a mentor: the request)",
)
def answer_request(
    request: HttpRequest, payload: AnswerIn, engagement_id: int = engagement_id_param()
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.CONSENT, WRITE)
    services.answer_consent(
        request=request,
        engagement=ea.engagement,
        person=me(request),
        accept=payload.accept,
        reason=payload.reason,
    )
    return engagement_out(access.open_engagement(request, engagement_id))


@router.get(
    E + "/consents",
    response={200: list[ConsentOut], **ERRORS},
    openapi_extra=rule(Category.CONSENT),
    summary="Who is asked to take part, and each answer",
)
def list_consents(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.CONSENT, READ)
    return [
        {
            "role": consent.role,
            "person": ref(consent.person),
            "answer": consent.answer,
            "asked_at": consent.asked_at,
            "answered_at": consent.answered_at,
            "reason": consent.reason,
        }
        for consent in Consent.objects.filter(engagement=ea.engagement).select_related("person")
    ]


@router.post(
    E + "/status",
    response={200: EngagementOut, **ERRORS},
    openapi_extra=rule(Category.LIFECYCLE, WRITE),
    summary="Move the engagement: proposed → active → paused → closed",
)
def change_status(
    request: HttpRequest, payload: StatusIn, engagement_id: int = engagement_id_param()
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.LIFECYCLE, WRITE)
    services.change_status(
        request=request,
        engagement=ea.engagement,
        by=me(request),
        role=ea.role.value,
        to_status=payload.status,
        reason=payload.reason,
        on=payload.on,
    )
    return engagement_out(access.open_engagement(request, engagement_id))


def role_proposal_out(proposal: RoleProposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "engagement_id": proposal.engagement_id,
        "role": proposal.role,
        "person": ref(proposal.person),
        "replaces": ref(proposal.replaces),
        "proposed_by": ref(proposal.proposed_by),
        "proposed_by_role": proposal.proposed_by_role,
        "reason": proposal.reason,
        "proposed_at": proposal.proposed_at,
        "answer": proposal.answer,
        "answered_at": proposal.answered_at,
        "answered_by": ref(proposal.answered_by),
        "answer_reason": proposal.answer_reason,
    }


PROPOSALS = RoleProposal.objects.select_related("person", "replaces", "proposed_by", "answered_by")


def role_proposal_of(ea: EngagementAccess, proposal_id: int) -> RoleProposal:
    proposal: RoleProposal = access.get_part(ea, PROPOSALS, proposal_id)
    return proposal


@router.post(
    E + "/roles",
    response={202: RoleProposalOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.ROLES, WRITE),
    summary="Propose a new coach or sponsor; it takes effect only when the client accepts",
)
def change_role(
    request: HttpRequest, payload: RoleIn, engagement_id: int = engagement_id_param()
) -> Status[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.ROLES, WRITE)
    person = (
        None if payload.person_id is None else access.get_person(request.user, payload.person_id)
    )
    with body_names(person="person_id"):
        proposal = services.propose_role_change(
            request=request,
            engagement=ea.engagement,
            by=access.person_of(request.user),
            by_role=ea.role.value,
            role=payload.role,
            person=person,
            reason=payload.reason,
        )
    return Status(202, role_proposal_out(proposal))


@router.get(
    E + "/role-proposals",
    response={200: list[RoleProposalOut], **ERRORS},
    openapi_extra=rule(Category.ROLE_CHANGES),
    summary="Proposed new coaches and sponsors, newest first, with the client's answers",
)
def list_role_proposals(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    limit: int = Query(50, ge=1, le=200, description="proposals, newest first"),
) -> list[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.ROLE_CHANGES, READ)
    return [
        role_proposal_out(proposal)
        for proposal in PROPOSALS.filter(engagement=ea.engagement)[:limit]
    ]


@router.post(
    E + "/role-proposals/{proposal_id}/answer",
    response={200: RoleProposalOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.ROLE_CHANGES, WRITE),
    summary="The client accepts (the change takes effect) or declines a proposed new role",
)
def answer_role_proposal(
    request: HttpRequest,
    payload: AnswerIn,
    engagement_id: int = engagement_id_param(),
    proposal_id: int = part_id("proposal"),
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.ROLE_CHANGES, WRITE)
    proposal = services.answer_role_change(
        request=request,
        proposal=role_proposal_of(ea, proposal_id),
        by=me(request),
        accept=payload.accept,
        reason=payload.reason,
    )
    return role_proposal_out(PROPOSALS.get(pk=proposal.pk))


@router.post(
    E + "/role-proposals/{proposal_id}/withdraw",
    response={200: RoleProposalOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.ROLES, WRITE),
    summary="Withdraw a proposed new coach or sponsor the client has not answered yet",
)
def withdraw_role_proposal(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    proposal_id: int = part_id("proposal"),
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.ROLES, WRITE)
    proposal = services.withdraw_role_change(
        request=request,
        proposal=role_proposal_of(ea, proposal_id),
        by=access.person_of(request.user),
        by_role=ea.role.value,
    )
    return role_proposal_out(PROPOSALS.get(pk=proposal.pk))


# --- The agreement -------------------------------------------------------------


def agreement_out(
    state: selectors.AgreementState, agreement: Agreement, *, confidential: bool
) -> dict[str, Any]:
    clause = agreement.client_confidential
    return {
        "version": agreement.version,
        "created_by": ref(agreement.created_by),
        "created_at": agreement.created_at,
        **{name: getattr(agreement, name) for name in services.AGREEMENT_TERMS},
        "has_confidential_clause": bool(clause.strip()),
        "client_confidential": clause if confidential else None,
        "signatures": [
            {
                "role": signature.role,
                "person": ref(signature.person),
                "signed_at": signature.signed_at,
            }
            for signature in state.signed.get(agreement.pk, {}).values()
        ],
        "missing_roles": state.missing_roles(agreement),
    }


def version_out(ea: EngagementAccess, version: int) -> dict[str, Any]:
    state = selectors.agreement_state(ea.engagement)
    saved = next(agreement for agreement in state.versions if agreement.version == version)
    return agreement_out(state, saved, confidential=ea.can(Category.CONFIDENTIAL))


def agreement_of(ea: EngagementAccess, version: int) -> Agreement:
    agreement = Agreement.objects.filter(engagement=ea.engagement, version=version).first()
    if agreement is None:
        raise access.NotFound()
    return agreement


def terms_of(ea: EngagementAccess, payload: TermsIn) -> dict[str, Any]:
    terms = payload.model_dump(exclude_unset=True)
    if "client_confidential" in terms:
        ea.require(Category.CONFIDENTIAL, WRITE)
    return terms


@router.get(
    E + "/agreements",
    response={200: AgreementsOut, **ERRORS},
    openapi_extra=rule(Category.AGREEMENT),
    summary="Every version of the agreement, with its signatures",
)
def list_agreements(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.AGREEMENT, READ)
    confidential = Category.CONFIDENTIAL in ea.reveal([Category.CONFIDENTIAL])
    state = selectors.agreement_state(ea.engagement)
    return {
        "required_roles": state.required_roles,
        "in_force_version": state.in_force.version if state.in_force else None,
        "pending_version": state.pending.version if state.pending else None,
        "sponsor_may_read": ordered(state.sponsor_grants()),
        "versions": [
            agreement_out(state, agreement, confidential=confidential)
            for agreement in state.versions
        ],
    }


@router.post(
    E + "/agreements",
    response={201: AgreementOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.AGREEMENT, WRITE),
    summary="Propose a new version; terms left out are copied from the latest version",
)
def propose_agreement(
    request: HttpRequest, payload: TermsIn, engagement_id: int = engagement_id_param()
) -> Status[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.AGREEMENT, WRITE)
    terms = terms_of(ea, payload)
    state = selectors.agreement_state(ea.engagement)
    latest = state.latest
    if latest is not None and not state.signed.get(latest.pk):
        raise Conflict(f"Version {latest.version} is not signed yet; change it with PUT.")
    saved = services.propose_agreement(
        request=request, engagement=ea.engagement, by=me(request), role=ea.role.value, terms=terms
    )
    return Status(201, version_out(ea, saved.version))


@router.put(
    E + "/agreements/{version}",
    response={200: AgreementOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.AGREEMENT, WRITE),
    summary="Change the latest version while nobody has signed it",
)
def edit_agreement(
    request: HttpRequest,
    payload: TermsIn,
    engagement_id: int = engagement_id_param(),
    version: int = Path(..., ge=1, le=2**31 - 1),
) -> dict[str, Any]:
    ea = access.open_engagement(request, engagement_id, Category.AGREEMENT, WRITE)
    terms = terms_of(ea, payload)
    services.edit_agreement(
        request=request,
        agreement=agreement_of(ea, version),
        by=me(request),
        role=ea.role.value,
        terms=terms,
    )
    return version_out(ea, version)


@router.post(
    E + "/agreements/{version}/sign",
    response={201: SignedOut, **WITH_CONFLICT},
    openapi_extra=rule(Category.SIGNATURE, WRITE),
    summary="Sign a version, as the coach, the client or the sponsor",
)
def sign_agreement(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    version: int = Path(..., ge=1, le=2**31 - 1),
) -> Status[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.SIGNATURE, WRITE)
    signature = services.sign_agreement(
        request=request,
        agreement=agreement_of(ea, version),
        person=me(request),
        ip_address=client_ip(request),
    )
    in_force = selectors.agreement_state(ea.engagement).in_force
    return Status(
        201,
        {
            "version": version,
            "role": signature.role,
            "person": ref(signature.person),
            "signed_at": signature.signed_at,
            "in_force_version": in_force.version if in_force else None,
        },
    )


# --- Needs: one set of operations per list, so each has one fixed rule ---------


def needs_out(ea: EngagementAccess, owner: NeedOwner) -> list[Need]:
    return list(selectors.needs_of(ea.engagement, owner).select_related("written_by"))


def need_of(ea: EngagementAccess, owner: NeedOwner, need_id: int) -> Need:
    need: Need = access.get_part(
        ea, Need.objects.filter(owner=owner).select_related("written_by"), need_id
    )
    return need


def add_need(
    request: HttpRequest,
    ea: EngagementAccess,
    owner: NeedOwner,
    payload: SponsorNeedIn | ClientNeedIn,
) -> Need:
    return services.add_need(
        engagement=ea.engagement,
        by=me(request),
        owner=owner,
        category=payload.category,
        description=payload.description,
    )


def edit_need(need: Need, payload: SponsorNeedPatch | ClientNeedPatch) -> Need:
    changes = payload.model_dump(exclude_unset=True)
    return services.edit_need(
        need=need,
        category=changes.get("category", need.category),
        description=changes.get("description", need.description),
    )


SPONSOR_NEEDS, CLIENT_NEEDS = E + "/sponsor-needs", E + "/client-needs"
NEED = "/{need_id}"


@router.get(
    SPONSOR_NEEDS,
    response={200: list[SponsorNeedOut], **ERRORS},
    openapi_extra=rule(Category.SPONSOR_NEEDS),
    summary="The sponsor's needs, in order",
)
def list_sponsor_needs(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[Need]:
    ea = access.open_engagement(request, engagement_id, Category.SPONSOR_NEEDS, READ)
    return needs_out(ea, NeedOwner.SPONSOR)


@router.post(
    SPONSOR_NEEDS,
    response={201: SponsorNeedOut, **ERRORS},
    openapi_extra=rule(Category.SPONSOR_NEEDS, WRITE),
    summary="Add a need of the sponsor's at the end of the list",
)
def add_sponsor_need(
    request: HttpRequest, payload: SponsorNeedIn, engagement_id: int = engagement_id_param()
) -> Status[Need]:
    ea = access.open_engagement(request, engagement_id, Category.SPONSOR_NEEDS, WRITE)
    return Status(201, add_need(request, ea, NeedOwner.SPONSOR, payload))


@router.patch(
    SPONSOR_NEEDS + NEED,
    response={200: SponsorNeedOut, **ERRORS},
    openapi_extra=rule(Category.SPONSOR_NEEDS, WRITE),
    summary="Change a need of the sponsor's",
)
def edit_sponsor_need(
    request: HttpRequest,
    payload: SponsorNeedPatch,
    engagement_id: int = engagement_id_param(),
    need_id: int = part_id("need"),
) -> Need:
    ea = access.open_engagement(request, engagement_id, Category.SPONSOR_NEEDS, WRITE)
    return edit_need(need_of(ea, NeedOwner.SPONSOR, need_id), payload)


@router.delete(
    SPONSOR_NEEDS + NEED,
    response={204: None, **ERRORS},
    openapi_extra=rule(Category.SPONSOR_NEEDS, WRITE),
    summary="Remove a need of the sponsor's",
)
def remove_sponsor_need(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    need_id: int = part_id("need"),
) -> Status[None]:
    ea = access.open_engagement(request, engagement_id, Category.SPONSOR_NEEDS, WRITE)
    services.remove_need(need=need_of(ea, NeedOwner.SPONSOR, need_id))
    return Status(204, None)


@router.post(
    SPONSOR_NEEDS + NEED + "/move",
    response={200: list[SponsorNeedOut], **ERRORS},
    openapi_extra=rule(Category.SPONSOR_NEEDS, WRITE),
    summary="Move a need of the sponsor's to another place in the list",
)
def move_sponsor_need(
    request: HttpRequest,
    payload: MoveIn,
    engagement_id: int = engagement_id_param(),
    need_id: int = part_id("need"),
) -> list[Need]:
    ea = access.open_engagement(request, engagement_id, Category.SPONSOR_NEEDS, WRITE)
    services.move_need(need=need_of(ea, NeedOwner.SPONSOR, need_id), to_position=payload.position)
    return needs_out(ea, NeedOwner.SPONSOR)


@router.get(
    CLIENT_NEEDS,
    response={200: list[ClientNeedOut], **ERRORS},
    openapi_extra=rule(Category.CLIENT_NEEDS),
    summary="The client's needs, in order",
)
def list_client_needs(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[Need]:
    ea = access.open_engagement(request, engagement_id, Category.CLIENT_NEEDS, READ)
    return needs_out(ea, NeedOwner.CLIENT)


@router.post(
    CLIENT_NEEDS,
    response={201: ClientNeedOut, **ERRORS},
    openapi_extra=rule(Category.CLIENT_NEEDS, WRITE),
    summary="Add a need of the client's at the end of the list",
)
def add_client_need(
    request: HttpRequest, payload: ClientNeedIn, engagement_id: int = engagement_id_param()
) -> Status[Need]:
    ea = access.open_engagement(request, engagement_id, Category.CLIENT_NEEDS, WRITE)
    return Status(201, add_need(request, ea, NeedOwner.CLIENT, payload))


@router.patch(
    CLIENT_NEEDS + NEED,
    response={200: ClientNeedOut, **ERRORS},
    openapi_extra=rule(Category.CLIENT_NEEDS, WRITE),
    summary="Change a need of the client's",
)
def edit_client_need(
    request: HttpRequest,
    payload: ClientNeedPatch,
    engagement_id: int = engagement_id_param(),
    need_id: int = part_id("need"),
) -> Need:
    ea = access.open_engagement(request, engagement_id, Category.CLIENT_NEEDS, WRITE)
    return edit_need(need_of(ea, NeedOwner.CLIENT, need_id), payload)


@router.delete(
    CLIENT_NEEDS + NEED,
    response={204: None, **ERRORS},
    openapi_extra=rule(Category.CLIENT_NEEDS, WRITE),
    summary="Remove a need of the client's",
)
def remove_client_need(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    need_id: int = part_id("need"),
) -> Status[None]:
    ea = access.open_engagement(request, engagement_id, Category.CLIENT_NEEDS, WRITE)
    services.remove_need(need=need_of(ea, NeedOwner.CLIENT, need_id))
    return Status(204, None)


@router.post(
    CLIENT_NEEDS + NEED + "/move",
    response={200: list[ClientNeedOut], **ERRORS},
    openapi_extra=rule(Category.CLIENT_NEEDS, WRITE),
    summary="Move a need of the client's to another place in the list",
)
def move_client_need(
    request: HttpRequest,
    payload: MoveIn,
    engagement_id: int = engagement_id_param(),
    need_id: int = part_id("need"),
) -> list[Need]:
    ea = access.open_engagement(request, engagement_id, Category.CLIENT_NEEDS, WRITE)
    services.move_need(need=need_of(ea, NeedOwner.CLIENT, need_id), to_position=payload.position)
    return needs_out(ea, NeedOwner.CLIENT)


# --- Positive assumptions and private notes ------------------------------------


def assumptions_out(row: PositiveAssumptions) -> dict[str, Any]:
    return {
        "id": row.pk,
        "best_outcome": row.best_outcome,
        "strengths": row.strength_list(),
        "written_by": ref(row.written_by),
        "written_at": row.written_at,
    }


@router.get(
    E + "/assumptions",
    response={200: list[AssumptionsOut], **ERRORS},
    openapi_extra=rule(Category.ASSUMPTIONS),
    summary="The positive assumptions, newest first (the first is the current one)",
)
def list_assumptions(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.ASSUMPTIONS, READ)
    rows = PositiveAssumptions.objects.filter(engagement=ea.engagement).select_related("written_by")
    return [assumptions_out(row) for row in rows]


@router.post(
    E + "/assumptions",
    response={201: AssumptionsOut, **ERRORS},
    openapi_extra=rule(Category.ASSUMPTIONS, WRITE),
    summary="Write the positive assumptions anew (earlier versions are kept)",
)
def write_assumptions(
    request: HttpRequest, payload: AssumptionsIn, engagement_id: int = engagement_id_param()
) -> Status[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.ASSUMPTIONS, WRITE)
    row = services.write_assumptions(
        engagement=ea.engagement,
        by=me(request),
        best_outcome=payload.best_outcome,
        strengths=payload.strengths,
    )
    return Status(201, assumptions_out(row))


@router.get(
    E + "/private-notes",
    response={200: list[PrivateNoteOut], **ERRORS},
    openapi_extra=rule(Category.PRIVATE_NOTES),
    summary="The coach's private notes, newest first",
)
def list_private_notes(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    limit: int = Query(100, ge=1, le=200, description="notes, newest first"),
) -> list[PrivateNote]:
    ea = access.open_engagement(request, engagement_id, Category.PRIVATE_NOTES, READ)
    return list(access.private_notes_in(ea).select_related("author")[:limit])


@router.post(
    E + "/private-notes",
    response={201: PrivateNoteOut, **ERRORS},
    openapi_extra=rule(Category.PRIVATE_NOTES, WRITE),
    summary="Write a private note (never shared with anyone)",
)
def add_private_note(
    request: HttpRequest, payload: PrivateNoteIn, engagement_id: int = engagement_id_param()
) -> Status[PrivateNote]:
    ea = access.open_engagement(request, engagement_id, Category.PRIVATE_NOTES, WRITE)
    return Status(
        201, services.add_private_note(engagement=ea.engagement, by=me(request), text=payload.text)
    )


@router.get(
    "/me/private-notes",
    response={200: list[MyPrivateNoteOut], **ERRORS},
    openapi_extra=capability("notes.own"),
    summary="Every private note you wrote, in every engagement (also those you no longer coach)",
)
def my_private_notes(
    request: HttpRequest,
    limit: int = Query(100, ge=1, le=500, description="notes, newest first"),
) -> list[PrivateNote]:
    notes = access.my_private_notes(request.user).select_related("author")
    # The author reads their own notes, whatever role they hold now.
    access.read_as(request, [Category.PRIVATE_NOTES])
    return list(notes.order_by("-written_at", "-id")[:limit])


@router.delete(
    "/me/private-notes/{note_id}",
    response={204: None, **ERRORS},
    openapi_extra=capability("notes.own", WRITE),
    summary="Delete one of your private notes",
)
def delete_my_private_note(
    request: HttpRequest, note_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[None]:
    note = access.get_my_private_note(request.user, note_id)
    services.delete_private_note(note=note, by=me(request))
    return Status(204, None)


# --- Measures ----------------------------------------------------------


def measure_out(measure: Measure, recent: list[DataPoint]) -> dict[str, Any]:
    return {
        "id": measure.pk,
        "name": measure.name,
        "unit": measure.unit,
        "better": measure.better,
        "frequency": measure.frequency,
        "created_at": measure.created_at,
        "latest": recent[0] if recent else None,
        "recent": list(reversed(recent)),
    }


@router.get(
    E + "/measures",
    response={200: list[MeasureOut], **ERRORS},
    openapi_extra=rule(Category.MEASURES),
    summary="The measures, each with its latest value and the last 20 values",
)
def list_measures(
    request: HttpRequest, engagement_id: int = engagement_id_param()
) -> list[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.MEASURES, READ)
    measures = with_recent_points(Measure.objects.filter(engagement=ea.engagement))
    return [measure_out(measure, recent) for measure, recent in measures]


@router.post(
    E + "/measures",
    response={201: MeasureOut, **ERRORS},
    openapi_extra=rule(Category.MEASURES, WRITE),
    summary="Add a measure",
)
def add_measure(
    request: HttpRequest, payload: MeasureIn, engagement_id: int = engagement_id_param()
) -> Status[dict[str, Any]]:
    ea = access.open_engagement(request, engagement_id, Category.MEASURES, WRITE)
    measure = measure_services.add_measure(
        engagement=ea.engagement,
        by=me(request),
        name=payload.name,
        unit=payload.unit,
        better=payload.better,
        frequency=payload.frequency,
    )
    return Status(201, measure_out(measure, []))


@router.post(
    E + "/measures/{measure_id}/values",
    response={201: DataPointOut, **ERRORS},
    openapi_extra=rule(Category.MEASURES, WRITE),
    summary="Record the value of a day (it replaces that day's value, if any)",
)
def record_value(
    request: HttpRequest,
    payload: ValueIn,
    engagement_id: int = engagement_id_param(),
    measure_id: int = part_id("measure"),
) -> Status[DataPoint]:
    ea = access.open_engagement(request, engagement_id, Category.MEASURES, WRITE)
    measure = access.get_part(ea, Measure.objects.all(), measure_id)
    return Status(
        201, measure_services.record_value(measure=measure, on=payload.on, value=payload.value)
    )


# --- The audit log -------------------------------------------------------------------


@router.get(
    E + "/audit",
    response={200: list[AuditEventOut], **ERRORS},
    openapi_extra=rule(Category.AUDIT),
    summary="Who has read or changed what in this engagement, newest first",
)
def audit_log(
    request: HttpRequest,
    engagement_id: int = engagement_id_param(),
    limit: int = Query(100, ge=1, le=200, description="events, newest first"),
) -> list[AuditEvent]:
    ea = access.open_engagement(request, engagement_id, Category.AUDIT, READ)
    return list(AuditEvent.objects.filter(engagement=ea.engagement)[:limit])
