from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from leancoach.engagements.models import Engagement
from leancoach.meetings.models import ActionItem, ActionOwner, ActionStatus
from leancoach.people.models import Person


@transaction.atomic
def add_action(
    *, engagement: Engagement, by: Person, what: str, owner: str, due_on: date
) -> ActionItem:
    what = what.strip()
    if not what:
        raise ValidationError({"what": "Say what will be done."})
    if owner not in ActionOwner.values:
        raise ValidationError(
            {"owner": f"“{owner}” is not one of: {', '.join(ActionOwner.values)}."}
        )
    return ActionItem.objects.create(
        engagement=engagement, what=what[:300], owner=owner, due_on=due_on, created_by=by
    )


@transaction.atomic
def set_action_status(*, action: ActionItem, status: str) -> ActionItem:
    if status not in ActionStatus.values:
        raise ValidationError(
            {"status": f"“{status}” is not one of: {', '.join(ActionStatus.values)}."}
        )
    action.status = status
    action.save(update_fields=["status"])
    return action
