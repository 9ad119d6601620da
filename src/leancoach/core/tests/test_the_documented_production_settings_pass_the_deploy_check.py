"""`leancoach check --deploy --fail-level WARNING` passes with exactly the production
settings docs/operations.md gives, without silencing any check."""

from __future__ import annotations

from leancoach import settings as configured
from leancoach.testing.deploy_check import documented_environment, run


def test_the_documented_production_settings_pass_the_deploy_check() -> None:
    result = run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_the_check_is_live_leaving_out_a_documented_setting_fails_it() -> None:
    environment = documented_environment()
    del environment["LEANCOACH_HSTS_SECONDS"]
    result = run(environment)
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_the_documented_set_is_behind_a_tls_proxy_with_the_proxy_counted() -> None:
    environment = documented_environment()
    assert environment["LEANCOACH_BEHIND_TLS_PROXY"] == "1"
    assert environment["LEANCOACH_PROXY_COUNT"] == "1"
    assert environment["LEANCOACH_SSL_REDIRECT"] == "1"


def test_no_check_is_silenced() -> None:
    assert getattr(configured, "SILENCED_SYSTEM_CHECKS", []) == []
