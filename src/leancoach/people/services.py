from __future__ import annotations

import smtplib

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from leancoach.core import audit
from leancoach.core.errors import Conflict
from leancoach.core.models import AuditEvent, User
from leancoach.core.services import revoke_tokens
from leancoach.core.sessions import end_sessions
from leancoach.people.models import Person, Team, manager_ancestor_ids, team_ancestor_ids


@transaction.atomic
def set_manager(*, person: Person, manager: Person | None) -> Person:
    """Change who ``person`` reports to; refuses a change that would make reporting lines loop."""
    if manager is not None and (
        manager.pk == person.pk or person.pk in manager_ancestor_ids(manager.pk)
    ):
        raise ValidationError(
            {
                "manager": f"{person.name} cannot report to {manager.name}, who already reports to them."
            }
        )
    person.manager = manager
    person.save(update_fields=["manager"])
    return person


@transaction.atomic
def set_team_parent(*, team: Team, parent: Team | None) -> Team:
    if parent is not None and (parent.pk == team.pk or team.pk in team_ancestor_ids(parent.pk)):
        raise ValidationError(
            {"parent": f"Team “{team.name}” cannot sit under “{parent.name}”, which is inside it."}
        )
    team.parent = parent
    team.save(update_fields=["parent"])
    return team


# --- Logins: invite, disable, enable ----------------------------------------------
# Logins are managed here, not in core: an admin acts on a directory entry (the person's
# page), the login is made from the person's e-mail and name, and the invitation speaks
# to the person. core keeps the mechanisms these call (sessions, tokens, audit).


def _actor(by: User) -> Person | None:
    person: Person | None = getattr(by, "person", None)
    return person


def _record(
    request: HttpRequest | None, *, what: str, by: User, person: Person, detail: str
) -> None:
    audit.record(
        request,
        action=AuditEvent.Action.CHANGE,
        what=what,
        role="admin",
        person=_actor(by),
        detail=f"{person.name} <{person.email}>: {detail}",
    )


def _send_invitation(person: Person, user: User, by: User) -> None:
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    inviter = _actor(by)
    context = {
        "person": person,
        "username": user.get_username(),
        "inviter": inviter.name if inviter is not None else "A programme admin",
        "link": settings.LEANCOACH_BASE_URL + path,
        "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
        "login_url": settings.LEANCOACH_BASE_URL + reverse("login"),
    }
    try:
        send_mail(
            subject="You are invited to sign in to leancoach",
            message=render_to_string("people/email/invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[person.email],
        )
    except (OSError, smtplib.SMTPException) as error:
        # The transaction rolls back: no login is left half-made and no audit row claims a mail.
        raise Conflict(
            f"The invitation e-mail to {person.email} could not be sent ({error.__class__.__name__}); try again later."
        ) from error


@transaction.atomic
def invite_to_sign_in(*, request: HttpRequest | None, person: Person, by: User) -> User:
    """Give ``person`` a login if they have none (username = their e-mail, no usable password)
    and e-mail them a link to choose a password: Django's password-reset token, so it expires
    after ``PASSWORD_RESET_TIMEOUT`` and stops working once a password is set or they sign in.

    Sending again is allowed (a new link; the earlier ones keep working until then). Refused
    for a disabled login and for one that already has a password.
    """
    # The person's row is the lock: two invitations at once make one login.
    person = Person.objects.select_for_update().get(pk=person.pk)
    user = None
    if person.user_id is not None:
        user = User.objects.select_for_update().filter(pk=person.user_id).first()
    if user is None:
        user = User.objects.select_for_update().filter(username=person.email).first()
        if user is not None and Person.objects.filter(user=user).exists():
            raise Conflict(
                f"The login {user.get_username()} belongs to another directory entry; "
                "correct the e-mail addresses first."
            )
        if user is None:
            user = User(username=person.email, email=person.email, first_name=person.name[:150])
            user.set_unusable_password()
            user.save()
        person.user = user
        person.save(update_fields=["user"])
    if not user.is_active:
        raise Conflict(f"{person.name}'s login is disabled; enable it before inviting them.")
    if user.has_usable_password():
        raise Conflict(
            f"{person.name} already has a password: they sign in with it, or choose a new one "
            "with “Forgot your password?” on the sign-in page."
        )
    _send_invitation(person, user, by)
    _record(request, what="login.invited", by=by, person=person, detail="invitation sent")
    return user


@transaction.atomic
def disable_login(*, request: HttpRequest | None, person: Person, by: User) -> bool:
    """Stop ``person`` signing in: the login becomes inactive, every session of theirs ends at
    once and their API tokens are revoked. Enabling again revives none of them.

    Returns False when the login was already disabled. Refused for one's own login and for the
    last active programme admin.
    """
    if person.user_id is None:
        raise Conflict(f"{person.name} has no login to disable.")
    if person.user_id == by.pk:
        raise Conflict(
            "You cannot disable your own login: the programme would lose an admin by accident. "
            "Ask another admin."
        )
    # Lock the login and every active admin, in id order: two admins disabling each other at
    # once queue here, and the second sees that the first has gone (or is the last one left).
    locked = {
        row.pk: row
        for row in User.objects.select_for_update()
        .filter(Q(pk=person.user_id) | Q(is_staff=True, is_active=True))
        .order_by("pk")
    }
    user = locked[person.user_id]
    if by.is_staff and by.pk not in locked:
        raise Conflict("Your own login has just been disabled by another admin.")
    if not user.is_active:
        return False
    if user.is_staff and not any(
        other.is_staff and other.is_active for pk, other in locked.items() if pk != user.pk
    ):
        raise Conflict(
            f"{person.name} is the last active programme admin; make someone else an admin first."
        )
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions = end_sessions(user)
    tokens = revoke_tokens(user=user, reason="login disabled")
    _record(
        request,
        what="login.disabled",
        by=by,
        person=person,
        detail=f"{sessions} session(s) ended, {tokens} API token(s) revoked",
    )
    return True


@transaction.atomic
def enable_login(*, request: HttpRequest | None, person: Person, by: User) -> bool:
    """Let ``person`` sign in again with their password (or an invitation). Sessions and tokens
    ended by disabling stay ended. Returns False when the login was not disabled."""
    if person.user_id is None:
        raise Conflict(f"{person.name} has no login; send an invitation instead.")
    user = User.objects.select_for_update().get(pk=person.user_id)
    if user.is_active:
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    _record(request, what="login.enabled", by=by, person=person, detail="can sign in again")
    return True
