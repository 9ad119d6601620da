"""Guesses spread over many accounts, or over many addresses, are stopped too; a stranger
still cannot lock a colleague out of the places the colleague signs in from.

Every attempt goes through the real login form (axes refuses ``client.login``).
The limits are lowered here so each test makes a handful of attempts; the
defaults are checked in test_the_default_limits_are_in_a_sensible_order.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.test import Client

from leancoach import settings as configured  # as loaded, before the fixture lowers them
from leancoach.core.models import User
from leancoach.testing.personas import PASSWORD

pytestmark = pytest.mark.django_db

PAIR, ADDRESS, ACCOUNT = 3, 5, 6
SPRAYER, COLLEAGUE_DESK = "198.51.100.66", "192.0.2.10"


@pytest.fixture(autouse=True)
def _small_limits(settings: Any) -> None:
    settings.AXES_FAILURE_LIMIT = PAIR
    settings.LEANCOACH_LOGIN_ADDRESS_FAILURE_LIMIT = ADDRESS
    settings.LEANCOACH_LOGIN_ACCOUNT_FAILURE_LIMIT = ACCOUNT
    # Argon2 is what production uses (test_login_throttling checks it); here it would only
    # make each of the many attempts slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(personas: Any) -> Any:
    for user in (personas.coach, personas.client, personas.sponsor):
        user.set_password(PASSWORD)
        user.save()
    return personas


def attempt(address: str, username: str, password: str = "wrong") -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/accounts/login/", {"username": username, "password": password}
    )


def signs_in(address: str, user: User) -> bool:
    response = attempt(address, user.get_username(), PASSWORD)
    assert response.status_code in {302, 429}, response.status_code
    return response.status_code == 302


def spray(address: str, count: int) -> None:
    """``count`` wrong passwords from ``address``, one per made-up account: no pair is locked."""
    for number in range(count):
        assert attempt(address, f"guess{number}@example.com").status_code == 200


def lock_out(address: str) -> None:
    spray(address, ADDRESS - 1)
    assert attempt(address, "one-more@example.com").status_code == 429


def test_an_address_spraying_guesses_over_many_accounts_is_stopped(people: Any) -> None:
    lock_out(SPRAYER)
    # now every account is refused from that address, even with the right password
    assert not signs_in(SPRAYER, people.coach)
    assert b"Too many failed sign-ins" in attempt(SPRAYER, "client@example.com").content


def test_the_spraying_address_does_not_stop_anyone_elsewhere(people: Any) -> None:
    lock_out(SPRAYER)
    assert signs_in(COLLEAGUE_DESK, people.coach)


def test_signing_in_to_ones_own_account_does_not_clear_the_addresss_count(people: Any) -> None:
    spray(SPRAYER, ADDRESS - 1)
    assert signs_in(SPRAYER, people.sponsor)  # the attacker's own, real account
    assert attempt(SPRAYER, "next-victim@example.com").status_code == 429


def test_guesses_at_one_account_from_many_addresses_are_stopped(people: Any) -> None:
    for number in range(ACCOUNT - 1):
        assert attempt(f"203.0.113.{number + 1}", "coach@example.com").status_code == 200
    assert attempt("203.0.113.100", "coach@example.com").status_code == 429
    assert not signs_in("203.0.113.200", people.coach)


def test_a_stranger_cannot_lock_a_colleague_out_where_the_colleague_signs_in(
    people: Any,
) -> None:
    assert signs_in(COLLEAGUE_DESK, people.coach)  # the colleague's usual desk
    for number in range(ACCOUNT * 2):
        attempt(f"203.0.113.{number + 1}", "coach@example.com")
    assert signs_in(COLLEAGUE_DESK, people.coach)


def test_one_address_locks_only_its_own_pair_before_the_wider_limits(people: Any) -> None:
    for _ in range(PAIR):
        attempt(SPRAYER, "coach@example.com")
    assert not signs_in(SPRAYER, people.coach)
    assert signs_in(SPRAYER, people.client)
    assert signs_in(COLLEAGUE_DESK, people.coach)


def test_an_unknown_and_a_known_account_are_locked_alike_across_addresses(people: Any) -> None:
    def replies(username: str) -> list[int]:
        return [
            attempt(f"203.0.113.{number + 1}", username).status_code
            for number in range(ACCOUNT + 1)
        ]

    assert replies("coach@example.com") == replies("nobody@example.com")


def test_behind_the_proxy_each_client_is_counted_by_its_own_address(
    people: Any, settings: Any
) -> None:
    settings.LEANCOACH_PROXY_COUNT = 1  # docs/operations.md's nginx

    def via_nginx(chain: str, password: str = "wrong") -> Any:
        return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=chain).post(
            "/accounts/login/", {"username": "coach@example.com", "password": password}
        )

    # the attacker forges a different leftmost entry every time: it is not believed
    for number in range(PAIR):
        via_nginx(f"10.9.9.{number}, {SPRAYER}")
    assert via_nginx(f"{COLLEAGUE_DESK}, {SPRAYER}", PASSWORD).status_code == 429
    # the colleague, through the same proxy, is not locked out
    assert via_nginx(COLLEAGUE_DESK, PASSWORD).status_code == 302


def test_the_default_limits_are_in_a_sensible_order() -> None:
    pair = configured.AXES_FAILURE_LIMIT
    address = configured.LEANCOACH_LOGIN_ADDRESS_FAILURE_LIMIT
    account = configured.LEANCOACH_LOGIN_ACCOUNT_FAILURE_LIMIT
    assert pair <= 10
    assert pair < address <= 50
    assert pair < account <= 100


def test_a_wider_limit_below_the_pair_limit_stops_start_up() -> None:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("LEANCOACH_")}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.update(
        LEANCOACH_SECRET_KEY="k" * 40,
        LEANCOACH_LOGIN_FAILURE_LIMIT="10",
        LEANCOACH_LOGIN_ADDRESS_FAILURE_LIMIT="5",
    )
    result = subprocess.run(
        [sys.executable, "-c", "import leancoach.settings"],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "LEANCOACH_LOGIN_ADDRESS_FAILURE_LIMIT=5 is below the minimum 11" in result.stderr
