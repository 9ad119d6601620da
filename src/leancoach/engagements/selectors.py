from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from leancoach.engagements.models import Agreement, Engagement, Need, NeedOwner, Signature


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
