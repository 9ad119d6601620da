from __future__ import annotations

import ipaddress
import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponseRedirect
from django_htmx.middleware import HtmxDetails

logger = logging.getLogger(__name__)


class HtmxHttpRequest(HttpRequest):
    """A request that has passed django-htmx's middleware (for type checking)."""

    htmx: HtmxDetails


def _address(entry: str) -> str | None:
    """``entry`` as a normalised IP address, without a port (``1.2.3.4:80``, ``[::1]:80``)."""
    entry = entry.strip()
    if entry.startswith("["):
        entry = entry[1:].split("]", 1)[0]
    elif entry.count(":") == 1:
        entry = entry.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    """The address of whoever sent ``request``, seen through ``LEANCOACH_PROXY_COUNT`` proxies.

    Each trusted proxy appends the address it received the request from to
    X-Forwarded-For (nginx: ``$proxy_add_x_forwarded_for``), so behind N proxies
    the client is the N-th entry from the right. Entries further left were sent
    by the client and may be forged. With fewer entries than proxies the request
    skipped one; only the nearest proxy's own entry is then certain. With no
    proxy the header is ignored. Login throttling, the audit log and signatures
    all use this one answer.
    """
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.LEANCOACH_PROXY_COUNT
    if proxies == 0:
        return remote
    forwarded = [
        entry for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()
    ]
    if not forwarded:
        return remote
    chosen = forwarded[-proxies] if len(forwarded) >= proxies else forwarded[-1]
    return _address(chosen) or remote


class RedirectThenRun(HttpResponseRedirect):
    """A redirect that runs ``work`` once it has been sent.

    A WSGI server calls ``close()`` after the last byte of the response is out (the
    test client does too), so the visitor's answer never waits for the work. It runs
    before Django's ``request_finished``, while the request's database connection is
    still the request's own.
    """

    def __init__(self, redirect_to: str, *, work: Iterable[Callable[[], None]]) -> None:
        super().__init__(redirect_to)
        self._work = list(work)

    def close(self) -> None:
        work, self._work = self._work, []
        for job in work:
            try:
                job()
            except Exception:  # the response is sent: nobody is left to show the error to
                logger.exception("Work after the response failed")
        super().close()
