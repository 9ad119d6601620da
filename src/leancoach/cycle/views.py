"""Cycle pages: practice (behaviours, commitments, logs) and observations with the 4:1 ratio.

Thin views over core.access (through ``engagement_view``), the cycle services and
selectors. A service's refusal becomes a message on the page (``act``), never a 500.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from leancoach.core import access
from leancoach.core.access import READ, WRITE, Category, EngagementAccess
from leancoach.cycle import forms as f
from leancoach.cycle import pinpoint, selectors, services
from leancoach.cycle.models import Behaviour, Observation, PracticeCommitment
from leancoach.engagements.views import act, engagement_view, me

SEVERITY_WORDS = {"problem": "Problem", "suggestion": "Suggestion"}
OBSERVATIONS_SHOWN = 200  # the newest; the ratio counts all of them in its window
TREND_WEEKS = 12


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
    behaviours = list(Behaviour.objects.filter(engagement=engagement, archived=False))
    for behaviour in behaviours:
        behaviour.hints = hints_of(behaviour.text)  # type: ignore[attr-defined]
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
            "can_write": ea.can(Category.PRACTICE, WRITE),
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
        "observations": newest,
        "limit": OBSERVATIONS_SHOWN,
        "ratio": selectors.rolling_ratio(ours, today=today),
        "trend": list(reversed(trend)),
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
