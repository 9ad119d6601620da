from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from leancoach.core.models import ApiToken, User


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class InvitingPasswordResetForm(PasswordResetForm):
    """Also sends the link to active logins that have no password yet.

    Imported people get a login without a password; "forgot password" is how
    they set their first one. The reply page is the same whether or not the
    address is known.
    """

    # When a list, save() looks the address up and queues the rest here (the token, the
    # e-mail, sending it): the reset page runs it after its response, so a known address
    # is answered after the same work as an unknown one.
    queue: list[Callable[[], None]] | None = None
    _found: list[User] | None = None

    def get_users(self, email: str) -> Iterator[Any]:
        if self._found is not None:
            return iter(self._found)
        return iter(User.objects.filter(username__iexact=email.strip(), is_active=True))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.queue is None:
            super().save(*args, **kwargs)
            return
        self._found = list(self.get_users(self.cleaned_data["email"]))
        self.queue.append(partial(super().save, *args, **kwargs))


NO_EXPIRY = "never"
TOKEN_LIFETIMES = [
    ("7", "7 days"),
    ("30", "30 days"),
    ("90", "90 days"),
    ("180", "180 days"),
    ("365", "365 days"),
    (NO_EXPIRY, "No expiry"),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="What the token is for, e.g. “nightly KPI upload”.",
    )
    scope = forms.ChoiceField(
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        label="What it may do",
        help_text="Read only: it can fetch data but not change anything.",
    )
    expires_in_days = forms.ChoiceField(
        choices=TOKEN_LIFETIMES,
        initial="90",
        label="Expires after",
        help_text="It stops working then; a password change revokes it at once.",
    )

    def clean_expires_in_days(self) -> int | None:
        value = self.cleaned_data["expires_in_days"]
        return None if value == NO_EXPIRY else int(value)


# A date input's value must be ISO (YYYY-MM-DD) whatever the locale: a browser drops
# any other value, so "01/12/2026" (en-gb) would leave a required date empty.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
