"""Meeting pages: the schedule, the meeting with its self-building agenda and notes, Kata
experiments and obstacles, meeting summaries, the action log, "my actions", the calendar.

Thin views over core.access (through ``engagement_view``), the meetings services and
selectors. A service's refusal becomes a message on the page (``act``), never a 500.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import (
    require_GET,
    require_http_methods,
    require_POST,
    require_safe,
)

from leancoach.core import access
from leancoach.core.access import READ, WRITE, ActionChangeKind, Category, EngagementAccess
from leancoach.core.middleware import own_cache_rule
from leancoach.core.pagination import BadCursor, ordered_page
from leancoach.engagements.selectors import sponsor_grants
from leancoach.engagements.views import act, engagement_view, me
from leancoach.meetings import calendar, services
from leancoach.meetings import forms as f
from leancoach.meetings.agenda_items import items_for
from leancoach.meetings.models import (
    ActionChange,
    ActionItem,
    ActionStatus,
    Experiment,
    Meeting,
    MeetingNote,
    MeetingStatus,
    NoteVisibility,
    Obstacle,
)
from leancoach.meetings.selectors import meeting_for_viewer

UPCOMING_SHOWN = 12
PAST_SHOWN = 20
ACTIONS_PAGE = 50
SUMMARIES_PAGE = 20


def meetings_url(ea: EngagementAccess) -> str:
    return reverse("meetings:list", kwargs={"pk": ea.engagement.pk})


def meeting_url(ea: EngagementAccess, meeting: Meeting) -> str:
    return reverse("meetings:meeting", kwargs={"pk": ea.engagement.pk, "meeting_id": meeting.pk})


def actions_url(ea: EngagementAccess) -> str:
    return reverse("meetings:actions", kwargs={"pk": ea.engagement.pk})


def safe_next(request: HttpRequest, default: str) -> str:
    """Where a form asks to go back to (a path on this site only), else ``default``."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def meeting_of(ea: EngagementAccess, meeting_id: int) -> Meeting:
    found: Meeting = access.get_part(ea, Meeting.objects.all(), meeting_id)
    found.engagement = ea.engagement  # the agenda reads it; no second query
    return found


# --- The schedule ----------------------------------------------------------------


