from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from leancoach.core import access


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"navigation": access.navigation_for(request.user)}
