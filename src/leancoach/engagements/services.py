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
    Answer,
    Cadence,
    CoachingModel,
    Consent,
    Engagement,
    Kind,
    Need,
    NeedOwner,
    PositiveAssumptions,
    PrivateNote,
    RoleProposal,
    SharingCategory,
    Signature,
    Status,
    StatusChange,
    Zone,
)
from leancoach.engagements.selectors import agreement_state, proposal_sentence
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


def _consents(
    engagement: Engagement, opened_by: Person | None, *, reason_of_opener: str
) -> list[Consent]:
    """Ask every party but the opener; the opener's row is accepted at once."""
    now = timezone.now()
    rows = []
    for role in engagement.required_roles():
        person: Person | None = getattr(engagement, role)
        if person is None:
            continue
        if opened_by is not None and person.pk == opened_by.pk:
            rows.append(
                Consent(
                    engagement=engagement,
                    role=role,
                    person=person,
                    answer=Answer.ACCEPTED,
                    asked_at=now,
                    answered_at=now,
                    reason=reason_of_opener,
                )
            )
        else:
            rows.append(Consent(engagement=engagement, role=role, person=person, asked_at=now))
    Consent.objects.bulk_create(rows)
    if all(row.answer == Answer.ACCEPTED for row in rows):
        engagement.accepted_at = now
        engagement.save(update_fields=["accepted_at"])
    return rows


def _ask(engagement: Engagement, *, person: Person, subject: str, text: str) -> None:
    """One e-mail about a proposal; the caller has checked ``access.may_be_mailed_about``
    (which sends nothing to people without an active login)."""
    link = reverse("engagements:proposal", kwargs={"pk": engagement.pk})
    send_mail(
        subject=subject,
        message=(
            f"Hello {person.name},\n\n{text}\n"
            f"Read the proposal and accept or decline it here: "
            f"{settings.LEANCOACH_BASE_URL}{link}\n"
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[person.email],
    )


def _ask_for_consent(engagement: Engagement, consents: Iterable[Consent]) -> None:
    """E-mail each party asked. No content in the mail: what is proposed is read after signing in."""
    from leancoach.core import access

    for consent in consents:
        if consent.answer != Answer.PENDING:
            continue
        person = consent.person
        if not access.may_be_mailed_about(
            person, engagement, access.Category.CONSENT, access.WRITE
        ):
            continue
        _ask(
            engagement,
            person=person,
            subject=f"Will you take part? A proposed {engagement.get_kind_display().lower()} "
            f"with {engagement.client.name}",
            text=f"{proposal_sentence(engagement, consent.role)}.",
        )


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
    """Propose an engagement: every party named but the opener is asked to take part, and
    it holds no coaching content until they all accept (see ``answer_consent``)."""
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
        accepted_at=None,
        **_zones(zones),
    )
    StatusChange.objects.create(
        engagement=engagement,
        to_status=Status.PROPOSED,
        reason="Opened" if opened_by is not None else "Opened by a programme admin",
        changed_by=opened_by or coach,
    )
    consents = _consents(engagement, opened_by, reason_of_opener="Opened the engagement")
    asked = [c for c in consents if c.answer == Answer.PENDING]
    audit.record(
        request,
        action=CHANGE,
        what="engagement.opened",
        person=opened_by,
        role="coach" if opened_by is not None and opened_by.pk == coach.pk else "admin",
        engagement=engagement,
        detail=f"{engagement.get_kind_display()}: coach {coach.name}, client {client.name}, "
        f"sponsor {sponsor.name if sponsor else 'none'}; waiting for "
        + (", ".join(f"the {c.role} ({c.person.name})" for c in asked) or "nobody"),
    )
    _ask_for_consent(engagement, consents)
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
    consents = _consents(engagement, mentee, reason_of_opener="Asked for mentoring")
    audit.record(
        request,
        action=CHANGE,
        what="mentoring.requested",
        person=mentee,
        role="client",
        engagement=engagement,
        detail=f"{mentee.name} asked {mentor.name} to mentor them",
    )
    _ask_for_consent(engagement, consents)
    return engagement


