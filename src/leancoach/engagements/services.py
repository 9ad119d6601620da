"""Writes for engagements: keyword-only, one transaction each, every change audited.

The caller (a view or an API endpoint) has already checked, through
``core.access``, that the user may make this kind of change; the services
check the rules of the method and of the data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from leancoach.core import audit
from leancoach.core.errors import Conflict
from leancoach.core.models import AuditEvent
from leancoach.core.validate import one_of as _choice
from leancoach.engagements import signals
from leancoach.engagements.models import (
    NEED_CATEGORIES,
    TRANSITIONS,
    Agreement,
    Cadence,
    CoachingModel,
    Engagement,
    Kind,
    Need,
    NeedOwner,
    PositiveAssumptions,
    PrivateNote,
    SharingCategory,
    Signature,
    Status,
    StatusChange,
    Zone,
)
from leancoach.engagements.selectors import agreement_state
from leancoach.people.models import Person

CHANGE = AuditEvent.Action.CHANGE


def default_sponsor(*, client: Person, coach: Person) -> Person | None:
    """The client's manager sponsors (METHOD.md: the senior manager one level above,
    from whom the client takes direction); if the coach is that manager, the
    manager's manager does."""
    manager = client.manager
    if manager is not None and manager.pk == coach.pk:
        manager = manager.manager
    if manager is not None and manager.pk in (client.pk, coach.pk):
        return None
    return manager


def _check_parties(*, coach: Person, client: Person, sponsor: Person | None) -> None:
    if coach.pk == client.pk:
        raise ValidationError({"client": "The coach and the client must be different people."})
    if sponsor is not None and sponsor.pk in (coach.pk, client.pk):
        raise ValidationError(
            {"sponsor": "The sponsor must be someone other than the coach and the client."}
        )


def _zones(zones: Iterable[str]) -> dict[str, bool]:
    chosen = {_choice("zones", zone, Zone) for zone in zones}
    if not chosen:
        raise ValidationError({"zones": "Choose at least one zone of caring."})
    return {f"zone_{zone.value}": zone.value in chosen for zone in Zone}


@transaction.atomic
def open_engagement(
    *,
    request: HttpRequest | None,
    opened_by: Person | None,
    coach: Person,
    client: Person,
    kind: str = Kind.COACHING,
    sponsor: Person | None = None,
    use_default_sponsor: bool = True,
    coaching_model: str = CoachingModel.LEADERSHIP,
    zones: Iterable[str] = (Zone.BLUE,),
    cadence: str = Cadence.FORTNIGHTLY,
    focus: str = "",
) -> Engagement:
    _choice("kind", kind, Kind)
    _choice("coaching_model", coaching_model, CoachingModel)
    _choice("cadence", cadence, Cadence)
    if sponsor is None and use_default_sponsor and kind != Kind.MENTORING:
        sponsor = default_sponsor(client=client, coach=coach)
    if kind == Kind.COACHING and sponsor is None:
        raise ValidationError(
            {"sponsor": "Coaching needs a sponsor: the client has no manager to default to."}
        )
    _check_parties(coach=coach, client=client, sponsor=sponsor)
    engagement = Engagement.objects.create(
        kind=kind,
        coaching_model=coaching_model,
        cadence=cadence,
        focus=focus.strip()[:200],
        coach=coach,
        client=client,
        sponsor=sponsor,
        requested_by=opened_by or coach,
        accepted_at=timezone.now(),
        **_zones(zones),
    )
    StatusChange.objects.create(
        engagement=engagement,
        to_status=Status.PROPOSED,
        reason="Opened" if opened_by is not None else "Opened by a programme admin",
        changed_by=opened_by or coach,
    )
    audit.record(
        request,
        action=CHANGE,
        what="engagement.opened",
        person=opened_by,
        role="coach" if opened_by is not None and opened_by.pk == coach.pk else "admin",
        engagement=engagement,
        detail=f"{engagement.get_kind_display()}: coach {coach.name}, client {client.name}, "
        f"sponsor {sponsor.name if sponsor else 'none'}",
    )
    return engagement


