"""The programme view for admins: engagements by status and the stalled ones.

Summaries only (who coaches whom, since when, why it is stalled), never coaching
content: an admin reads an engagement's summary and nothing else (docs/decisions.md).
"""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from leancoach.core import access
from leancoach.engagements.models import Status
from leancoach.meetings.selectors import stall_reason, stalled

STALLED_PAGE = 50


@access.route_rule(capability="programme.admin")
@require_GET
def programme(request: HttpRequest) -> HttpResponse:
    access.require(request.user, "programme.admin")
    engagements = access.engagements_for(request.user)
    by_status = dict(
        engagements.order_by()
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    now = timezone.now()
    after = request.GET.get("after", "")
    rows = stalled(engagements, now=now).select_related("coach", "client")
    if after.isdigit() and len(after) <= 18:
        rows = rows.filter(pk__gt=int(after))
    page = list(rows.order_by("id")[: STALLED_PAGE + 1])
    more = len(page) > STALLED_PAGE
    page = page[:STALLED_PAGE]
    for engagement in page:
        engagement.stall_reason = stall_reason(engagement, now=now)  # type: ignore[attr-defined]
    return render(
        request,
        "reports/programme.html",
        {
            "counts": [(status.label, by_status.get(status.value, 0)) for status in Status],
            "stalled": page,
            "next_after": page[-1].pk if more and page else None,
        },
    )
