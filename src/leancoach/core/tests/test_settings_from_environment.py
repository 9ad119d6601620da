from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from leancoach.conf import (
    env_bool,
    env_database,
    env_email,
    env_email_address,
    env_int,
    env_list,
    env_time_zone,
)


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)]
)
def test_booleans_accept_the_usual_spellings(raw: str, expected: bool) -> None:
    assert env_bool("FLAG", False, environ={"FLAG": raw}) is expected


@pytest.mark.parametrize("raw", ["treu", "2", "enabled"])
def test_a_misspelt_boolean_fails_loudly_naming_the_variable(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG", False, environ={"FLAG": raw})


def test_integers_are_checked_against_their_bounds() -> None:
    assert env_int("N", 3, environ={}) == 3
    with pytest.raises(ImproperlyConfigured, match="not an integer"):
        env_int("N", 3, environ={"N": "ten"})
    with pytest.raises(ImproperlyConfigured, match="above the maximum"):
        env_int("N", 3, maximum=10, environ={"N": "11"})


def test_lists_refuse_empty_items() -> None:
    assert env_list("HOSTS", [], environ={"HOSTS": "a.example, b.example"}) == [
        "a.example",
        "b.example",
    ]
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("HOSTS", [], environ={"HOSTS": "a.example,,b"})


def test_database_urls_for_sqlite_and_postgres_are_understood() -> None:
    pg = env_database(
        "DATABASE_URL", "", environ={"DATABASE_URL": "postgres://u@127.0.0.1:5432/db"}
    )
    assert (pg["ENGINE"], pg["NAME"], pg["HOST"]) == (
        "django.db.backends.postgresql",
        "db",
        "127.0.0.1",
    )
    lite = env_database("DATABASE_URL", "sqlite:////tmp/x.sqlite3", environ={})
    assert lite["ENGINE"] == "django.db.backends.sqlite3"


def test_an_unsupported_database_fails_loudly() -> None:
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_database("DATABASE_URL", "", environ={"DATABASE_URL": "mysql://root@localhost/db"})


def test_email_defaults_to_the_console_and_smtp_is_read_from_a_url() -> None:
    assert env_email("MAIL", "consolemail://", environ={})["EMAIL_BACKEND"].endswith(
        "console.EmailBackend"
    )
    smtp = env_email("MAIL", "", environ={"MAIL": "smtp+tls://user:pw@mail.example:587"})
    assert (smtp["EMAIL_HOST"], smtp["EMAIL_PORT"], smtp["EMAIL_USE_TLS"]) == (
        "mail.example",
        587,
        True,
    )
    with pytest.raises(ImproperlyConfigured, match="MAIL"):
        env_email("MAIL", "", environ={"MAIL": "carrier-pigeon://x"})


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("smtp://mail.example:notaport", "not a valid e-mail URL"),
        ("smtp+tls://user:pw@mail.example:99999", "not a valid e-mail URL"),
    ],
)
def test_a_broken_smtp_url_fails_loudly_naming_the_variable(url: str, complaint: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=f"MAIL.*{complaint}") as refused:
        env_email("MAIL", "", environ={"MAIL": url})
    assert "pw" not in str(refused.value)  # no password in the message


def test_a_bare_smtp_url_means_the_local_mail_server() -> None:
    # docs/operations.md offers `smtp://` as a value
    local = env_email("MAIL", "", environ={"MAIL": "smtp://"})
    assert local["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert not local.get("EMAIL_HOST")  # Django's default: localhost, port 25


@pytest.mark.parametrize(
    "sender", ["leancoach@localhost", "reminders@coach.example.org", "Coaching <c@example.org>"]
)
def test_a_sender_address_is_an_address_or_a_name_and_an_address(sender: str) -> None:
    assert env_email_address("FROM", "x@localhost", environ={"FROM": sender}) == sender


@pytest.mark.parametrize(
    "sender", ["leancoach", "Coaching <>", "a@b@c", "x@example.org\nBcc: y@example.org"]
)
def test_a_sender_that_is_no_address_fails_loudly_naming_the_variable(sender: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="FROM"):
        env_email_address("FROM", "x@localhost", environ={"FROM": sender})


def load_settings(**overrides: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("LEANCOACH_")}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    environ.update(overrides)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import leancoach.settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)",
        ],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    result = load_settings()
    assert result.returncode != 0
    assert "LEANCOACH_SECRET_KEY must be set" in result.stderr


def test_debug_is_off_and_cookies_secure_unless_asked() -> None:
    result = load_settings(LEANCOACH_SECRET_KEY="k" * 40)
    assert result.stdout.split() == ["False", "True"]
    assert load_settings(LEANCOACH_DEBUG="1").stdout.split() == ["True", "False"]


def test_a_bad_value_in_the_environment_stops_start_up() -> None:
    result = load_settings(LEANCOACH_SECRET_KEY="k" * 40, LEANCOACH_DEBUG="maybe")
    assert result.returncode != 0
    assert "LEANCOACH_DEBUG='maybe' is not a boolean" in result.stderr


def test_the_time_zone_must_be_one_the_zone_database_knows() -> None:
    assert env_time_zone("TZ_X", "UTC", environ={}) == "UTC"
    assert env_time_zone("TZ_X", "UTC", environ={"TZ_X": "Europe/Berlin"}) == "Europe/Berlin"
    with pytest.raises(ImproperlyConfigured, match="TZ_X='Mars/Olympus' is not a time zone"):
        env_time_zone("TZ_X", "UTC", environ={"TZ_X": "Mars/Olympus"})


def test_a_bad_sender_address_stops_start_up() -> None:
    result = load_settings(LEANCOACH_SECRET_KEY="k" * 40, LEANCOACH_FROM_EMAIL="leancoach")
    assert result.returncode != 0
    assert "LEANCOACH_FROM_EMAIL='leancoach' is not an e-mail address" in result.stderr
