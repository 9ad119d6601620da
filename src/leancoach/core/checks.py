from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

REQUIRED_ASSETS = ("vendor/htmx.min.js", "vendor/Sortable.min.js")


@register()
def front_end_assets_installed(app_configs: Any, **kwargs: Any) -> list[Error]:
    static_dir = settings.PACKAGE_DIR / "static"
    missing = [name for name in REQUIRED_ASSETS if not (static_dir / name).is_file()]
    if not missing:
        return []
    return [
        Error(
            f"Front-end assets are missing: {', '.join(missing)}.",
            hint="Run `make assets` (npm ci and a copy into src/leancoach/static/vendor/).",
            id="leancoach.E001",
        )
    ]
