from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

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
