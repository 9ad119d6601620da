from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from leancoach.core.services import create_or_update_admin


class Command(BaseCommand):
    help = (
        "Create a programme admin login (or make an existing login an admin). The password comes "
        "from LEANCOACH_ADMIN_PASSWORD or is asked for twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", required=True, help="the admin's e-mail, used to sign in")
        parser.add_argument("--name", default="", help="full name (default: the part before @)")
        parser.add_argument(
            "--keep-password",
            action="store_true",
            help="leave the password of an existing login alone",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        password: str | None = None
        if not options["keep_password"]:
            password = os.environ.get("LEANCOACH_ADMIN_PASSWORD")
            if password is None:
                if not self.stdin_is_interactive():
                    raise CommandError(
                        "set LEANCOACH_ADMIN_PASSWORD or run this in a terminal to type it."
                    )
                password = getpass.getpass("Password: ")
                if password != getpass.getpass("Password (again): "):
                    raise CommandError("the two passwords differ.")
        try:
            user, created = create_or_update_admin(
                email=options["email"], name=options["name"], password=password
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{'Created' if created else 'Updated'} admin {user.get_username()}.")

    @staticmethod
    def stdin_is_interactive() -> bool:
        import sys

        return sys.stdin.isatty()
