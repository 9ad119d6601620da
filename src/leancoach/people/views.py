from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leancoach.core import access
from leancoach.core.errors import Conflict
from leancoach.core.http import HtmxHttpRequest
from leancoach.core.pagination import BadCursor
from leancoach.people import selectors, services
from leancoach.people.forms import PeopleImportForm
from leancoach.people.importer import ImportRejected, import_people_csv
from leancoach.people.models import Person


@access.route_rule(capability="people.browse")
@require_GET
def directory(request: HtmxHttpRequest) -> HttpResponse:
    people = access.people_for(request.user)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    try:
        page = selectors.directory_page(
            people,
            query=query,
            cursor=request.GET.get("after") or None,
            size=settings.LEANCOACH_PAGE_SIZE,
        )
    except BadCursor:
        return render(
            request, "people/directory.html", {"query": query, "bad_cursor": True}, status=400
        )
    template = "people/_directory_results.html" if request.htmx else "people/directory.html"
    return render(request, template, {"page": page, "query": query})


@access.route_rule(capability="people.browse")
@require_GET
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person(request.user, pk)
    reports = list(
        access.people_for(request.user).filter(manager=person).select_related("team")[:200]
    )
    login = (
        selectors.login_of(person, viewer=request.user)
        if access.can(request.user, "people.manage_logins")
        else None
    )
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "chain": selectors.management_chain(person),
            "reports": reports,
            "login": login,
        },
    )


def _login_change(
    request: HttpRequest,
    pk: int,
    change: Callable[..., object],
    done: Callable[[Person, object], str],
) -> HttpResponse:
    person = access.get_person_for_logins(request.user, pk)
    try:
        outcome = change(request=request, person=person, by=request.user)
    except Conflict as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done(person, outcome))
    return redirect(reverse("people:detail", kwargs={"pk": person.pk}) + "#login")


@access.route_rule(capability="people.manage_logins", action=access.WRITE)
@require_POST
def invite_to_sign_in(request: HttpRequest, pk: int) -> HttpResponse:
    return _login_change(
        request,
        pk,
        services.invite_to_sign_in,
        lambda person, _user: (
            f"Invitation sent to {person.email}: the link lets {person.name} choose a password."
        ),
    )


@access.route_rule(capability="people.manage_logins", action=access.WRITE)
@require_POST
def disable_login(request: HttpRequest, pk: int) -> HttpResponse:
    return _login_change(
        request,
        pk,
        services.disable_login,
        lambda person, changed: (
            f"{person.name}'s login is disabled: signed out everywhere, API tokens revoked."
            if changed
            else f"{person.name}'s login was already disabled."
        ),
    )


@access.route_rule(capability="people.manage_logins", action=access.WRITE)
@require_POST
def enable_login(request: HttpRequest, pk: int) -> HttpResponse:
    return _login_change(
        request,
        pk,
        services.enable_login,
        lambda person, changed: (
            f"{person.name} can sign in again (old sessions and API tokens stay ended)."
            if changed
            else f"{person.name}'s login was not disabled."
        ),
    )


@access.route_rule(capability="people.browse")
@require_GET
def team_tree(request: HttpRequest) -> HttpResponse:
    roots = selectors.child_teams(access.teams_for(request.user), parent=None)
    return render(request, "people/team_tree.html", {"teams": roots})


@access.route_rule(capability="people.browse")
@require_GET
def team_children(request: HttpRequest, pk: int) -> HttpResponse:
    team = access.get_team(request.user, pk)
    children = selectors.child_teams(access.teams_for(request.user), parent=team)
    return render(request, "people/_team_branch.html", {"teams": children, "parent": team})


@access.route_rule(capability="people.browse")
@require_GET
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = access.get_team(request.user, pk)
    members = list(access.people_for(request.user).filter(team=team).order_by("name", "id")[:500])
    subteams = selectors.child_teams(access.teams_for(request.user), parent=team)
    measures = list(access.team_measures_for(request.user, team).only("pk", "name", "unit")[:21])
    return render(
        request,
        "people/team_detail.html",
        {
            "team": team,
            "members": members,
            "subteams": subteams,
            "measures": measures[:20],
            "more_measures": len(measures) > 20,
        },
    )


@access.route_rule(capability="people.import")
@require_http_methods(["GET", "POST"])
def import_people(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "people.import")
    form = (
        PeopleImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else PeopleImportForm()
    )
    context: dict[str, object] = {"form": form}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            dry_run = form.cleaned_data["dry_run"]
            try:
                result = import_people_csv(form.cleaned_data["file"].read(), dry_run=dry_run)
            except ImportRejected as rejected:
                context["errors"] = rejected.errors
                status = 400
            else:
                context["result"] = result
                context["dry_run"] = dry_run
                if not dry_run:
                    messages.success(
                        request, f"Imported {result.rows} rows: {result.changes} changes."
                    )
        else:
            status = 400
    return render(request, "people/import.html", context, status=status)
