from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from leancoach.core import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    # An error page for a request refused before AuthenticationMiddleware ran (a bad Host
    # header) has no user: it gets no menu rather than a second error.
    user = getattr(request, "user", None)
    return {"navigation": access.navigation_for(user) if user is not None else []}