@transaction.atomic
def request_mentor(
    *,
    request: HttpRequest | None,
    mentee: Person,
    mentor: Person,
    focus: str = "",
    cadence: str = Cadence.MONTHLY,
) -> Engagement:
    """Mentoring starts with the mentee: the request waits for the mentor to accept."""
    _choice("cadence", cadence, Cadence)
    if mentor.pk == mentee.pk:
        raise ValidationError({"mentor": "Choose someone other than yourself as mentor."})
    pending = Engagement.objects.filter(
        kind=Kind.MENTORING,
        coach=mentor,
        client=mentee,
        status__in=[Status.PROPOSED, Status.ACTIVE, Status.PAUSED],
    )
    if pending.exists():
        raise Conflict(f"You already have a mentoring request or engagement with {mentor.name}.")
    engagement = Engagement.objects.create(
        kind=Kind.MENTORING,
        coaching_model=CoachingModel.LEADERSHIP,
        cadence=cadence,
        focus=focus.strip()[:200],
        coach=mentor,
        client=mentee,
        requested_by=mentee,
        accepted_at=None,
    )
    StatusChange.objects.create(
        engagement=engagement,
        to_status=Status.PROPOSED,
        reason="Requested by the mentee",
        changed_by=mentee,
    )
    audit.record(
        request,
        action=CHANGE,
        what="mentoring.requested",
        person=mentee,
        role="client",
        engagement=engagement,
        detail=f"{mentee.name} asked {mentor.name} to mentor them",
    )
    return engagement


@transaction.atomic
def answer_mentoring_request(
    *,
    request: HttpRequest | None,
    engagement: Engagement,
    mentor: Person,
    accept: bool,
    reason: str = "",
) -> Engagement:
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.kind != Kind.MENTORING or engagement.coach_id != mentor.pk:
        raise ValidationError(
            {"engagement": "Only the person asked to mentor can answer this request."}
        )
    if not engagement.is_awaiting_mentor:
        raise Conflict("This request has already been answered.")
    if accept:
        engagement.accepted_at = timezone.now()
        engagement.save(update_fields=["accepted_at"])
        audit.record(
            request,
            action=CHANGE,
            what="mentoring.accepted",
            role="coach",
            engagement=engagement,
            person=mentor,
        )
        return engagement
    return change_status(
        request=request,
        engagement=engagement,
        by=mentor,
        role="coach",
        to_status=Status.CLOSED,
        reason=("Declined by the mentor: " + reason.strip())
        if reason.strip()
        else "Declined by the mentor",
    )


@transaction.atomic
def change_status(
    *,
    request: HttpRequest | None,
    engagement: Engagement,
    by: Person,
    role: str,
    to_status: str,
    reason: str,
    on: date | None = None,
) -> Engagement:
    _choice("status", to_status, Status)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the status changes; it is kept in the history."})
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if to_status not in TRANSITIONS[engagement.status]:
        raise ValidationError(
            {"status": f"An engagement that is {engagement.status} cannot become {to_status}."}
        )
    if to_status == Status.ACTIVE and engagement.status == Status.PROPOSED:
        if engagement.accepted_at is None:
            raise ValidationError({"status": "The mentor has not accepted this request yet."})
        if agreement_state(engagement).in_force is None:
            raise ValidationError(
                {
                    "status": "Coaching starts once the agreement is signed by everyone who must sign it."
                }
            )
    if on is not None and on > timezone.localdate():
        raise ValidationError({"on": "A status change cannot be dated in the future."})
    previous = engagement.status
    engagement.status = to_status
    engagement.status_changed_at = timezone.now()
    engagement.save(update_fields=["status", "status_changed_at"])
    StatusChange.objects.create(
        engagement=engagement,
        from_status=previous,
        to_status=to_status,
        on=on or timezone.localdate(),
        reason=reason[:500],
        changed_by=by,
    )
    audit.record(
        request,
        action=CHANGE,
        what="status.changed",
        person=by,
        role=role,
        engagement=engagement,
        detail=f"{previous} → {to_status}: {reason[:200]}",
    )
    return engagement


