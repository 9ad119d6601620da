from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leancoach.core import access
from leancoach.core.access import Category, Role
from leancoach.core.forms import InvitingPasswordResetForm, TokenForm
from leancoach.core.http import RedirectThenRun
from leancoach.core.services import create_api_token, revoke_api_token
from leancoach.engagements.selectors import asks_for
from leancoach.meetings.forms import PreferencesForm
from leancoach.meetings.selectors import client_day, coach_day, has_active_feed, stall_reason

TODAY_CATEGORIES = (Category.MEETINGS, Category.ACTION_STATUS, Category.PRACTICE)


@access.route_rule(capability="home")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """What waits for the person (answers to proposals, signatures); today: a coach's meetings,
    actions due, practice due and stalled engagements; a client's next meeting, open actions
    and practice commitments; then the person's directory entry."""
    person = access.person_of(request.user)
    context: dict[str, Any] = {"person": person, "reports": [], "today": timezone.localdate()}
    if person is not None:
        context["reports"] = list(
            access.people_for(request.user).filter(manager=person).order_by("name", "id")[:50]
        )
        context["asks"] = asks_for(person)
        now = timezone.now()
        coaching = access.engagements_in_role(request.user, Role.COACH, TODAY_CATEGORIES)
        coached_in = access.engagements_in_role(request.user, Role.CLIENT, TODAY_CATEGORIES)
        if coaching.exists():
            day = coach_day(coaching, now=now)
            for engagement in day.stalled:
                engagement.stall_reason = stall_reason(engagement, now=now)
            context["coach_day"] = day
        if coached_in.exists():
            context["client_day"] = client_day(coached_in, now=now)
    return render(request, "core/home.html", context)


@access.route_rule(capability="profile.manage_tokens")
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    tokens = access.tokens_for(request.user)
    form = TokenForm(request.POST) if request.method == "POST" else TokenForm()
    new_token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _token, new_token = create_api_token(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
            form = TokenForm()
        else:
            status = 400
    person = access.person_of(request.user)
    user = request.user
    return render(
        request,
        "core/profile.html",
        {
            "tokens": list(tokens),
            "form": form,
            "new_token": new_token,
            "person": person,
            "preferences": PreferencesForm(
                initial={"time_zone": user.time_zone, "reminders": user.reminders}  # type: ignore[union-attr]
            ),
            "may_have_feed": access.can(user, "calendar.own_feed"),
            "feed_active": person is not None and has_active_feed(person),
            "new_feed_url": request.session.pop("new_feed_url", None),
        },
        status=status,
    )


@access.route_rule(capability="profile.manage_tokens")
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = access.get_token(request.user, pk)
    revoke_api_token(token=token)
    messages.success(request, f"Token “{token.name}” revoked; scripts using it now get 401.")
    return redirect("profile")


@login_not_required
@require_GET
def health(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


class PasswordResetView(auth_views.PasswordResetView):
    """ "Forgot password": the same reply, and the same work before it, for any address.

    The e-mail to a known address is built and sent after the redirect has gone out,
    so the answer's timing does not tell which addresses have a login.
    """

    form_class = InvitingPasswordResetForm

    def form_valid(self, form: InvitingPasswordResetForm) -> HttpResponse:
        form.queue = []
        response = super().form_valid(form)
        return RedirectThenRun(response["Location"], work=form.queue)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
