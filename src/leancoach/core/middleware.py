from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from typing import Any

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponseBase
from django.utils import timezone
from django.utils.cache import patch_cache_control


class PagesRequireLogin(LoginRequiredMiddleware):
    """Every page needs a login unless its view says otherwise.

    The API answers for itself (401 JSON, or token auth), so it is left to django-ninja.
    """

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseBase | None:
        if request.path_info.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


class UserTimeZone:
    """Show times in the signed-in person's own time zone (the organisation's if they chose none)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        name = getattr(request.user, "time_zone", "") if request.user.is_authenticated else ""
        try:
            if name:
                timezone.activate(zoneinfo.ZoneInfo(name))
            else:
                timezone.deactivate()
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class NoStore:
    """``Cache-Control: no-store`` on every response the app itself makes.

    Pages and API answers carry a person's coaching data: a shared computer's browser
    or a proxy must not keep them. WhiteNoise answers for static files before this
    runs, so they keep their far-future caching; a view marked ``@own_cache_rule``
    (the calendar feed) keeps the header it sets.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if not getattr(request, "_own_cache_rule", False):
            patch_cache_control(response, no_store=True)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if getattr(view_func, "own_cache_rule", False):
            request._own_cache_rule = True  # type: ignore[attr-defined]


def own_cache_rule(view: Callable[..., Any]) -> Callable[..., Any]:
    """Mark a view that sets its own Cache-Control, so NoStore leaves it alone."""
    view.own_cache_rule = True  # type: ignore[attr-defined]
    return view