@transaction.atomic
def change_role(
    *,
    request: HttpRequest | None,
    engagement: Engagement,
    by_role: str,
    role: str,
    person: Person | None,
    reason: str,
    by: Person | None = None,
) -> Engagement:
    """Hand the coach's or sponsor's role to someone else.

    Signatures belong to people, so the new holder has signed nothing: the
    agreement is no longer in force for them until they sign (see AgreementState).
    """
    if role not in ("coach", "sponsor"):
        raise ValidationError({"role": "Only the coach and the sponsor can be changed."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the role changes; it is kept in the audit log."})
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if role == "coach" and person is None:
        raise ValidationError({"person": "An engagement always has a coach."})
    if role == "sponsor" and person is None and engagement.kind == Kind.COACHING:
        raise ValidationError({"person": "Coaching always has a sponsor."})
    old = getattr(engagement, role)
    coach = person if role == "coach" else engagement.coach
    sponsor = person if role == "sponsor" else engagement.sponsor
    assert coach is not None
    _check_parties(coach=coach, client=engagement.client, sponsor=sponsor)
    setattr(engagement, role, person)
    engagement.save(update_fields=[role])
    audit.record(
        request,
        action=CHANGE,
        what="role.changed",
        person=by,
        role=by_role,
        engagement=engagement,
        detail=f"{role}: {old.name if old else 'none'} → {person.name if person else 'none'}. {reason.strip()[:200]}",
    )
    return engagement


# --- The agreement ---------------------------------------------------------

AGREEMENT_TERMS = (
    *(f"share_{category.value}" for category in SharingCategory),
    "sponsor_expects_feedback",
    "client_confidential",
    "cadence",
    "coach_commitments",
    "client_commitments",
    "sponsor_commitments",
)


def default_terms(engagement: Engagement) -> dict[str, Any]:
    # Mentoring is more open by default: if a sponsor is ever added, everything
    # shareable is proposed as shared (the parties can switch items off).
    open_by_default = engagement.kind == Kind.MENTORING
    terms: dict[str, Any] = {f"share_{c.value}": open_by_default for c in SharingCategory}
    terms.update(
        sponsor_expects_feedback=False,
        client_confidential="",
        cadence=engagement.cadence,
        coach_commitments="",
        client_commitments="",
        sponsor_commitments="",
    )
    return terms


def _clean_terms(terms: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(terms) - set(AGREEMENT_TERMS)
    if unknown:
        raise ValidationError(dict.fromkeys(sorted(unknown), "not a term of the agreement"))
    cleaned: dict[str, Any] = {}
    for name, value in terms.items():
        if name.startswith("share_") or name == "sponsor_expects_feedback":
            if not isinstance(value, bool):
                raise ValidationError({name: "must be true or false"})
            cleaned[name] = value
        elif name == "cadence":
            cleaned[name] = _choice("cadence", str(value), Cadence)
        else:
            text = str(value).strip()
            if len(text) > 4000:
                raise ValidationError({name: "is longer than 4,000 characters"})
            cleaned[name] = text
    return cleaned


def _describe(agreement: Agreement) -> str:
    shared = ", ".join(sorted(agreement.grants())) or "nothing"
    return f"v{agreement.version} shares with the sponsor: {shared}"


def _ask_for_signatures(
    engagement: Engagement, agreement: Agreement, *, except_person: Person
) -> None:
    """E-mail each party who must sign. No terms in the mail: they are read after signing in."""
    from leancoach.core import access

    link = reverse("engagements:agreement", kwargs={"pk": engagement.pk})
    for role in engagement.required_roles():
        person: Person | None = getattr(engagement, role)
        if person is None or person.pk == except_person.pk or person.user_id is None:
            continue
        if not access.may_be_mailed_about(
            person, engagement, access.Category.SIGNATURE, access.WRITE
        ):
            continue
        send_mail(
            subject=f"Please read and sign version {agreement.version} of your coaching agreement",
            message=(
                f"Hello {person.name},\n\n"
                f"{except_person.name} has proposed version {agreement.version} of the agreement for the "
                f"{engagement.get_kind_display().lower()} of {engagement.client.name}.\n"
                f"Read it and sign it as {role} here: {settings.LEANCOACH_BASE_URL}{link}\n"
            ),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )


@transaction.atomic
def propose_agreement(
    *,
    request: HttpRequest | None,
    engagement: Engagement,
    by: Person,
    role: str,
    terms: Mapping[str, Any],
) -> Agreement:
    """Write the agreement: edits the newest version while nobody has signed it, else starts a new one."""
    cleaned = _clean_terms(terms)
    Engagement.objects.select_for_update().filter(pk=engagement.pk).first()
    latest = Agreement.objects.filter(engagement=engagement).order_by("-version").first()
    if latest is not None and not latest.signatures.exists():
        return edit_agreement(request=request, agreement=latest, by=by, role=role, terms=cleaned)
    base = default_terms(engagement)
    if latest is not None:
        base.update({name: getattr(latest, name) for name in AGREEMENT_TERMS})
    base.update(cleaned)
    agreement = Agreement.objects.create(
        engagement=engagement, version=(latest.version + 1) if latest else 1, created_by=by, **base
    )
    audit.record(
        request,
        action=CHANGE,
        what="agreement.proposed",
        person=by,
        role=role,
        engagement=engagement,
        detail=_describe(agreement),
    )
    _ask_for_signatures(engagement, agreement, except_person=by)
    return agreement


@transaction.atomic
def edit_agreement(
    *,
    request: HttpRequest | None,
    agreement: Agreement,
    by: Person,
    role: str,
    terms: Mapping[str, Any],
) -> Agreement:
    cleaned = _clean_terms(terms)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.signatures.exists():
        raise Conflict(
            f"Version {agreement.version} has been signed and cannot change; propose a new version instead."
        )
    latest_version = Agreement.objects.filter(engagement_id=agreement.engagement_id).aggregate(
        v=Max("version")
    )["v"]
    if agreement.version != latest_version:
        raise Conflict(
            f"Version {agreement.version} has been replaced by version {latest_version}."
        )
    for name, value in cleaned.items():
        setattr(agreement, name, value)
    agreement.save()
    audit.record(
        request,
        action=CHANGE,
        what="agreement.edited",
        person=by,
        role=role,
        engagement=agreement.engagement,
        detail=_describe(agreement),
    )
    return agreement


@transaction.atomic
def sign_agreement(
    *,
    request: HttpRequest | None,
    agreement: Agreement,
    person: Person,
    ip_address: str | None = None,
) -> Signature:
    engagement = Engagement.objects.select_for_update().get(pk=agreement.engagement_id)
    roles = [
        role for role in engagement.required_roles() if engagement.person_in_role(role) == person.pk
    ]
    if not roles:
        raise ValidationError(
            {"role": "Only the coach, the client and the sponsor sign this agreement."}
        )
    role = roles[0]
    latest = Agreement.objects.filter(engagement=engagement).order_by("-version").first()
    if latest is None or latest.pk != agreement.pk:
        raise Conflict(
            f"Version {agreement.version} has been replaced; read and sign version {latest.version if latest else '?'}."
        )
    existing = Signature.objects.filter(agreement=agreement, role=role).first()
    if existing is not None and existing.person_id == person.pk:
        raise Conflict(
            f"You have already signed version {agreement.version}, on {existing.signed_at:%Y-%m-%d}."
        )
    if existing is not None:
        # The role changed hands since; the new holder's signature replaces the old one's.
        raise Conflict(
            f"Version {agreement.version} was signed as {role} by someone else; ask the coach to propose a new version."
        )
    signature = Signature.objects.create(
        agreement=agreement, role=role, person=person, ip_address=ip_address
    )
    audit.record(
        request,
        action=CHANGE,
        what="agreement.signed",
        person=person,
        role=role,
        engagement=engagement,
        detail=f"v{agreement.version} signed as {role}",
    )
    if not agreement_state(engagement).missing_roles(agreement):
        signals.agreement_in_force.send(
            sender=Agreement, engagement=engagement, agreement=agreement, request=request
        )
    return signature


# --- Needs, positive assumptions, private notes -----------------------------


def _need_fields(owner: str, category: str, description: str) -> tuple[str, str, str]:
    _choice("owner", owner, NeedOwner)
    if category not in NEED_CATEGORIES[owner]:
        allowed = ", ".join(NEED_CATEGORIES[owner])
        raise ValidationError(
            {"category": f"“{category}” is not a category of the {owner}'s needs ({allowed})."}
        )
    description = description.strip()
    if not description:
        raise ValidationError({"description": "Describe the need."})
    if len(description) > 2000:
        raise ValidationError({"description": "Keep the description under 2,000 characters."})
    return owner, category, description


@transaction.atomic
def add_need(
    *, engagement: Engagement, by: Person, owner: str, category: str, description: str
) -> Need:
    owner, category, description = _need_fields(owner, category, description)
    last = Need.objects.filter(engagement=engagement, owner=owner).aggregate(p=Max("position"))["p"]
    return Need.objects.create(
        engagement=engagement,
        owner=owner,
        category=category,
        description=description,
        position=(last or 0) + 1,
        written_by=by,
    )


@transaction.atomic
def edit_need(*, need: Need, category: str, description: str) -> Need:
    _owner, need.category, need.description = _need_fields(need.owner, category, description)
    need.save(update_fields=["category", "description"])
    return need


@transaction.atomic
def remove_need(*, need: Need) -> None:
    need.delete()


@transaction.atomic
def move_need(*, need: Need, to_position: int) -> list[Need]:
    """Put ``need`` at 1-based ``to_position`` in its list and renumber the list."""
    siblings = list(
        Need.objects.select_for_update()
        .filter(engagement_id=need.engagement_id, owner=need.owner)
        .order_by("position", "id")
    )
    if not 1 <= to_position <= len(siblings):
        raise ValidationError({"position": f"Choose a position from 1 to {len(siblings)}."})
    siblings = [item for item in siblings if item.pk != need.pk]
    siblings.insert(to_position - 1, need)
    for index, item in enumerate(siblings, start=1):
        item.position = index
    Need.objects.bulk_update(siblings, ["position"])
    return siblings


@transaction.atomic
def write_assumptions(
    *, engagement: Engagement, by: Person, best_outcome: str, strengths: str
) -> PositiveAssumptions:
    best_outcome, strengths = best_outcome.strip(), strengths.strip()
    errors = {}
    if not best_outcome:
        errors["best_outcome"] = "Write the client's hoped-for best outcome."
    if not strengths:
        errors["strengths"] = "Write at least one strength: coaching starts from strengths."
    if len(best_outcome) > 4000 or len(strengths) > 4000:
        errors["strengths" if len(strengths) > 4000 else "best_outcome"] = (
            "Keep it under 4,000 characters."
        )
    if errors:
        raise ValidationError(errors)
    return PositiveAssumptions.objects.create(
        engagement=engagement, best_outcome=best_outcome, strengths=strengths, written_by=by
    )


@transaction.atomic
def add_private_note(*, engagement: Engagement, by: Person, text: str) -> PrivateNote:
    text = text.strip()
    if not text:
        raise ValidationError({"text": "The note is empty."})
    if len(text) > 10000:
        raise ValidationError({"text": "Keep a note under 10,000 characters."})
    return PrivateNote.objects.create(engagement=engagement, text=text, author=by)


@transaction.atomic
def delete_private_note(*, note: PrivateNote, by: Person) -> None:
    """Only its author deletes a private note (the caller found it through
    ``access.get_my_private_note``, which finds only the author's own)."""
    if note.author_id != by.pk:
        raise ValidationError({"note": "Only the author of a private note can delete it."})
    note.delete()