@engagement_view(Category.MEETINGS, READ)
@require_GET
def meeting_list(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    now = timezone.now()
    ours = Meeting.objects.filter(engagement=ea.engagement)
    upcoming = list(
        ours.filter(
            status=MeetingStatus.SCHEDULED, starts_at__gte=now - datetime.timedelta(hours=12)
        ).order_by("starts_at", "id")[:UPCOMING_SHOWN]
    )
    # Earlier: everything that is not coming up (a meeting closed early counts as earlier).
    past = list(
        ours.exclude(
            status=MeetingStatus.SCHEDULED, starts_at__gte=now - datetime.timedelta(hours=12)
        ).order_by("-starts_at", "-id")[:PAST_SHOWN]
    )
    can_write = ea.can(Category.MEETINGS, WRITE)
    context: dict[str, Any] = {
        "ea": ea,
        "engagement": ea.engagement,
        "upcoming": upcoming,
        "past": past,
        "can_write": can_write,
    }
    if can_write:
        context["schedule_form"] = f.ScheduleForm(initial={"cadence": ea.engagement.cadence})
        context["meeting_form"] = f.MeetingForm(auto_id="id_one_%s")
    return render(request, "meetings/list.html", context)


@engagement_view(Category.MEETINGS, WRITE)
@require_POST
def schedule(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.ScheduleForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.schedule_meetings(
            engagement=ea.engagement, by=me(request), **form.cleaned_data
        ),
        "Meetings scheduled.",
        "#upcoming",
        meetings_url(ea),
    )


@engagement_view(Category.MEETINGS, WRITE)
@require_POST
def add_meeting(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    form = f.MeetingForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.add_meeting(engagement=ea.engagement, by=me(request), **form.cleaned_data),
        "Meeting added.",
        "#upcoming",
        meetings_url(ea),
    )


# --- One meeting -------------------------------------------------------------------


@engagement_view(Category.MEETINGS, READ)
@require_GET
def meeting_page(request: HttpRequest, ea: EngagementAccess, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(ea, meeting_id)
    today = timezone.localdate()
    seen = meeting_for_viewer(ea, meeting, today=today)
    agenda = seen.agenda
    scheduled = meeting.status == MeetingStatus.SCHEDULED
    may = {
        "private": ea.can(Category.PRIVATE_NOTES, WRITE),
        "shared": ea.can(Category.MEETING_NOTES, WRITE),
        "summary": ea.can(Category.MEETING_SUMMARIES, WRITE),
        "schedule": ea.can(Category.MEETINGS, WRITE) and scheduled,
        "actions": access.may_change_action(ea, None, ActionChangeKind.ADD),
        "kata": ea.can(Category.MEETING_NOTES, WRITE),
    }
    context: dict[str, Any] = {
        "ea": ea,
        "engagement": ea.engagement,
        "meeting": meeting,
        "agenda": agenda,
        "items": [
            {
                "item": entry.item,
                "facts": seen.facts(entry),
                "notes": seen.notes.get(entry.item.key, []),
                "form": f.NoteForm(
                    initial={"item": entry.item.key}, auto_id=f"id_{entry.item.key}_%s"
                ),
            }
            for entry in agenda.items
        ],
        "may": may,
        "may_write_notes": may["private"] or may["shared"] or may["summary"],
        "readers": note_readers(ea),
        "is_kata": ea.engagement.kind == "kata",
    }
    if may["schedule"]:
        context["move_form"] = f.MeetingForm(
            initial={
                "starts_at": timezone.localtime(meeting.starts_at),
                "duration_minutes": meeting.duration_minutes,
                "location": meeting.location,
            },
            auto_id="id_move_%s",
        )
    if may["actions"]:
        context["action_form"] = f.ActionForm(auto_id="id_contract_%s")
    if context["is_kata"] and Category.MEETING_NOTES in seen.notes_shown:
        context["obstacles"] = list(Obstacle.objects.filter(engagement=ea.engagement))
        context["experiments"] = list(
            Experiment.objects.filter(engagement=ea.engagement).order_by("-created_at", "-id")[:5]
        )
        context["obstacle_form"] = f.ObstacleForm()
        context["experiment_form"] = f.ExperimentForm()
        context["reflect_form"] = f.ReflectForm()
    return render(request, "meetings/meeting.html", context)


@engagement_view(Category.MEETINGS, WRITE)
@require_POST
def move_meeting(request: HttpRequest, ea: EngagementAccess, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(ea, meeting_id)
    form = f.MeetingForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.move_meeting(meeting=meeting, by=me(request), **form.cleaned_data),
        "Meeting moved.",
        "",
        meeting_url(ea, meeting),
    )


@engagement_view(Category.MEETINGS, WRITE)
@require_POST
def cancel_meeting(request: HttpRequest, ea: EngagementAccess, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(ea, meeting_id)
    return act(
        request,
        ea,
        forms.Form(request.POST),
        lambda: services.cancel_meeting(meeting=meeting, by=me(request)),
        "Meeting cancelled.",
        "",
        meeting_url(ea, meeting),
    )


@engagement_view(Category.MEETINGS, WRITE)
@require_POST
def close_meeting(request: HttpRequest, ea: EngagementAccess, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(ea, meeting_id)
    form = f.CloseMeetingForm(request.POST)

    def close() -> None:
        services.close_meeting(
            meeting=meeting,
            by=me(request),
            status=form.cleaned_data["status"],
        )

    return act(request, ea, form, close, "Meeting closed.", "", meeting_url(ea, meeting))


@dataclass(frozen=True)
class NoteReaders:
    """Who, besides the writer, reads a note of each visibility: the words the note form and
    the message after saving use, so that sharing is never a surprise."""

    other: str  # the other party of a shared note: the client for the coach, and back
    sponsor: str | None

    def after_saving(self, visibility: str, *, summaries_shared: bool = False) -> str:
        if visibility == "private":
            return "Private note saved. Only you can read this note."
        if visibility == NoteVisibility.SHARED:
            return f"Shared note saved. {self.other} can read this note."
        if self.sponsor is None:
            return f"Added to the summary. {self.other} can read it; no sponsor takes part."
        now = "it does now" if summaries_shared else "it does not at the moment"
        return (
            f"Added to the summary. In the summary: {self.sponsor} can read it if the agreement "
            f"shares summaries ({now}); {self.other} can read it too."
        )


def note_readers(ea: EngagementAccess) -> NoteReaders:
    engagement = ea.engagement
    other = engagement.coach if ea.role == access.Role.CLIENT else engagement.client
    return NoteReaders(
        other=other.name if other is not None else "the other party",
        sponsor=engagement.sponsor.name if engagement.sponsor is not None else None,
    )


def _note_view(category: Category, visibility: str) -> Any:
    @engagement_view(category, WRITE)
    @require_POST
    def add_note(request: HttpRequest, ea: EngagementAccess, meeting_id: int) -> HttpResponse:
        meeting = meeting_of(ea, meeting_id)
        form = f.NoteForm(request.POST)

        def save() -> None:
            data = form.cleaned_data
            if visibility == "private":
                services.add_private_meeting_note(
                    meeting=meeting, by=me(request), item=data["item"], text=data["text"]
                )
            else:
                services.add_meeting_note(
                    meeting=meeting,
                    by=me(request),
                    item=data["item"],
                    visibility=visibility,
                    text=data["text"],
                )

        anchor = (
            f"#item-{request.POST.get('item', '')}"
            if request.POST.get("item", "").isidentifier()
            else ""
        )
        shared = visibility == NoteVisibility.SUMMARY and (
            Category.MEETING_SUMMARIES.value in sponsor_grants(ea.engagement)
        )
        done = note_readers(ea).after_saving(visibility, summaries_shared=shared)
        return act(request, ea, form, save, done, anchor, meeting_url(ea, meeting))

    return add_note


add_private_note = _note_view(Category.PRIVATE_NOTES, "private")
add_shared_note = _note_view(Category.MEETING_NOTES, NoteVisibility.SHARED)
add_summary_note = _note_view(Category.MEETING_SUMMARIES, NoteVisibility.SUMMARY)


@engagement_view(Category.ACTION_STATUS, WRITE, action_change=ActionChangeKind.ADD)
@require_POST
def contract_action(request: HttpRequest, ea: EngagementAccess, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(ea, meeting_id)
    access.require_action_change(ea, None, ActionChangeKind.ADD)
    form = f.ActionForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.add_action(
            engagement=ea.engagement, by=me(request), meeting=meeting, **form.cleaned_data
        ),
        "Action agreed.",
        "#item-contracting",
        meeting_url(ea, meeting),
    )


@engagement_view(Category.MEETINGS, READ)
@require_GET
def meeting_ics(request: HttpRequest, ea: EngagementAccess, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(ea, meeting_id)
    response = HttpResponse(
        calendar.meeting_file(meeting, viewer=me(request)),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- Kata: obstacles and experiments -----------------------------------------------


@engagement_view(Category.MEETING_NOTES, WRITE)
@require_POST
def park_obstacle(request: HttpRequest, ea: EngagementAccess, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(ea, meeting_id)
    form = f.ObstacleForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.park_obstacle(
            engagement=ea.engagement, by=me(request), **form.cleaned_data
        ),
        "Obstacle noted.",
        "#item-kata_obstacles",
        meeting_url(ea, meeting),
    )


@engagement_view(Category.MEETING_NOTES, WRITE)
@require_POST
def work_on_obstacle(
    request: HttpRequest, ea: EngagementAccess, meeting_id: int, obstacle_id: int
) -> HttpResponse:
    meeting = meeting_of(ea, meeting_id)
    obstacle = access.get_part(ea, Obstacle.objects.all(), obstacle_id)
    clear = request.POST.get("clear") == "yes"
    return act(
        request,
        ea,
        forms.Form(request.POST),
        lambda: (
            services.clear_obstacle(obstacle=obstacle)
            if clear
            else services.work_on_obstacle(obstacle=obstacle)
        ),
        "Obstacle cleared." if clear else "This is the obstacle being worked on now.",
        "#item-kata_obstacles",
        meeting_url(ea, meeting),
    )


@engagement_view(Category.MEETING_NOTES, WRITE)
@require_POST
def plan_experiment(request: HttpRequest, ea: EngagementAccess, meeting_id: int) -> HttpResponse:
    meeting = meeting_of(ea, meeting_id)
    form = f.ExperimentForm(request.POST)

    def plan() -> None:
        current = Obstacle.objects.filter(engagement=ea.engagement, status="current").first()
        services.plan_experiment(
            engagement=ea.engagement,
            by=me(request),
            meeting=meeting,
            obstacle=current,
            step=form.cleaned_data["step"],
            expected=form.cleaned_data["expected"],
        )

    return act(
        request,
        ea,
        form,
        plan,
        "Next step recorded.",
        "#item-kata_next_step",
        meeting_url(ea, meeting),
    )


@engagement_view(Category.MEETING_NOTES, WRITE)
@require_POST
def reflect(
    request: HttpRequest, ea: EngagementAccess, meeting_id: int, experiment_id: int
) -> HttpResponse:
    meeting = meeting_of(ea, meeting_id)
    experiment = access.get_part(ea, Experiment.objects.all(), experiment_id)
    form = f.ReflectForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.reflect_on_experiment(experiment=experiment, **form.cleaned_data),
        "What happened and what was learned are recorded.",
        "#item-kata_actual",
        meeting_url(ea, meeting),
    )


# --- Meeting summaries (what a sponsor may read) ------------------------------------


@engagement_view(Category.MEETING_SUMMARIES, READ)
@require_GET
def summaries(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    held = list(
        Meeting.objects.filter(engagement=ea.engagement, status=MeetingStatus.HELD)
        .order_by("-starts_at", "-id")
        .prefetch_related(
            Prefetch(
                "notes",
                queryset=MeetingNote.objects.filter(visibility=NoteVisibility.SUMMARY)
                .select_related("author")
                .order_by("written_at", "id"),
                to_attr="summary_notes",
            )
        )[:SUMMARIES_PAGE]
    )
    titles = {item.key: item.title for item in items_for(ea.engagement.kind)}
    for meeting in held:
        for note in meeting.summary_notes:
            note.item_title = titles.get(note.item, note.item)  # type: ignore[attr-defined]
    return render(
        request,
        "meetings/summaries.html",
        {"ea": ea, "engagement": ea.engagement, "meetings": held},
    )


# --- The action log ----------------------------------------------------------------


def filtered_actions(
    actions: QuerySet[ActionItem], form: f.ActionFilterForm, today: datetime.date
) -> QuerySet[ActionItem]:
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status") or ""
    if status == "overdue":
        actions = actions.filter(status=ActionStatus.OPEN, due_on__lt=today)
    elif status:
        actions = actions.filter(status=status)
    if data.get("owner"):
        actions = actions.filter(owner=data["owner"])
    return actions


def action_page(
    request: HttpRequest, actions: QuerySet[ActionItem], form: f.ActionFilterForm
) -> Any:
    data = form.cleaned_data if form.is_valid() else {}
    key = f.SORTS.get(data.get("sort") or "due", f.SORTS["due"])[0]
    parse = datetime.date.fromisoformat if key == "due_on" else datetime.datetime.fromisoformat
    try:
        return ordered_page(
            actions,
            key=key,
            parse=parse,
            cursor=request.GET.get("cursor") or None,
            size=ACTIONS_PAGE,
            descending=data.get("order") == "desc",
        )
    except BadCursor:
        return ordered_page(actions, key=key, parse=parse, cursor=None, size=ACTIONS_PAGE)


def query_without_cursor(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("cursor", None)
    return query.urlencode()


@engagement_view(Category.ACTION_STATUS, READ)
@require_GET
def action_log(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    today = timezone.localdate()
    form = f.ActionFilterForm(request.GET or None)
    actions = filtered_actions(ActionItem.objects.filter(engagement=ea.engagement), form, today)
    page = action_page(request, actions, form)
    history: dict[int, list[ActionChange]] = {}
    for change in ActionChange.objects.filter(action__in=[a.pk for a in page.items]).select_related(
        "by"
    ):
        history.setdefault(change.action_id, []).append(change)
    rows = [
        {
            "action": action,
            "overdue": action.is_overdue(today),
            "history": history.get(action.pk, []),
            "may_done": access.may_change_action(ea, action, ActionChangeKind.DONE),
            "may_confirm": access.may_change_action(ea, action, ActionChangeKind.CONFIRM),
            "may_edit": access.may_change_action(ea, action, ActionChangeKind.EDIT),
        }
        for action in page.items
    ]
    return render(
        request,
        "meetings/action_log.html",
        {
            "ea": ea,
            "engagement": ea.engagement,
            "rows": rows,
            "filter_form": form,
            "next_cursor": page.next_cursor,
            "query": query_without_cursor(request),
            "may_add": access.may_change_action(ea, None, ActionChangeKind.ADD),
            "action_form": f.ActionForm(),
        },
    )


@engagement_view(Category.ACTION_STATUS, WRITE, action_change=ActionChangeKind.ADD)
@require_POST
def add_action(request: HttpRequest, ea: EngagementAccess) -> HttpResponse:
    access.require_action_change(ea, None, ActionChangeKind.ADD)
    form = f.ActionForm(request.POST)
    return act(
        request,
        ea,
        form,
        lambda: services.add_action(engagement=ea.engagement, by=me(request), **form.cleaned_data),
        "Action added.",
        "",
        actions_url(ea),
    )


@engagement_view(Category.ACTION_STATUS, WRITE, action_change=ActionChangeKind.EDIT)
@require_http_methods(["GET", "POST"])
def edit_action(request: HttpRequest, ea: EngagementAccess, action_id: int) -> HttpResponse:
    action = access.get_part(ea, ActionItem.objects.all(), action_id)
    access.require_action_change(ea, action, ActionChangeKind.EDIT)
    if request.method == "POST":
        form = f.ActionEditForm(request.POST)
        return act(
            request,
            ea,
            form,
            lambda: services.change_action(action=action, by=me(request), **form.cleaned_data),
            "Action updated.",
            f"#action-{action.pk}",
            actions_url(ea),
        )
    form = f.ActionEditForm(
        initial={
            "what": action.what,
            "owner": action.owner,
            "due_on": action.due_on,
            "check_back_on": action.check_back_on,
            "status": action.status,
        }
    )
    return render(
        request,
        "meetings/action_edit.html",
        {
            "ea": ea,
            "engagement": ea.engagement,
            "action": action,
            "form": form,
            "history": list(ActionChange.objects.filter(action=action).select_related("by")),
        },
    )


@engagement_view(Category.ACTION_STATUS, WRITE, action_change=ActionChangeKind.DONE)
@require_POST
def mark_action_done(request: HttpRequest, ea: EngagementAccess, action_id: int) -> HttpResponse:
    action = access.get_part(ea, ActionItem.objects.all(), action_id)
    access.require_action_change(ea, action, ActionChangeKind.DONE)
    undo = request.POST.get("undo") == "yes"
    return act(
        request,
        ea,
        forms.Form(request.POST),
        lambda: services.set_action_status(
            action=action, by=me(request), status=ActionStatus.OPEN if undo else ActionStatus.DONE
        ),
        "Marked open again." if undo else "Marked done; your coach will confirm it.",
        f"#action-{action.pk}",
        safe_next(request, actions_url(ea)),
    )


@engagement_view(Category.ACTION_STATUS, WRITE, action_change=ActionChangeKind.CONFIRM)
@require_POST
def confirm_action(request: HttpRequest, ea: EngagementAccess, action_id: int) -> HttpResponse:
    action = access.get_part(ea, ActionItem.objects.all(), action_id)
    access.require_action_change(ea, action, ActionChangeKind.CONFIRM)
    return act(
        request,
        ea,
        forms.Form(request.POST),
        lambda: services.confirm_action(action=action, by=me(request)),
        "Action confirmed.",
        f"#action-{action.pk}",
        safe_next(request, actions_url(ea)),
    )


@access.route_rule(capability="actions.mine")
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "actions.mine")
    person = me(request)
    today = timezone.localdate()
    form = f.ActionFilterForm(request.GET or None)
    actions = filtered_actions(access.my_actions(request.user), form, today).select_related(
        "engagement__coach", "engagement__client"
    )
    page = action_page(request, actions, form)
    rows = [
        {
            "action": action,
            "overdue": action.is_overdue(today),
            "as_client": action.engagement.client_id == person.pk,
        }
        for action in page.items
    ]
    return render(
        request,
        "meetings/my_actions.html",
        {
            "rows": rows,
            "filter_form": form,
            "next_cursor": page.next_cursor,
            "query": query_without_cursor(request),
        },
    )


# --- Calendar feed and reminder preferences -----------------------------------------


@login_not_required
@own_cache_rule  # calendar programs poll it: five minutes' caching, see docs/operations.md
@access.route_rule(capability=None)
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    person = access.feed_owner(token)
    response = HttpResponse(calendar.feed(person), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@access.route_rule(capability="calendar.own_feed")
@require_POST
def issue_feed(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "calendar.own_feed")
    raw = services.issue_feed_token(person=me(request))
    request.session["new_feed_url"] = request.build_absolute_uri(
        reverse("meetings:calendar_feed", kwargs={"token": raw})
    )
    messages.success(request, "A new calendar address is ready; any earlier one no longer works.")
    return redirect(reverse("profile") + "#calendar")


@access.route_rule(capability="calendar.own_feed")
@require_POST
def revoke_feed(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "calendar.own_feed")
    services.revoke_feed_token(person=me(request))
    messages.success(request, "Your calendar address no longer works.")
    return redirect(reverse("profile") + "#calendar")


@access.route_rule(capability="profile.manage_tokens")
@require_POST
def save_preferences(request: HttpRequest) -> HttpResponse:
    form = f.PreferencesForm(request.POST)
    if form.is_valid():
        services.save_preferences(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        messages.success(request, "Preferences saved.")
    else:
        for errors in form.errors.values():
            messages.error(request, " ".join(str(error) for error in errors))
    return redirect(reverse("profile") + "#preferences")
