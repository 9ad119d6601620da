"""The client's address behind 0, 1 or 2 trusted proxies, the way nginx's
``X-Forwarded-For: $proxy_add_x_forwarded_for`` reports it (docs/operations.md).

Each proxy appends the address it received the request from, so with N trusted
proxies the client is the N-th entry from the right; anything further left was
written by the client and may be forged.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from leancoach.core.http import client_ip

PROXY = "127.0.0.1"  # nginx on loopback, as in docs/operations.md


def address(settings: Any, proxies: int, forwarded_for: str | None, remote: str = PROXY) -> Any:
    settings.LEANCOACH_PROXY_COUNT = proxies
    headers: dict[str, Any] = (
        {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    )
    return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


def test_with_no_proxy_the_connection_is_the_client_and_the_header_is_ignored(
    settings: Any,
) -> None:
    assert address(settings, 0, None, remote="203.0.113.7") == "203.0.113.7"
    assert address(settings, 0, "6.6.6.6", remote="203.0.113.7") == "203.0.113.7"


def test_with_one_proxy_the_client_is_the_address_the_proxy_appended(settings: Any) -> None:
    assert address(settings, 1, "203.0.113.7") == "203.0.113.7"


def test_with_one_proxy_a_forged_header_from_the_client_does_not_win(settings: Any) -> None:
    assert address(settings, 1, "6.6.6.6, 203.0.113.7") == "203.0.113.7"
    assert address(settings, 1, "6.6.6.6,7.7.7.7,203.0.113.7") == "203.0.113.7"


def test_with_two_proxies_the_client_is_what_the_outer_proxy_reported(settings: Any) -> None:
    # the load balancer appended the client, nginx appended the load balancer
    assert address(settings, 2, "203.0.113.7, 10.0.0.2") == "203.0.113.7"
    assert address(settings, 2, "6.6.6.6, 203.0.113.7, 10.0.0.2") == "203.0.113.7"


def test_too_few_entries_never_trust_what_the_client_may_have_written(settings: Any) -> None:
    # The request skipped a proxy: only the nearest proxy's own entry is certain.
    assert address(settings, 2, "203.0.113.7") == "203.0.113.7"
    assert address(settings, 1, None) == PROXY
    assert address(settings, 2, None) == PROXY
    assert address(settings, 1, "") == PROXY


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("203.0.113.7:51234", "203.0.113.7"),
        ("[2001:db8::7]:443", "2001:db8::7"),
        ("2001:db8::7", "2001:db8::7"),
    ],
)
def test_an_address_with_a_port_or_ipv6_is_understood(
    settings: Any, header: str, expected: str
) -> None:
    assert address(settings, 1, header) == expected


@pytest.mark.parametrize("header", ["unknown", "not an address", "203.0.113.999", "_hidden"])
def test_an_entry_that_is_not_an_address_falls_back_to_the_connection(
    settings: Any, header: str
) -> None:
    assert address(settings, 1, header) == PROXY


def test_axes_the_audit_log_and_signatures_share_the_same_answer(settings: Any) -> None:
    from axes.helpers import get_client_ip_address

    settings.LEANCOACH_PROXY_COUNT = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert get_client_ip_address(request) == "203.0.113.7"
