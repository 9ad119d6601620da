"""Fixtures shared by every test: personas, the browser harness, strict mode for CI."""

from __future__ import annotations

import os
import shutil
from typing import Any

import pytest

# Playwright's sync API runs an event loop in this thread; Django would otherwise
# refuse the ORM calls that a browser test makes to set up and check data.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
STRICT = os.environ.get("LEANCOACH_STRICT_TESTS", "") == "1"


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    browser = CHROMIUM if shutil.which(CHROMIUM) else "missing (browser tests will be skipped)"
    return [f"leancoach: database={engine} chromium={browser} strict={STRICT}"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if shutil.which(CHROMIUM):
        return
    browser_tests = [item for item in items if item.get_closest_marker("e2e")]
    if not browser_tests:
        return
    if STRICT:
        raise pytest.UsageError(
            f"LEANCOACH_STRICT_TESTS=1 but {CHROMIUM} is missing: {len(browser_tests)} browser tests "
            "cannot run. Install it with `apt-get install -y chromium`."
        )
    skip = pytest.mark.skip(
        reason=f"browser test skipped: {CHROMIUM} not found (apt-get install -y chromium)"
    )
    for item in browser_tests:
        item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _database_is_the_one_asked_for() -> None:
    """With DATABASE_URL set, the suite must really run on it (CI runs both engines)."""
    from django.conf import settings

    wanted = os.environ.get("DATABASE_URL", "")
    engine = settings.DATABASES["default"]["ENGINE"]
    if wanted.startswith("postgres") and "postgresql" not in engine:
        pytest.exit(f"DATABASE_URL asks for PostgreSQL but the engine is {engine}", returncode=3)


@pytest.fixture(scope="session", autouse=True)
def _flush_sqlite_through_the_audit_trigger() -> Any:
    """SQLite's audit table refuses DELETE; test flushes empty it anyway (see the module)."""
    from leancoach.testing.sqlite_flush import flush_through_delete_triggers

    with flush_through_delete_triggers():
        yield


@pytest.fixture
def personas(db: None) -> Any:
    from leancoach.testing.personas import make_personas

    return make_personas()


@pytest.fixture
def personas_tx(transactional_db: None) -> Any:
    from leancoach.testing.personas import make_personas

    return make_personas()


# --- Browser harness (pytest-playwright + Django's live server) -------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def live_url(live_server: Any, settings: Any) -> str:
    # The live server runs without collectstatic, so serve unhashed static names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return str(live_server.url)


@pytest.fixture
def engagements(personas: Any) -> Any:
    from leancoach.testing.personas import make_engagements

    return make_engagements(personas)
