"""Cycle pages: practice (behaviours, commitments, logs), observations with the 4:1 ratio,
target conditions as experiments, and skill chains.

Thin views over core.access (through ``engagement_view``), the cycle services and
selectors. A service's refusal becomes a message on the page (``act``), never a 500.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leancoach.core import access
from leancoach.core.access import READ, WRITE, Category, EngagementAccess
from leancoach.cycle import forms as f
from leancoach.cycle import pinpoint, selectors, services
from leancoach.cycle.models import (
    Behaviour,
    Challenge,
    CurrentCondition,
    Observation,
    PracticeCommitment,
    Skill,
    SkillStep,
    TargetCondition,
    TargetStatus,
)
from leancoach.engagements.views import act, apply_errors, engagement_view, me
from leancoach.people.models import Person, Team

SEVERITY_WORDS = {"problem": "Problem", "suggestion": "Suggestion"}
OBSERVATIONS_SHOWN = 200  # the newest; the ratio counts all of them in its window
TREND_WEEKS = 12
LOGS_SHOWN = 14  # per commitment, the newest; the adherence table counts all of them


def hints_of(text: str) -> list[dict[str, Any]]:
    return [
        {
            "code": hint.code,
            "severity": SEVERITY_WORDS.get(hint.severity, str(hint.severity)),
            "message": hint.message,
        }
        for hint in pinpoint.check(text).hints
    ]


def practice_url(ea: EngagementAccess) -> str:
    return reverse("cycle:practice", kwargs={"pk": ea.engagement.pk})


def observations_url(ea: EngagementAccess) -> str:
    return reverse("cycle:observations", kwargs={"pk": ea.engagement.pk})


# --- Practice ------------------------------------------------------------------


@engagement_view(Category.PRACTICE, READ)
@require_GET
def practice(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    engagement = ea.engagement
    today = timezone.localdate()
    can_write = ea.can(Category.PRACTICE, WRITE)
    uses = services.in_use_annotations()
    behaviours = list(
        Behaviour.objects.filter(engagement=engagement, archived=False).annotate(**uses)
    )
    for behaviour in behaviours:
        behaviour.hints = hints_of(behaviour.text)  # type: ignore[attr-defined]
        # Rewriting is offered only while nothing refers to it (the service checks again).
        in_use = any(getattr(behaviour, name) for name in uses)
        behaviour.rewrite_form = (  # type: ignore[attr-defined]
            f.BehaviourForm(
                initial={"text": behaviour.text}, auto_id=f"id_rewrite{behaviour.pk}_%s"
            )
            if can_write and not in_use
            else None
        )
    commitments = list(
        PracticeCommitment.objects.filter(engagement=engagement)
        .select_related("behaviour")
        .prefetch_related("logs")
    )
    rows = [
        {
            "commitment": commitment,
            "weeks": selectors.weekly_adherence(
                commitment, today=today, logs=list(commitment.logs.all())
            ),
            "logs": sorted(commitment.logs.all(), key=lambda log: log.on, reverse=True)[
                :LOGS_SHOWN
            ],
            "form": f.LogForm(
                initial={"on": today, "done": "yes", "count": commitment.count_target},
                auto_id=f"id_log{commitment.pk}_%s",
            ),
        }
        for commitment in commitments
    ]
    return render(
        request,
        "cycle/practice.html",
        {
            "ea": ea,
            "engagement": engagement,
            "behaviours": behaviours,
            "commitments": rows,
            "can_write": can_write,
            "logs_shown": LOGS_SHOWN,
            "behaviour_form": f.BehaviourForm(),
            "commitment_form": f.CommitmentForm(engagement=engagement),
        },
    )


@engagement_view(Category.PRACTICE, WRITE)
@require_POST
def add_behaviour(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.BehaviourForm(request.POST)
    saved: list[Behaviour] = []

    def save() -> None:
        saved.append(
            services.add_behaviour(
                engagement=ea.engagement, by=me(request), text=form.cleaned_data["text"]
            )
        )

    response = act(request, ea, form, save, "Behaviour saved.", "#behaviours", practice_url(ea))
    if saved:
        # Advisory only: the behaviour is saved whatever the check says.
        for hint in hints_of(saved[0].text):
            messages.warning(request, f"{hint['severity']}: {hint['message']}")
    return response


@engagement_view(Category.PRACTICE, WRITE)
@require_POST
def rewrite_behaviour(
    request: HttpRequest, ea: EngagementAccess, behaviour_id: int
) -> HttpResponse:
    behaviour = access.get_part(ea, Behaviour.objects.all(), behaviour_id)
    form = f.BehaviourForm(request.POST)
    saved: list[Behaviour] = []

    def save() -> None:
        saved.append(
            services.rewrite_behaviour(behaviour=behaviour, text=form.cleaned_data["text"])
        )

    response = act(
        request,
        ea,
        form,
        save,
        "Behaviour rewritten.",
        f"#behaviour-{behaviour.pk}",
        practice_url(ea),
    )
    if saved:
        for hint in hints_of(saved[0].text):
            messages.warning(request, f"{hint['severity']}: {hint['message']}")
    return response


@engagement_view(Category.PRACTICE, WRITE)
@require_POST
def commit_to_practice(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.CommitmentForm(request.POST, engagement=ea.engagement)
    return act(
        request,
        ea,
        form,
        lambda: services.commit_to_practice(
            engagement=ea.engagement, by=me(request), **form.cleaned_data
        ),
        "Practice committed.",
        "#commitments",
        practice_url(ea),
    )


@engagement_view(Category.PRACTICE, WRITE)
@require_POST
def log_practice(request: HttpRequest, ea: EngagementAccess, commitment_id: int) -> HttpResponse:
    commitment = access.get_part(ea, PracticeCommitment.objects.all(), commitment_id)
    form = f.LogForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.log_practice(commitment=commitment, **form.cleaned_data),
        "Practice logged.",
        f"#commitment-{commitment.pk}",
        practice_url(ea),
    )


# --- Observations and the 4:1 ratio --------------------------------------------


@engagement_view(Category.OBSERVATIONS, READ)
@require_GET
def observations(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    engagement = ea.engagement
    today = timezone.localdate()
    ours = Observation.objects.filter(engagement=engagement)
    newest = list(
        ours.select_related("behaviour", "skill").order_by("-on", "-id")[:OBSERVATIONS_SHOWN]
    )
    trend_start = today - datetime.timedelta(
        weeks=TREND_WEEKS - 1, days=selectors.DEFAULT_WINDOW_DAYS - 1
    )
    trend = selectors.ratio_over_time(
        ours.filter(on__gte=trend_start, on__lte=today).only("on", "response"),
        end=today,
        weeks=TREND_WEEKS,
    )
    context: dict[str, Any] = {
        "ea": ea,
        "engagement": engagement,
        "observations": access.disclose(ea, "observation", newest),
        "limit": OBSERVATIONS_SHOWN,
        "ratio": selectors.rolling_ratio(ours, today=today),
        "trend": list(reversed(trend)),
        "trend_chart": selectors.ratio_trend_chart(
            trend, title="The 28-day reinforcement ratio at the end of each of the last 12 weeks"
        ),
        "can_write": ea.can(Category.OBSERVATIONS, WRITE),
    }
    if ea.sees_own_ratio_across_clients:
        context["my_ratio"] = selectors.observer_ratio(me(request), today=today)
    if context["can_write"]:
        context["form"] = f.ObservationForm(engagement=engagement, initial={"on": today})
    return render(request, "cycle/observations.html", context)


@engagement_view(Category.OBSERVATIONS, WRITE)
@require_POST
def record_observation(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.ObservationForm(request.POST, engagement=ea.engagement)
    return act(
        request,
        ea,
        form,
        lambda: services.record_observation(
            engagement=ea.engagement, observer=me(request), **form.cleaned_data
        ),
        "Observation recorded.",
        "#observations",
        observations_url(ea),
    )


# --- Target conditions: experiments --------------------------------------------


def targets_url(ea: EngagementAccess) -> str:
    return reverse("cycle:targets", kwargs={"pk": ea.engagement.pk})


@engagement_view(Category.TARGETS, READ)
@require_GET
def targets(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    engagement = ea.engagement
    rows = list(
        TargetCondition.objects.filter(engagement=engagement).select_related("measure", "behaviour")
    )
    can_write = ea.can(Category.TARGETS, WRITE)
    open_ = [t for t in rows if t.status == TargetStatus.OPEN]
    closed = sorted(
        (t for t in rows if t.status != TargetStatus.OPEN),
        key=lambda t: (t.closed_at or t.created_at, t.pk),
        reverse=True,
    )
    context: dict[str, Any] = {
        "ea": ea,
        "engagement": engagement,
        "open_targets": [
            {
                "target": access.Disclosed(ea, "target", target),
                "form": f.CloseTargetForm(auto_id=f"id_close{target.pk}_%s") if can_write else None,
            }
            for target in open_
        ],
        "closed_targets": access.disclose(ea, "target", closed),
        "can_write": can_write,
    }
    if can_write:
        context["form"] = f.TargetForm(
            engagement=engagement,
            initial={
                "kind": "measure",
                "by_date": timezone.localdate() + datetime.timedelta(weeks=4),
            },
        )
    return render(request, "cycle/targets.html", context)


@engagement_view(Category.TARGETS, WRITE)
@require_POST
def set_target(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.TargetForm(request.POST, engagement=ea.engagement)
    return act(
        request,
        ea,
        form,
        lambda: services.set_target(
            engagement=ea.engagement, by=me(request), **form.service_arguments()
        ),
        "Target set: the experiment has started.",
        "#open-targets",
        targets_url(ea),
    )


@engagement_view(Category.TARGETS, WRITE)
@require_POST
def close_target(request: HttpRequest, ea: EngagementAccess, target_id: int) -> HttpResponse:
    target = access.get_part(ea, TargetCondition.objects.all(), target_id)
    form = f.CloseTargetForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.close_target(target=target, **form.cleaned_data),
        "Target closed: what happened and what was learned are recorded.",
        "#closed-targets",
        targets_url(ea),
    )


# --- Skill chains ----------------------------------------------------------------

RECENT_PER_STEP = 5
MAX_THRESHOLD = 20  # services.define_skill allows 1 to 20


def skills_url(ea: EngagementAccess) -> str:
    return reverse("cycle:skills", kwargs={"pk": ea.engagement.pk})


@engagement_view(Category.PRACTICE, READ)
@require_GET
def skills(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    engagement = ea.engagement
    skill_rows = list(
        Skill.objects.filter(engagement=engagement).prefetch_related(
            Prefetch(
                "steps",
                queryset=SkillStep.objects.select_related("behaviour").order_by("position", "id"),
            )
        )
    )
    chain_observations: dict[int, list[Observation]] = {}
    for observation in selectors.newest_observations_per(
        "skill", [s.pk for s in skill_rows], MAX_THRESHOLD
    ):
        chain_observations.setdefault(observation.skill_id or 0, []).append(observation)
    behaviour_ids = sorted({step.behaviour_id for s in skill_rows for step in s.steps.all()})
    step_observations: dict[int, list[Observation]] = {}
    for observation in selectors.newest_observations_per(
        "behaviour", behaviour_ids, RECENT_PER_STEP
    ):
        step_observations.setdefault(observation.behaviour_id or 0, []).append(observation)
    can_observe = ea.can(Category.OBSERVATIONS, WRITE)
    today = timezone.localdate()
    rows = [
        {
            "skill": skill,
            "status": selectors.chain_status(skill, chain_observations.get(skill.pk, [])).words,
            "steps": [
                {"step": step, "recent": step_observations.get(step.behaviour_id, [])}
                for step in skill.steps.all()
            ],
            "form": f.ChainObservationForm(
                initial={"on": today, "performance": "performed", "response": "reinforcement"},
                auto_id=f"id_chain{skill.pk}_%s",
            )
            if can_observe
            else None,
        }
        for skill in skill_rows
    ]
    can_write = ea.can(Category.PRACTICE, WRITE)
    context: dict[str, Any] = {
        "ea": ea,
        "engagement": engagement,
        "skills": rows,
        "can_write": can_write,
        "recent_per_step": RECENT_PER_STEP,
    }
    if can_write:
        context["form"] = f.SkillForm(engagement=engagement)
    return render(request, "cycle/skills.html", context)


@engagement_view(Category.PRACTICE, WRITE)
@require_POST
def define_skill(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.SkillForm(request.POST, engagement=ea.engagement)
    return act(
        request,
        ea,
        form,
        lambda: services.define_skill(
            engagement=ea.engagement,
            by=me(request),
            name=form.cleaned_data["name"],
            fluency_threshold=form.cleaned_data["fluency_threshold"],
            steps=form.steps(),
        ),
        "Skill chain defined.",
        "#skills",
        skills_url(ea),
    )


@engagement_view(Category.OBSERVATIONS, WRITE)
@require_POST
def observe_chain(request: HttpRequest, ea: EngagementAccess, skill_id: int) -> HttpResponse:
    skill = access.get_part(ea, Skill.objects.all(), skill_id)
    form = f.ChainObservationForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.record_observation(
            engagement=ea.engagement, observer=me(request), skill=skill, **form.cleaned_data
        ),
        "Observation of the whole chain recorded.",
        f"#skill-{skill.pk}",
        skills_url(ea),
    )


# --- The organisation's challenges ------------------------------------------


@access.route_rule(capability="challenges.browse")
@require_http_methods(["GET", "POST"])
def challenges(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "challenges.browse")
    may_write = access.can(request.user, "challenges.manage")
    form = f.ChallengeForm(request.POST) if request.method == "POST" else f.ChallengeForm()
    status = 200
    if request.method == "POST":
        access.require(request.user, "challenges.manage")
        if form.is_valid():
            data = form.cleaned_data
            owner = Person.objects.filter(email=data["owner"].strip().lower()).first()
            names = [line.strip() for line in data["teams"].splitlines() if line.strip()]
            teams = list(Team.objects.filter(name__in=names))
            unknown = sorted(set(names) - {team.name for team in teams})
            if owner is None:
                form.add_error("owner", "No one in the directory has that e-mail.")
            if unknown:
                form.add_error("teams", f"Unknown team: {', '.join(unknown)}.")
            if not form.errors and owner is not None:
                try:
                    services.create_challenge(
                        owner=owner,
                        title=data["title"],
                        why_it_matters=data["why_it_matters"],
                        teams=teams,
                    )
                except ValidationError as error:
                    apply_errors(form, error)
                else:
                    messages.success(request, "Challenge saved.")
                    return redirect("cycle:challenges")
        status = 400
    rows = list(
        Challenge.objects.select_related("owner")
        .prefetch_related("teams")
        .annotate(engagement_count=Count("engagements"))
        .order_by("title", "id")[:200]
    )
    return render(
        request,
        "cycle/challenges.html",
        {"challenges": rows, "form": form if may_write else None},
        status=status,
    )


@engagement_view(Category.DETAILS, WRITE)
@require_POST
def link_challenge(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.LinkChallengeForm(request.POST)
    chosen = None
    if form.is_valid() and form.cleaned_data["challenge"]:
        chosen = Challenge.objects.filter(pk=form.cleaned_data["challenge"]).first()
        if chosen is None:
            raise access.NotFound()
    return act(
        request,
        ea,
        form,
        lambda: services.link_challenge(engagement=ea.engagement, challenge=chosen),
        "Challenge linked." if chosen else "Challenge unlinked.",
    )


# --- The current condition ---------------------------------------------------


@engagement_view(Category.CURRENT_CONDITION)
@require_http_methods(["GET", "POST"])
def current_condition(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    can_write = ea.can(Category.CURRENT_CONDITION, WRITE)
    form = (
        f.CurrentConditionForm(request.POST)
        if request.method == "POST"
        else f.CurrentConditionForm(initial={"on": timezone.localdate()})
    )
    status = 200
    if request.method == "POST":
        ea.require(Category.CURRENT_CONDITION, WRITE)
        if form.is_valid():
            try:
                services.record_current_condition(
                    engagement=ea.engagement, by=me(request), **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Current condition recorded.")
                return redirect("cycle:current_condition", pk=ea.engagement.pk)
        status = 400
    snapshots = list(
        CurrentCondition.objects.filter(engagement=ea.engagement).select_related("recorded_by")[:50]
    )
    return render(
        request,
        "cycle/current_condition.html",
        {
            "ea": ea,
            "engagement": ea.engagement,
            "snapshots": snapshots,
            "form": form if can_write else None,
        },
        status=status,
    )


# --- A coach's own habits across clients ---------------------------------------


@access.route_rule(capability="coaching.own_habits")
@require_GET
def my_consistency(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "coaching.own_habits")
    coach = me(request)
    today = timezone.localdate()
    return render(
        request,
        "cycle/my_consistency.html",
        {
            "overall": selectors.observer_ratio(coach, today=today),
            "consistency": selectors.coach_consistency(coach, today=today),
            "window_days": selectors.DEFAULT_WINDOW_DAYS,
        },
    )