def _activate_if_ready(
    request: HttpRequest | None,
    engagement: Engagement,
    *,
    by: Person,
    role: str,
    why: str,
    in_force: Agreement | None = None,
) -> bool:
    """A proposed engagement starts by itself once every party has agreed and the agreement
    is in force (``in_force``, if the caller knows it). ``engagement`` is locked by the
    caller. Whether it started."""
    if engagement.status != Status.PROPOSED or engagement.accepted_at is None:
        return False
    in_force = in_force or agreement_state(engagement).in_force
    if in_force is None:
        return False
    reason = why.format(version=in_force.version)
    engagement.status = Status.ACTIVE
    engagement.status_changed_at = timezone.now()
    engagement.save(update_fields=["status", "status_changed_at"])
    StatusChange.objects.create(
        engagement=engagement,
        from_status=Status.PROPOSED,
        to_status=Status.ACTIVE,
        reason=reason,
        changed_by=by,
    )
    audit.record(
        request,
        action=CHANGE,
        what="status.changed",
        person=by,
        role=role,
        engagement=engagement,
        detail=f"{Status.PROPOSED} → {Status.ACTIVE}: {reason}",
    )
    return True


@transaction.atomic
def answer_consent(
    *,
    request: HttpRequest | None,
    engagement: Engagement,
    person: Person,
    accept: bool,
    reason: str = "",
) -> Engagement:
    """``person`` accepts or declines taking part. The last acceptance makes the engagement
    agreed (and active, if the agreement is already signed by all); a decline closes it."""
    from leancoach.core import access

    reason = reason.strip()
    if len(reason) > 400:
        raise ValidationError({"reason": "Keep the reason under 400 characters."})
    # Lock order: the engagement row first (as every write of an engagement), then its rows.
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    consents = list(Consent.objects.select_for_update().filter(engagement=engagement))
    mine = next((c for c in consents if access.may_answer_consent(engagement, c, person)), None)
    if engagement.status == Status.CLOSED:
        raise Conflict("This engagement has been closed; there is nothing to answer.")
    if mine is None:
        raise Conflict("Nothing in this engagement waits for your answer.")
    if mine.answer != Answer.PENDING:
        raise Conflict(
            f"You already {mine.answer} this, on {timezone.localtime(mine.answered_at):%Y-%m-%d}."
            if mine.answered_at
            else f"You already {mine.answer} this."
        )
    label = engagement.role_label(mine.role)
    mine.answer = Answer.ACCEPTED if accept else Answer.DECLINED
    mine.answered_at = timezone.now()
    mine.reason = reason
    mine.save(update_fields=["answer", "answered_at", "reason"])
    audit.record(
        request,
        action=CHANGE,
        what="consent.accepted" if accept else "consent.declined",
        person=person,
        role=mine.role,
        engagement=engagement,
        detail=f"the {label} {'accepted' if accept else 'declined'}"
        + (f": {reason[:200]}" if reason else ""),
    )
    if not accept:
        return change_status(
            request=request,
            engagement=engagement,
            by=person,
            role=mine.role,
            to_status=Status.CLOSED,
            reason=f"Declined by the {label}: {reason}" if reason else f"Declined by the {label}",
        )
    if all(c.answer == Answer.ACCEPTED for c in consents):
        engagement.accepted_at = mine.answered_at
        engagement.save(update_fields=["accepted_at"])
        _activate_if_ready(
            request,
            engagement,
            by=person,
            role=mine.role,
            why="Every party accepted; agreement v{version} was already signed by everyone",
        )
    return engagement


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
            waiting = Consent.objects.filter(
                engagement=engagement, answer=Answer.PENDING
            ).select_related("person")
            names = ", ".join(f"{c.person.name} ({engagement.role_label(c.role)})" for c in waiting)
            raise ValidationError(
                {"status": f"Not every party has accepted yet; waiting for {names or 'an answer'}."}
            )
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


# --- Roles: a new coach or sponsor is a proposal the client answers -----------------


def _holder(person: Person | None) -> str:
    return person.name if person is not None else "none"


