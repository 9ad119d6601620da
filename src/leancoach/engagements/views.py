"""Engagement pages: thin views over core.access, the services and the selectors."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leancoach.core import access
from leancoach.core.access import READ, WRITE, Category, EngagementAccess, Forbidden
from leancoach.core.auditchain import page_integrity
from leancoach.core.errors import Conflict
from leancoach.core.http import client_ip
from leancoach.core.models import AuditEvent
from leancoach.cycle.models import Challenge
from leancoach.cycle.selectors import cycle_ladder, ratio_trend_chart
from leancoach.engagements import forms as f
from leancoach.engagements import selectors, services
from leancoach.engagements.models import (
    Agreement,
    Answer,
    Need,
    NeedOwner,
    PositiveAssumptions,
    RoleProposal,
    SharingCategory,
    Status,
)
from leancoach.meetings.models import ActionItem, ActionStatus, Meeting, MeetingStatus
from leancoach.metrics import services as measure_services
from leancoach.metrics.models import Measure
from leancoach.metrics.selectors import measure_charts
from leancoach.people.models import Person

View = Callable[..., HttpResponse]


def engagement_view(
    category: Category, action: str = READ, *, action_change: str | None = None
) -> Callable[[View], View]:
    """Open the engagement in the URL for this user and category, or answer 404/403.

    The wrapped view receives the EngagementAccess instead of the id, so it
    cannot reach the engagement any other way; the rule is also recorded on
    the view for the authorization-matrix test.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, pk: int, **kwargs: Any) -> HttpResponse:
            engagement_access = access.open_engagement(request, pk, category, action)
            return view(request, engagement_access, **kwargs)

        return access.route_rule(category=category, action=action, action_change=action_change)(
            wrapper
        )

    return decorate


def me(request: HttpRequest) -> Person:
    person = access.person_of(request.user)
    if person is None:
        raise Forbidden("Your login has no entry in the directory; ask an admin to import you.")
    return person


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


def back_to(ea: EngagementAccess, anchor: str = "") -> HttpResponse:
    return redirect(reverse("engagements:detail", kwargs={"pk": ea.engagement.pk}) + anchor)


def run_posted(request: HttpRequest, form: forms.Form, do: Callable[[], object], done: str) -> bool:
    """Run a service for a posted form; a refusal becomes a message on the page, never a 500."""
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(
                request,
                f"{field}: {' '.join(str(e) for e in errors)}"
                if field != "__all__"
                else " ".join(str(e) for e in errors),
            )
        return False
    try:
        do()
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    except Conflict as conflict:
        messages.error(request, str(conflict))
    else:
        messages.success(request, done)
        return True
    return False


def act(
    request: HttpRequest,
    ea: EngagementAccess,
    form: forms.Form,
    do: Callable[[], object],
    done: str,
    anchor: str = "",
    to: str | None = None,
) -> HttpResponse:
    """``run_posted``, then back to the engagement page, or to the page ``to`` names (a URL path)."""
    run_posted(request, form, do, done)
    return redirect(to + anchor) if to else back_to(ea, anchor)


AUDIT_PAGE = 100


def audit_page(
    request: HttpRequest, events: QuerySet[AuditEvent]
) -> tuple[list[AuditEvent], int | None]:
    """Newest first, a page at a time by key (``?before=<id>``)."""
    before = request.GET.get("before", "")
    if before.isdigit() and len(before) <= 18:
        events = events.filter(pk__lt=int(before))
    rows = list(events.order_by("-pk")[: AUDIT_PAGE + 1])
    older = rows[AUDIT_PAGE - 1].pk if len(rows) > AUDIT_PAGE else None
    return rows[:AUDIT_PAGE], older


# --- Lists and opening ------------------------------------------------------


