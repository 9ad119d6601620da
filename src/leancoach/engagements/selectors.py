from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from leancoach.engagements.models import (
    Agreement,
    Engagement,
    Need,
    NeedOwner,
    RoleProposal,
    Signature,
)
from leancoach.people.models import Person


@dataclass
class AgreementState:
    """The agreement versions of an engagement, read together.

    ``in_force``: the newest version signed by every party *as they are now*
    (a new sponsor has not signed anything yet, so nothing is in force for
    them). ``pending``: a newer version still waiting for signatures.
    """

    versions: list[Agreement]
    required_roles: list[str]
    holders: dict[str, int | None]
    in_force: Agreement | None = None
    pending: Agreement | None = None
    signed: dict[int, dict[str, Signature]] = field(default_factory=dict)

    def missing_roles(self, agreement: Agreement) -> list[str]:
        signed = self.signed.get(agreement.pk, {})
        return [
            role
            for role in self.required_roles
            if role not in signed or signed[role].person_id != self.holders[role]
        ]

    @property
    def latest(self) -> Agreement | None:
        return self.versions[-1] if self.versions else None

    def sponsor_grants(self) -> frozenset[str]:
        if self.in_force is None:
            return frozenset()
        grants = self.in_force.grants()
        if self.pending is not None:
            # Until everyone signs the new version, the stricter of the two applies.
            grants &= self.pending.grants()
        return grants


def agreement_state(engagement: Engagement) -> AgreementState:
    versions = list(
        Agreement.objects.filter(engagement=engagement)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.select_related("person"))
        )
        .order_by("version")
    )
    roles = engagement.required_roles()
    state = AgreementState(
        versions=versions,
        required_roles=roles,
        holders={role: engagement.person_in_role(role) for role in roles},
    )
    for agreement in versions:
        state.signed[agreement.pk] = {
            signature.role: signature for signature in agreement.signatures.all()
        }
    for agreement in reversed(versions):
        if not state.missing_roles(agreement):
            state.in_force = agreement
            break
    latest = state.latest
    if latest is not None and latest != state.in_force:
        state.pending = latest
    return state


def sponsor_grants(engagement: Engagement) -> frozenset[str]:
    return agreement_state(engagement).sponsor_grants()


def needs_of(engagement: Engagement, owner: NeedOwner) -> QuerySet[Need]:
    return Need.objects.filter(engagement=engagement, owner=owner).order_by("position", "id")


def engagement_list(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    return engagements.select_related("coach", "client", "sponsor").order_by("-created_at", "-id")


@dataclass(frozen=True)
class Ask:
    """Something that waits for one person: an answer to a proposal, or a signature.

    Only who takes part and which version: no term of the agreement, no content (digests
    carry these sentences too)."""

    text: str
    url: str
    kind: str  # "answer", "role_change" or "signature"


def proposal_sentence(engagement: Engagement, role: str) -> str:
    """What the person asked to take part as ``role`` is asked, in a sentence."""
    kind = engagement.get_kind_display().lower()
    by = engagement.requested_by
    coach = engagement.role_label("coach")
    if role == "client":
        if by.pk == engagement.coach_id:
            return f"{by.name} proposes to be your {coach}"
        return f"{by.name} proposes {kind} for you with {engagement.coach.name}"
    if role == "sponsor":
        return f"{by.name} asks you to sponsor the {kind} of {engagement.client.name}"
    if by.pk == engagement.client_id:
        return f"{engagement.client.name} asks you to be their {coach}"
    return f"{by.name} asks you to be the {coach} of {engagement.client.name}"


def _others(engagement: Engagement, role: str) -> str:
    if role == "client":
        return engagement.coach.name
    if role == "coach":
        return engagement.client.name
    return f"{engagement.client.name} and {engagement.coach.name}"


def asks_of(waiting: Iterable[Engagement], role_changes: Iterable[RoleProposal]) -> list[Ask]:
    """Sentences and links for ``access.waiting_for`` and ``access.role_changes_for``."""
    asks = []
    for engagement in waiting:
        role = engagement.my_role  # type: ignore[attr-defined]
        if engagement.my_consent_pending:  # type: ignore[attr-defined]
            url = reverse("engagements:proposal", kwargs={"pk": engagement.pk})
            text = f"{proposal_sentence(engagement, role)}: accept or decline"
            asks.append(Ask(text, url, "answer"))
        elif engagement.newest_version is not None and not engagement.newest_signed:  # type: ignore[attr-defined]
            url = reverse("engagements:agreement", kwargs={"pk": engagement.pk})
            text = (
                f"Version {engagement.newest_version} of your agreement with "  # type: ignore[attr-defined]
                f"{_others(engagement, role)} waits for your signature"
            )
            asks.append(Ask(text, url, "signature"))
    for proposal in role_changes:
        engagement = proposal.engagement
        url = reverse("engagements:proposal", kwargs={"pk": engagement.pk})
        text = (
            f"{proposal.person.name if proposal.person else 'No one'} is proposed as your "
            f"{engagement.role_label(proposal.role)}, in place of "
            f"{proposal.replaces.name if proposal.replaces else 'no one'}: accept or decline"
        )
        asks.append(Ask(text, f"{url}#role-change-{proposal.pk}", "role_change"))
    return asks


def asks_for(person: Person | None) -> list[Ask]:
    """What waits for ``person``: two queries at most."""
    from leancoach.core import access

    waiting = list(access.waiting_for(person)[:20])
    changes = (
        list(access.role_changes_for(person)[:10])
        if any(e.role_change_pending for e in waiting)  # type: ignore[attr-defined]
        else []
    )
    return asks_of(waiting, changes)