@transaction.atomic
def propose_role_change(
    *,
    request: HttpRequest | None,
    engagement: Engagement,
    by: Person | None,
    by_role: str,
    role: str,
    person: Person | None,
    reason: str,
) -> RoleProposal:
    """Propose a new coach or sponsor. Nothing changes until the client accepts
    (``answer_role_change``); the proposed person has no part in the engagement until then."""
    from leancoach.core import access

    if role not in ("coach", "sponsor"):
        raise ValidationError({"role": "Only the coach and the sponsor can be changed."})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the role changes; it is kept in the audit log."})
    refusal = access.may_be_proposed(by, role, person)
    if refusal is not None:
        raise ValidationError({"person": refusal})
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    if engagement.status == Status.CLOSED:
        raise Conflict("This engagement is closed; its roles no longer change.")
    if engagement.accepted_at is None:
        raise Conflict(
            "Not every party has accepted this proposal yet; close it and open a new one "
            "with the right people instead."
        )
    if role == "coach" and person is None:
        raise ValidationError({"person": "An engagement always has a coach."})
    if role == "sponsor" and person is None and engagement.kind == Kind.COACHING:
        raise ValidationError({"person": "Coaching always has a sponsor."})
    current = getattr(engagement, role)
    if (person.pk if person else None) == (current.pk if current else None):
        raise ValidationError({"person": f"{_holder(person)} is already the {role}."})
    coach = person if role == "coach" else engagement.coach
    sponsor = person if role == "sponsor" else engagement.sponsor
    assert coach is not None
    _check_parties(coach=coach, client=engagement.client, sponsor=sponsor)
    if RoleProposal.objects.filter(
        engagement=engagement, role=role, answer=Answer.PENDING
    ).exists():
        raise Conflict(
            f"A new {role} is already proposed and waits for the client's answer; "
            "withdraw that proposal first."
        )
    proposal = RoleProposal.objects.create(
        engagement=engagement,
        role=role,
        person=person,
        replaces=current,
        proposed_by=by,
        proposed_by_role=by_role,
        reason=reason[:300],
    )
    audit.record(
        request,
        action=CHANGE,
        what="role.proposed",
        person=by,
        role=by_role,
        engagement=engagement,
        detail=f"{role}: {_holder(current)} → {_holder(person)}, waiting for the client. "
        f"{reason[:200]}",
    )
    client = engagement.client
    if access.may_be_mailed_about(client, engagement, access.Category.ROLE_CHANGES, access.WRITE):
        who = by.name if by is not None else "A programme admin"
        _ask(
            engagement,
            person=client,
            subject=f"A new {engagement.role_label(role)} is proposed for your "
            f"{engagement.get_kind_display().lower()}",
            text=f"{who} proposes {_holder(person)} as your {engagement.role_label(role)} "
            f"in place of {_holder(current)}. Nothing changes unless you accept.",
        )
    return proposal


def _lock_proposal(proposal: RoleProposal) -> tuple[Engagement, RoleProposal]:
    engagement = Engagement.objects.select_for_update().get(pk=proposal.engagement_id)
    proposal = RoleProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.answer != Answer.PENDING:
        when = (
            f", on {timezone.localtime(proposal.answered_at):%Y-%m-%d}"
            if proposal.answered_at
            else ""
        )
        raise Conflict(f"This proposal was already {proposal.answer}{when}.")
    if engagement.status == Status.CLOSED:
        raise Conflict("This engagement is closed; its roles no longer change.")
    return engagement, proposal


def _new_version_for(
    request: HttpRequest | None, engagement: Engagement, *, role: str, by: Person
) -> Agreement | None:
    """Signatures belong to people: a new holder has signed nothing. If the previous holder
    signed the newest version, the new one cannot sign it in their place, so a copy of its
    terms becomes the next version for everyone to sign; otherwise the new holder signs the
    newest version as it is."""
    state = agreement_state(engagement)
    latest = state.latest
    if latest is None:
        return None
    signature = state.signed.get(latest.pk, {}).get(role)
    if signature is None or signature.person_id == state.holders.get(role):
        return None
    agreement = Agreement.objects.create(
        engagement=engagement,
        version=latest.version + 1,
        created_by=by,
        **{name: getattr(latest, name) for name in AGREEMENT_TERMS},
    )
    audit.record(
        request,
        action=CHANGE,
        what="agreement.proposed",
        person=by,
        role="client",
        engagement=engagement,
        detail=f"{_describe(agreement)}; the terms of v{latest.version}, for the new {role} to sign",
    )
    newcomer = getattr(engagement, role)
    _ask_for_signatures(
        engagement,
        agreement,
        except_person=by,
        because=f"Version {agreement.version} repeats the terms of version {latest.version} "
        f"so that {newcomer.name}, the new {engagement.role_label(role)}, can sign it.",
    )
    return agreement