@access.route_rule(capability="engagements.list")
@require_GET
def engagement_list(request: HttpRequest) -> HttpResponse:
    engagements = selectors.engagement_list(access.engagements_for(request.user))
    before = request.GET.get("before", "")
    if before.isdigit() and len(before) <= 18:
        engagements = engagements.filter(pk__lt=int(before))
    rows = list(engagements.order_by("-id")[:51])
    more = rows[50].pk if len(rows) > 50 else None
    rows = rows[:50]
    person = access.person_of(request.user)
    for engagement in rows:
        engagement.my_role = access.role_in(request.user, engagement).value  # type: ignore[attr-defined]
    waiting = [
        e for e in rows if e.is_awaiting_mentor and person is not None and e.coach_id == person.pk
    ]
    return render(
        request,
        "engagements/list.html",
        {"engagements": rows, "next_before": rows[-1].pk if more else None, "waiting": waiting},
    )


@access.route_rule(capability="engagements.open")
@require_http_methods(["GET", "POST"])
def open_engagement(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "engagements.open")
    form = (
        f.OpenEngagementForm(request.POST) if request.method == "POST" else f.OpenEngagementForm()
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        opener = access.person_of(request.user)
        coach = data["coach"] or opener
        if coach is None:
            form.add_error("coach", "Give the coach's e-mail (your login has no directory entry).")
        elif not access.may_open_for(request.user, coach):
            form.add_error("coach", "Only an admin may open an engagement for another coach.")
        if not form.errors and coach is not None:
            try:
                engagement = services.open_engagement(
                    request=request,
                    opened_by=opener,
                    coach=coach,
                    client=data["client"],
                    kind=data["kind"],
                    sponsor=data["sponsor"],
                    coaching_model=data["coaching_model"],
                    zones=data["zones"],
                    cadence=data["cadence"],
                    focus=data["focus"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    "Proposed. Each person named is asked to accept; meanwhile you can draft "
                    "the agreement, and coaching starts once everyone has accepted and signed it.",
                )
                return redirect("engagements:detail", pk=engagement.pk)
    return render(
        request, "engagements/open.html", {"form": form}, status=400 if form.errors else 200
    )


@access.route_rule(capability="engagements.request_mentor")
@require_http_methods(["GET", "POST"])
def request_mentor(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "engagements.request_mentor")
    form = f.RequestMentorForm(request.POST) if request.method == "POST" else f.RequestMentorForm()
    if request.method == "POST" and form.is_valid():
        try:
            engagement = services.request_mentor(
                request=request,
                mentee=me(request),
                mentor=form.cleaned_data["mentor"],
                focus=form.cleaned_data["focus"],
                cadence=form.cleaned_data["cadence"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(request, f"Request sent to {engagement.coach.name}.")
            return redirect("engagements:detail", pk=engagement.pk)
    return render(
        request,
        "engagements/request_mentor.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@access.route_rule(capability="engagements.list")
@require_GET
def my_audit(request: HttpRequest) -> HttpResponse:
    """Who has seen my coaching data: every audited read and change of engagements where I am the client."""
    person = me(request)
    engagements = list(
        access.engagements_for(request.user).filter(client=person).select_related("coach")
    )
    events, older = audit_page(request, AuditEvent.objects.filter(engagement__in=engagements))
    return render(
        request,
        "engagements/my_audit.html",
        {
            "events": events,
            "engagements": engagements,
            "older": older,
            "integrity": page_integrity(events),
        },
    )


# --- The engagement page ----------------------------------------------------

PAGE_SECTIONS = (
    Category.DETAILS,
    Category.MEETINGS,
    Category.AGREEMENT,
    Category.SPONSOR_NEEDS,
    Category.CLIENT_NEEDS,
    Category.ASSUMPTIONS,
    Category.PRIVATE_NOTES,
    Category.MEASURES,
    Category.TARGETS,
    Category.ACTION_STATUS,
    Category.MEETING_SUMMARIES,
    Category.OBSERVATIONS,
    Category.PRACTICE,
    Category.CURRENT_CONDITION,
    Category.SURVEY_RESULTS,
    Category.AUDIT,
    Category.ROLE_CHANGES,
)


def sharing_summary(state: selectors.AgreementState) -> dict[str, Any]:
    grants = state.sponsor_grants()
    return {
        "shared": [c for c in SharingCategory if c.value in grants],
        "not_shared": [c for c in SharingCategory if c.value not in grants],
        "pending_adds": [
            c
            for c in SharingCategory
            if state.pending and c.value in state.pending.grants() and c.value not in grants
        ],
    }


@engagement_view(Category.SUMMARY)
@require_GET
def engagement_detail(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    engagement = ea.engagement
    shown = ea.reveal(PAGE_SECTIONS)
    context: dict[str, Any] = {
        "ea": ea,
        "engagement": engagement,
        "shown": {c.value for c in shown},
    }
    if Category.DETAILS in shown and ea.can(Category.DETAILS, WRITE):
        context["challenges"] = list(
            Challenge.objects.order_by("title", "id").values_list("pk", "title")[:200]
        )
    if Category.DETAILS in shown:
        context["history"] = list(engagement.status_history.select_related("changed_by"))
    if Category.AGREEMENT in shown:
        state = selectors.agreement_state(engagement)
        context["state"] = state
        context["sharing"] = sharing_summary(state)
        context["pending_missing"] = state.missing_roles(state.pending) if state.pending else []
        me_ = access.person_of(request.user)
        context["must_sign"] = (
            state.latest is not None
            and me_ is not None
            and ea.can(Category.SIGNATURE, WRITE)
            and ea.role.value in state.missing_roles(state.latest)
        )
    person = access.person_of(request.user)
    if engagement.awaits_consent:
        consents = list(engagement.consents.select_related("person"))
        context["waiting_for"] = [c for c in consents if c.answer == Answer.PENDING]
        context["my_answer_due"] = person is not None and any(
            access.may_answer_consent(engagement, c, person) for c in context["waiting_for"]
        )
    if Category.ROLE_CHANGES in shown:
        context["pending_changes"] = list(
            engagement.role_proposals.filter(answer=Answer.PENDING).select_related(
                "person", "replaces"
            )
        )
        context["may_answer_changes"] = person is not None and access.may_answer_role_change(
            engagement, person
        )
    if Category.ASSUMPTIONS in shown:
        context["assumptions"] = engagement.assumptions.select_related("written_by").first()
    if Category.SPONSOR_NEEDS in shown:
        context["sponsor_needs"] = list(selectors.needs_of(engagement, NeedOwner.SPONSOR))
    if Category.CLIENT_NEEDS in shown:
        context["client_needs"] = list(selectors.needs_of(engagement, NeedOwner.CLIENT))
    if Category.PRIVATE_NOTES in shown:
        context["note_count"] = access.private_notes_in(ea).count()
    ladder = cycle_ladder(
        engagement,
        today=timezone.localdate(),
        targets=Category.TARGETS in shown,
        practice=Category.PRACTICE in shown,
        observations=Category.OBSERVATIONS in shown,
    )
    context["ladder"] = ladder
    if ladder.targets is not None:
        context["ladder_targets"] = access.disclose(ea, "target", ladder.targets)
    if ladder.trend:
        context["ratio"] = ladder.ratio
        context["ratio_chart"] = ratio_trend_chart(
            ladder.trend, title="The 28-day reinforcement ratio, week by week"
        )
    if Category.MEASURES in shown:
        # The target line is part of the targets category: drawn only for those who may read targets.
        target_lines = {
            target.measure_id: target.target_value
            for target in reversed(ladder.targets or [])
            if target.measure_id is not None
        }
        context["measures"] = measure_charts(
            Measure.objects.filter(engagement=engagement), targets=target_lines
        )
    if Category.ACTION_STATUS in shown:
        context["actions"] = list(
            ActionItem.objects.filter(engagement=engagement)
            .exclude(status=ActionStatus.DROPPED)
            .exclude(status=ActionStatus.DONE, confirmed_at__isnull=False)
            .order_by("due_on", "id")[:20]
        )
    if Category.MEETINGS in shown:
        context["next_meetings"] = list(
            Meeting.objects.filter(
                engagement=engagement,
                status=MeetingStatus.SCHEDULED,
                starts_at__gte=timezone.now() - datetime.timedelta(hours=12),
            ).order_by("starts_at", "id")[:3]
        )
    context.update(
        status_form=f.StatusForm(),
        role_form=f.RoleForm(auto_id="id_role_%s"),
        answer_form=f.AnswerForm(auto_id="id_answer_%s"),
        measure_form=f.MeasureForm(),
        value_form=f.ValueForm(),
        can_write={c.value for c in Category if ea.can(c, WRITE)},
        statuses=Status,
    )
    return render(request, "engagements/detail.html", context)


@engagement_view(Category.LIFECYCLE, WRITE)
@require_POST
def change_status(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.StatusForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.change_status(
            request=request,
            engagement=ea.engagement,
            by=me(request),
            role=ea.role.value,
            to_status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            on=form.cleaned_data["on"],
        ),
        "Status changed.",
        "#lifecycle",
    )


# --- Consent: proposals and their answers ------------------------------------


@engagement_view(Category.CONSENT)
@require_GET
def proposal(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    """What is proposed, who is asked and how they answered; the forms to answer."""
    engagement = ea.engagement
    shown = ea.reveal([Category.DETAILS, Category.ROLE_CHANGES])
    person = access.person_of(request.user)
    consents = list(engagement.consents.select_related("person"))
    mine = next(
        (
            c
            for c in consents
            if person is not None
            and c.answer == Answer.PENDING
            and engagement.status != Status.CLOSED
            and access.may_answer_consent(engagement, c, person)
        ),
        None,
    )
    role_changes = (
        list(
            engagement.role_proposals.select_related(
                "person", "replaces", "proposed_by", "answered_by"
            )[:20]
        )
        if Category.ROLE_CHANGES in shown
        else []
    )
    for change in role_changes:
        # One form per proposal, each with its own ids (a page has no two equal ids).
        change.form = f.AnswerForm(auto_id=f"id_change{change.pk}_%s")  # type: ignore[attr-defined]
    return render(
        request,
        "engagements/proposal.html",
        {
            "ea": ea,
            "engagement": engagement,
            "shown": {c.value for c in shown},
            "consents": consents,
            "mine": mine,
            "role_changes": role_changes,
            "pending_changes": [p for p in role_changes if p.answer == Answer.PENDING],
            "may_answer_changes": person is not None
            and access.may_answer_role_change(engagement, person),
            "may_withdraw": ea.can(Category.ROLES, WRITE),
            "may_read_agreement": ea.can(Category.AGREEMENT),
            "answer_form": f.AnswerForm(auto_id="id_mine_%s"),
        },
    )


def _answered(request: HttpRequest, form: f.AnswerForm, do: Callable[[], object]) -> bool:
    accepted = form.is_valid() and form.cleaned_data["accept"]
    return run_posted(request, form, do, "You accepted." if accepted else "You declined.")


@engagement_view(Category.CONSENT, WRITE)
@require_POST
def answer_request(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    """A party accepts or declines taking part (the mentor answering a request included)."""
    form = f.AnswerForm(request.POST)
    _answered(
        request,
        form,
        lambda: services.answer_consent(
            request=request,
            engagement=ea.engagement,
            person=me(request),
            accept=form.cleaned_data["accept"],
            reason=form.cleaned_data["reason"],
        ),
    )
    return back_to(ea)


@engagement_view(Category.ROLES, WRITE)
@require_POST
def change_role(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    """Propose a new coach or sponsor; the client decides."""
    form = f.RoleForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.propose_role_change(
            request=request,
            engagement=ea.engagement,
            by=access.person_of(request.user),
            by_role=ea.role.value,
            role=form.cleaned_data["role"],
            person=form.cleaned_data["person"],
            reason=form.cleaned_data["reason"],
        ),
        "Proposed. Nothing changes until the client accepts.",
        "#roles",
    )


def role_change_of(ea: EngagementAccess, proposal_id: int) -> RoleProposal:
    proposal: RoleProposal = access.get_part(ea, RoleProposal.objects.all(), proposal_id)
    return proposal


@engagement_view(Category.ROLE_CHANGES, WRITE)
@require_POST
def answer_role_change(
    request: HttpRequest, ea: EngagementAccess, proposal_id: int
) -> HttpResponse:
    proposal = role_change_of(ea, proposal_id)
    form = f.AnswerForm(request.POST)
    _answered(
        request,
        form,
        lambda: services.answer_role_change(
            request=request,
            proposal=proposal,
            by=me(request),
            accept=form.cleaned_data["accept"],
            reason=form.cleaned_data["reason"],
        ),
    )
    return redirect("engagements:proposal", pk=ea.engagement.pk)


@engagement_view(Category.ROLES, WRITE)
@require_POST
def withdraw_role_change(
    request: HttpRequest, ea: EngagementAccess, proposal_id: int
) -> HttpResponse:
    proposal = role_change_of(ea, proposal_id)
    run_posted(
        request,
        forms.Form({}),
        lambda: services.withdraw_role_change(
            request=request,
            proposal=proposal,
            by=access.person_of(request.user),
            by_role=ea.role.value,
        ),
        "Proposal withdrawn.",
    )
    return redirect("engagements:proposal", pk=ea.engagement.pk)


# --- The agreement ----------------------------------------------------------


@engagement_view(Category.AGREEMENT)
@require_GET
def agreement(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    state = selectors.agreement_state(ea.engagement)
    ea.reveal([Category.CONFIDENTIAL])
    person = access.person_of(request.user)
    must_sign = (
        state.latest is not None
        and person is not None
        and ea.can(Category.SIGNATURE, WRITE)
        and ea.role.value in state.missing_roles(state.latest)
    )
    # Signing comes after accepting to take part (services.sign_agreement refuses it before).
    answer_first = (
        must_sign
        and ea.engagement.awaits_consent
        and person is not None
        and any(
            access.may_answer_consent(ea.engagement, c, person)
            for c in ea.engagement.consents.filter(answer=Answer.PENDING)
        )
    )
    versions = [
        {
            "agreement": version,
            "signed": state.signed[version.pk],
            "missing": state.missing_roles(version),
            "grants": version.grants(),
        }
        for version in reversed(state.versions)
    ]
    return render(
        request,
        "engagements/agreement.html",
        {
            "ea": ea,
            "engagement": ea.engagement,
            "state": state,
            "versions": versions,
            "must_sign": must_sign and not answer_first,
            "answer_first": answer_first,
            "sharing": sharing_summary(state),
            "categories": list(SharingCategory),
            "show_confidential": ea.can(Category.CONFIDENTIAL),
            "can_edit": ea.can(Category.AGREEMENT, WRITE),
        },
    )


@engagement_view(Category.AGREEMENT, WRITE)
@require_http_methods(["GET", "POST"])
def edit_agreement(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    state = selectors.agreement_state(ea.engagement)
    latest = state.latest
    initial = services.default_terms(ea.engagement)
    if latest is not None:
        initial.update({name: getattr(latest, name) for name in services.AGREEMENT_TERMS})
    form = (
        f.AgreementForm(request.POST)
        if request.method == "POST"
        else f.AgreementForm(initial=initial)
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.propose_agreement(
                request=request,
                engagement=ea.engagement,
                by=me(request),
                role=ea.role.value,
                terms={name: form.cleaned_data[name] for name in services.AGREEMENT_TERMS},
            )
        except ValidationError as error:
            apply_errors(form, error)
        except Conflict as conflict:
            form.add_error(None, str(conflict))
        else:
            messages.success(
                request, f"Version {saved.version} is ready to be signed by every party."
            )
            return redirect("engagements:agreement", pk=ea.engagement.pk)
    locked = latest is not None and bool(state.signed.get(latest.pk))
    return render(
        request,
        "engagements/agreement_edit.html",
        {
            "ea": ea,
            "engagement": ea.engagement,
            "form": form,
            "latest": latest,
            "new_version": latest is None or locked,
        },
        status=400 if form.errors else 200,
    )


@engagement_view(Category.SIGNATURE, WRITE)
@require_POST
def sign_agreement(request: HttpRequest, ea: EngagementAccess, version: int) -> HttpResponse:
    agreement = Agreement.objects.filter(engagement=ea.engagement, version=version).first()
    if agreement is None:
        raise access.NotFound()
    try:
        services.sign_agreement(
            request=request,
            agreement=agreement,
            person=me(request),
            ip_address=client_ip(request),
        )
    except (ValidationError, Conflict) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
    else:
        messages.success(request, f"You signed version {version}.")
    return redirect("engagements:agreement", pk=ea.engagement.pk)


# --- Needs: one set of views per list, so each route has one fixed rule -----


def _need_views(owner: str, category: Category) -> dict[str, View]:
    def needs_page(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
        return redirect(
            reverse("engagements:needs", kwargs={"pk": ea.engagement.pk}) + f"#{owner}-needs"
        )

    def add(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
        form = f.NeedForm(request.POST, owner=owner)
        if form.is_valid():
            try:
                services.add_need(
                    engagement=ea.engagement,
                    by=me(request),
                    owner=owner,
                    category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(
                request,
                "The need was not added: "
                + "; ".join(f"{k}: {' '.join(str(e) for e in v)}" for k, v in form.errors.items()),
            )
        return needs_page(request, ea)

    def need_of(ea: EngagementAccess, need_id: int) -> Need:
        need: Need = access.get_part(ea, Need.objects.filter(owner=owner), need_id)
        return need

    def edit(request: HttpRequest, ea: EngagementAccess, need_id: int) -> HttpResponse:
        need = need_of(ea, need_id)
        form = f.NeedForm(request.POST, owner=owner)
        if form.is_valid():
            try:
                services.edit_need(
                    need=need,
                    category=form.cleaned_data["category"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(
                request,
                "Not saved: "
                + "; ".join(" ".join(str(e) for e in v) for v in form.errors.values()),
            )
        return needs_page(request, ea)

    def remove(request: HttpRequest, ea: EngagementAccess, need_id: int) -> HttpResponse:
        services.remove_need(need=need_of(ea, need_id))
        messages.success(request, "Need removed.")
        return needs_page(request, ea)

    def move(request: HttpRequest, ea: EngagementAccess, need_id: int) -> HttpResponse:
        need = need_of(ea, need_id)
        form = f.MoveForm(request.POST)
        if form.is_valid():
            try:
                services.move_need(need=need, to_position=form.cleaned_data["position"])
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, "Choose a position to move to.")
        if request.htmx:  # type: ignore[attr-defined]
            return render_needs(request, ea, partial=True)
        return needs_page(request, ea)

    views: dict[str, View] = {"add": add, "edit": edit, "remove": remove, "move": move}
    return {
        name: engagement_view(category, WRITE)(require_POST(view)) for name, view in views.items()
    }


sponsor_need_views = _need_views(NeedOwner.SPONSOR, Category.SPONSOR_NEEDS)
client_need_views = _need_views(NeedOwner.CLIENT, Category.CLIENT_NEEDS)


def render_needs(request: HttpRequest, ea: EngagementAccess, partial: bool = False) -> HttpResponse:
    shown = ea.reveal([Category.SPONSOR_NEEDS, Category.CLIENT_NEEDS])
    lists = []
    for owner, category in (
        (NeedOwner.SPONSOR, Category.SPONSOR_NEEDS),
        (NeedOwner.CLIENT, Category.CLIENT_NEEDS),
    ):
        if category in shown:
            lists.append(
                {
                    "owner": owner.value,
                    "label": owner.label,
                    "needs": list(selectors.needs_of(ea.engagement, owner)),
                    "can_write": ea.can(category, WRITE),
                    "form": f.NeedForm(owner=owner.value, auto_id=f"id_{owner.value}_%s"),
                }
            )
    template = "engagements/_needs_lists.html" if partial else "engagements/needs.html"
    return render(request, template, {"ea": ea, "engagement": ea.engagement, "lists": lists})


# Everyone who may read any needs may read the sponsor's list, so that is the page's rule.
@engagement_view(Category.SPONSOR_NEEDS)
@require_GET
def needs(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    return render_needs(request, ea)


# --- Positive assumptions and private notes --------------------------------


@engagement_view(Category.ASSUMPTIONS)
@require_http_methods(["GET", "POST"])
def assumptions(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    history = list(
        PositiveAssumptions.objects.filter(engagement=ea.engagement).select_related("written_by")
    )
    current = history[0] if history else None
    form = f.AssumptionsForm(
        initial={"best_outcome": current.best_outcome, "strengths": current.strengths}
        if current
        else None
    )
    if request.method == "POST":
        ea.require(Category.ASSUMPTIONS, WRITE)
        form = f.AssumptionsForm(request.POST)
        if form.is_valid():
            try:
                services.write_assumptions(
                    engagement=ea.engagement, by=me(request), **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Saved. Earlier versions are kept below.")
                return redirect("engagements:assumptions", pk=ea.engagement.pk)
    return render(
        request,
        "engagements/assumptions.html",
        {
            "ea": ea,
            "engagement": ea.engagement,
            "current": current,
            "history": history[1:],
            "form": form,
            "can_write": ea.can(Category.ASSUMPTIONS, WRITE),
        },
        status=400 if form.errors else 200,
    )


@engagement_view(Category.PRIVATE_NOTES, WRITE)
@require_http_methods(["GET", "POST"])
def private_notes(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.PrivateNoteForm(request.POST) if request.method == "POST" else f.PrivateNoteForm()
    if request.method == "POST" and form.is_valid():
        try:
            services.add_private_note(
                engagement=ea.engagement, by=me(request), text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("engagements:notes", pk=ea.engagement.pk)
    notes = list(access.private_notes_in(ea)[:200])
    return render(
        request,
        "engagements/notes.html",
        {"ea": ea, "engagement": ea.engagement, "notes": notes, "form": form},
        status=400 if form.errors else 200,
    )


@access.route_rule(capability="notes.own")
@require_GET
def my_notes(request: HttpRequest) -> HttpResponse:
    """Every private note I wrote, in every engagement — also those I no longer coach."""
    person = me(request)
    notes = list(
        access.my_private_notes(request.user)
        .select_related("engagement__client", "engagement__coach", "meeting")
        .order_by("engagement_id", "-written_at", "-id")[:500]
    )
    groups: dict[int, dict[str, Any]] = {}
    for note in notes:
        group = groups.setdefault(
            note.engagement_id,
            {
                "engagement": note.engagement,
                "still_coach": note.engagement.coach_id == person.pk,
                "notes": [],
            },
        )
        group["notes"].append(note)
    return render(
        request,
        "engagements/my_notes.html",
        {"groups": list(groups.values()), "shown": len(notes), "limit": 500},
    )


@access.route_rule(capability="notes.own", action=WRITE)
@require_POST
def delete_my_note(request: HttpRequest, note_id: int) -> HttpResponse:
    note = access.get_my_private_note(request.user, note_id)
    services.delete_private_note(note=note, by=me(request))
    messages.success(request, "The note is deleted.")
    return redirect("engagements:my_notes")


# --- Measures ----------------------------------------------------------------


@engagement_view(Category.MEASURES, WRITE)
@require_POST
def add_measure(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.MeasureForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: measure_services.add_measure(
            engagement=ea.engagement, by=me(request), **form.cleaned_data
        ),
        "Measure added.",
        "#measures",
    )


@engagement_view(Category.MEASURES, WRITE)
@require_POST
def record_value(request: HttpRequest, ea: EngagementAccess, measure_id: int) -> HttpResponse:
    measure = access.get_part(ea, Measure.objects.all(), measure_id)
    form = f.ValueForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: measure_services.record_value(measure=measure, **form.cleaned_data),
        "Value recorded.",
        "#measures",
    )


# --- The audit log -----------------------------------------------------------


@engagement_view(Category.AUDIT)
@require_GET
def audit_log(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    events, older = audit_page(request, AuditEvent.objects.filter(engagement=ea.engagement))
    return render(
        request,
        "engagements/audit.html",
        {
            "ea": ea,
            "engagement": ea.engagement,
            "events": events,
            "older": older,
            "integrity": page_integrity(events),
        },
    )
