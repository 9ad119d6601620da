"""Settings for the test suite: the real settings, with the variables a test run needs."""

import copy
import os

os.environ.setdefault("LEANCOACH_SECRET_KEY", "test-only-secret-key-" + "t" * 40)
os.environ.setdefault("LEANCOACH_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

from leancoach import settings as production
from leancoach.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    # Hashed file names need collectstatic; tests serve files straight from the finders.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
STATIC_ROOT = None  # type: ignore[assignment]  # WhiteNoise would warn that the (uncollected) directory is missing

# A copy, so that leancoach.settings keeps the production options (a test checks them).
DATABASES = copy.deepcopy(production.DATABASES)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory: the reminder tests run two `leancoach send-reminders` processes at
    # once against the test database, as cron would. Durability does not matter here.
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405  # a fresh checkout has no ./var
    # One file per test run, so two runs in one checkout do not share (and delete) it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(DATA_DIR / f"test-leancoach-{os.getpid()}.sqlite3")  # noqa: F405
    }
    DATABASES["default"]["OPTIONS"]["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA foreign_keys=ON;"
    )