@transaction.atomic
def answer_role_change(
    *,
    request: HttpRequest | None,
    proposal: RoleProposal,
    by: Person,
    accept: bool,
    reason: str = "",
) -> RoleProposal:
    """The client accepts or declines a proposed new coach or sponsor."""
    from leancoach.core import access

    reason = reason.strip()
    if len(reason) > 400:
        raise ValidationError({"reason": "Keep the reason under 400 characters."})
    engagement, proposal = _lock_proposal(proposal)
    if not access.may_answer_role_change(engagement, by):
        raise ValidationError({"engagement": "Only the client answers a proposed new role."})
    role = proposal.role
    current = getattr(engagement, role)
    if (current.pk if current else None) != proposal.replaces_id:
        raise Conflict(f"The {role} has changed since this was proposed; it no longer applies.")
    proposal.answer = Answer.ACCEPTED if accept else Answer.DECLINED
    proposal.answered_at = timezone.now()
    proposal.answered_by = by
    proposal.answer_reason = reason
    proposal.save(update_fields=["answer", "answered_at", "answered_by", "answer_reason"])
    change = f"{role}: {_holder(current)} → {_holder(proposal.person)}"
    if not accept:
        audit.record(
            request,
            action=CHANGE,
            what="role.declined",
            person=by,
            role="client",
            engagement=engagement,
            detail=f"{change}, declined by the client" + (f": {reason[:200]}" if reason else ""),
        )
        return proposal
    coach = proposal.person if role == "coach" else engagement.coach
    sponsor = proposal.person if role == "sponsor" else engagement.sponsor
    assert coach is not None
    _check_parties(coach=coach, client=engagement.client, sponsor=sponsor)
    setattr(engagement, role, proposal.person)
    engagement.save(update_fields=[role])
    audit.record(
        request,
        action=CHANGE,
        what="role.changed",
        person=by,
        role="client",
        engagement=engagement,
        detail=f"{change}, accepted by the client. {proposal.reason[:200]}",
    )
    if proposal.person is not None:
        _new_version_for(request, engagement, role=role, by=by)
    _activate_if_ready(
        request,
        engagement,
        by=by,
        role="client",
        why="Agreement v{version} signed by everyone who now takes part",
    )
    return proposal


@transaction.atomic
def withdraw_role_change(
    *, request: HttpRequest | None, proposal: RoleProposal, by: Person | None, by_role: str
) -> RoleProposal:
    engagement, proposal = _lock_proposal(proposal)
    proposal.answer = Answer.WITHDRAWN
    proposal.answered_at = timezone.now()
    proposal.answered_by = by
    proposal.save(update_fields=["answer", "answered_at", "answered_by"])
    audit.record(
        request,
        action=CHANGE,
        what="role.withdrawn",
        person=by,
        role=by_role,
        engagement=engagement,
        detail=f"{proposal.role}: {_holder(proposal.person)} no longer proposed",
    )
    return proposal


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
    engagement: Engagement, agreement: Agreement, *, except_person: Person, because: str = ""
) -> None:
    """E-mail each party who must sign. No terms in the mail: they are read after signing in."""
    from leancoach.core import access

    link = reverse("engagements:agreement", kwargs={"pk": engagement.pk})
    # Someone still asked to take part answers that first; the home page then asks them to sign.
    asked = set(
        Consent.objects.filter(engagement=engagement, answer=Answer.PENDING).values_list(
            "person_id", flat=True
        )
    )
    for role in engagement.required_roles():
        person: Person | None = getattr(engagement, role)
        if (
            person is None
            or person.pk == except_person.pk
            or person.user_id is None
            or person.pk in asked
        ):
            continue
        if not access.may_be_mailed_about(
            person, engagement, access.Category.SIGNATURE, access.WRITE
        ):
            continue
        send_mail(
            subject=f"Please read and sign version {agreement.version} of your coaching agreement",
            message=(
                f"Hello {person.name},\n\n"
                + (
                    because
                    or f"{except_person.name} has proposed version {agreement.version} of the "
                    f"agreement for the {engagement.get_kind_display().lower()} of "
                    f"{engagement.client.name}."
                )
                + f"\nRead it and sign it as {role} here: {settings.LEANCOACH_BASE_URL}{link}\n"
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
    consent = Consent.objects.filter(engagement=engagement, role=role, person=person).first()
    if consent is not None and consent.answer != Answer.ACCEPTED:
        raise Conflict(
            "Accept or decline taking part first; once you have accepted, sign the agreement."
        )
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
        _activate_if_ready(
            request,
            engagement,
            by=person,
            role=role,
            why="Agreement v{version} signed by everyone",
            in_force=agreement,
        )
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
