"""``leancoach check --deploy --fail-level WARNING`` with the production settings that
docs/operations.md gives, read from its "Production in brief" block, so the documented
set and the check cannot drift apart.

``python -m leancoach.testing.deploy_check`` runs it (CI does, through ``make
deploy-check``) and exits with the check's status.
"""

from __future__ import annotations

import os
import secrets
import shlex
import subprocess
import sys
from pathlib import Path

OPERATIONS = Path(__file__).resolve().parents[3] / "docs" / "operations.md"


def documented_environment(text: str | None = None) -> dict[str, str]:
    """Each ``export NAME=value`` of the first shell block under "Production in brief"."""
    text = OPERATIONS.read_text(encoding="utf-8") if text is None else text
    section = text.split("## Production in brief", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    environment = {}
    for line in block.splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ["export"]:
            for word in words[1:]:
                name, _, value = word.partition("=")
                environment[name] = value
    return environment


def run(environment: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The check in a fresh process that sees only ``environment`` of leancoach's variables."""
    environ = {
        key: value
        for key, value in os.environ.items()
        # the test run's own settings (DJANGO_ALLOW_ASYNC_UNSAFE, …) are not production's
        if not key.startswith(("LEANCOACH_", "DJANGO_")) and key != "DATABASE_URL"
    }
    environ.update(documented_environment() if environment is None else environment)
    if environ.get("LEANCOACH_SECRET_KEY", "...") == "...":  # the docs leave it to the reader
        environ["LEANCOACH_SECRET_KEY"] = secrets.token_urlsafe(50)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from leancoach.cli import main; main()",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


if __name__ == "__main__":
    result = run()
    print(result.stdout, end="")
    print(result.stderr, end="", file=sys.stderr)
    sys.exit(result.returncode)
