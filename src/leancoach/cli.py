"""The `leancoach` command: Django's management commands under one friendly name.

`leancoach import-people` runs the `import_people` management command, and so
on; `leancoach --help` lists leancoach's own commands first.
"""

from __future__ import annotations

import os
import sys

COMMANDS = {
    "serve": "serve the app (gunicorn) on 127.0.0.1:8000",
    "migrate": "create or upgrade the database tables",
    "seed": "load a demo organisation (--scale small|large)",
    "import-people": "import people and teams from a CSV file",
    "createadmin": "create or update a programme admin login",
    "import-datapoints": "import a measure's data points from a CSV file",
    "send-reminders": "send today's reminder digests (safe to run every minute)",
    "audit-verify": "check that the audit log's hash chain is unbroken (exit 1 if not)",
}


def run_django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leancoach.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def main() -> None:
    args = sys.argv[1:]
    if not args or args[0] in {"-h", "--help", "help"}:
        print(
            "usage: leancoach <command> [options]   (leancoach <command> --help for its options)\n"
        )
        print("commands:")
        for name, summary in COMMANDS.items():
            print(f"  {name:<15} {summary}")
        print(
            "\nEvery Django management command also works, e.g. `leancoach check` or `leancoach collectstatic`."
        )
        return
    command = args[0].replace("-", "_")
    run_django(["leancoach", command, *args[1:]])


if __name__ == "__main__":
    main()
