"""Login throttling: django-axes' lock on an (account, address) pair, plus two wider locks.

- an **address** that fails ``LEANCOACH_LOGIN_ADDRESS_FAILURE_LIMIT`` times over
  any accounts is refused for every account (password spraying);
- an **account** that fails ``LEANCOACH_LOGIN_ACCOUNT_FAILURE_LIMIT`` times over
  any addresses is refused from every address it has not signed in from lately
  (guesses from many machines), so a stranger cannot lock a colleague out of
  their own desk.

Axes compares one number, ``get_failures``, with ``AXES_FAILURE_LIMIT`` (the pair
limit) both before a sign-in and after a failure; when a wider lock applies the
handler answers with that limit. Axes' own lock-out parameters stay the pair, so a
successful sign-in clears only the pair's failures: signing in to one's own
account does not wipe the count of an address that sprayed guesses at others.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone

# An address the account signed in from this recently keeps working while the
# account is locked elsewhere.
FAMILIAR_FOR = timedelta(days=90)


class LoginThrottle(AxesDatabaseHandler):
    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        pair = int(super().get_failures(request, credentials))
        limit = int(get_failure_limit(request, credentials))
        if pair >= limit:
            return pair
        if self._address_locked(request) or self._account_locked(request, credentials):
            return limit
        return pair

    def _failures(self, request: HttpRequest, **match: Any) -> int:
        total = AccessAttempt.objects.filter(
            attempt_time__gte=get_cool_off_threshold(request), **match
        ).aggregate(total=Sum("failures_since_start"))["total"]
        return int(total or 0)

    def _address_locked(self, request: HttpRequest) -> bool:
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return False
        limit: int = settings.LEANCOACH_LOGIN_ADDRESS_FAILURE_LIMIT
        return self._failures(request, ip_address=address) >= limit

    def _account_locked(self, request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
        username = get_client_username(request, credentials)
        if not username:
            return False
        limit: int = settings.LEANCOACH_LOGIN_ACCOUNT_FAILURE_LIMIT
        if self._failures(request, username=username) < limit:
            return False
        address = getattr(request, "axes_ip_address", None)
        familiar = (
            address is not None
            and AccessLog.objects.filter(
                username=username,
                ip_address=address,
                attempt_time__gte=timezone.now() - FAMILIAR_FOR,
            ).exists()
        )
        return not familiar
