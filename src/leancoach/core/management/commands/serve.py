from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


class Command(BaseCommand):
    help = "Serve leancoach with gunicorn (sync workers) on 127.0.0.1:8000 by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)"
        )
        parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="gunicorn sync workers, about one per core (default 2)",
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="skip collecting static files first"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(f"--port {options['port']} is not a TCP port.")
        if not 0 < options["workers"] <= 64:
            raise CommandError("--workers must be between 1 and 64.")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which(
            "gunicorn"
        )
        if gunicorn is None:
            raise CommandError("gunicorn is not installed in this environment; run `make install`.")
        where = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            f"leancoach on {where} (debug {'on' if settings.DEBUG else 'off'}); Ctrl-C stops it."
        )
        sys.stdout.flush()
        # Replace this process with gunicorn so signals (Ctrl-C, systemd stop) reach it directly.
        os.execv(  # noqa: S606
            gunicorn,
            [
                gunicorn,
                "leancoach.wsgi:application",
                "--bind",
                f"{options['host']}:{options['port']}",
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
                "--forwarded-allow-ips",
                os.environ.get("LEANCOACH_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            ],
        )
