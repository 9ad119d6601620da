"""Walk the URL configuration: every page route with its name, pattern and view."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Pages that must work signed out: signing in, setting a password, the health check.
PUBLIC = frozenset(
    {
        "login",
        "logout",
        "password_reset",
        "password_reset_done",
        "password_reset_confirm",
        "password_reset_complete",
        "health",
        # The calendar feed: calendar programs cannot sign in; its secret URL is the credential.
        "meetings:calendar_feed",
    }
)
# Django's own views for the signed-in user's own password: login required, no object.
SELF_SERVICE = frozenset({"password_change", "password_change_done"})


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    view: Callable[..., Any]

    @property
    def rule(self) -> Any:
        return getattr(self.view, "access_rule", None)

    def path(self, **values: object) -> str:
        return "/" + re.sub(
            r"<(?:\w+:)?(\w+)>", lambda match: str(values[str(match.group(1))]), self.pattern
        )

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.pattern)


def page_routes() -> list[Route]:
    """Every HTML route (the API at /api/ is walked through its OpenAPI schema instead)."""

    def walk(
        patterns: list[URLPattern | URLResolver], prefix: str, namespace: str
    ) -> Iterator[Route]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                if route.startswith("api/"):
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, route, inner)
            else:
                yield Route(f"{namespace}{pattern.name}", route, pattern.callback)

    return sorted(walk(get_resolver().url_patterns, "", ""), key=lambda route: route.name)
