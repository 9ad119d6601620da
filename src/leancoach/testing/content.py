"""An engagement with something written in every category, each carrying its own canary.

``canary(category)`` is a string that appears only in content of that category, so a test
can fetch every page and API read as someone and say exactly which categories reached them.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from leancoach.core.access import SHAREABLE, Category
from leancoach.cycle import services as cycle_services
from leancoach.engagements import services
from leancoach.meetings import services as meeting_services
from leancoach.metrics.services import add_measure, record_value

# Categories that hold free text someone wrote (survey results do not exist yet).
WRITTEN = (
    Category.DETAILS,
    Category.CONFIDENTIAL,
    Category.SPONSOR_NEEDS,
    Category.CLIENT_NEEDS,
    Category.ASSUMPTIONS,
    Category.PRIVATE_NOTES,
    Category.MEASURES,
    Category.TARGETS,
    Category.ACTION_STATUS,
    Category.MEETING_SUMMARIES,
    Category.MEETING_NOTES,
    Category.OBSERVATIONS,
    Category.PRACTICE,
    Category.CURRENT_CONDITION,
)


def canary(category: Category) -> str:
    return f"CANARY-{category.value.replace('_', '-')}-q7"


def fill_every_category(engagement: Any, *, share: tuple[str, ...]) -> dict[str, int]:
    """Write content of every category into ``engagement`` (its coach writes, as in a real
    engagement), then put in force an agreement that shares exactly ``share``. Returns the
    ids the routes need."""
    coach = engagement.coach
    today = timezone.localdate()
    engagement.focus = f"Calmer huddles {canary(Category.DETAILS)}"
    engagement.save(update_fields=["focus"])
    sponsor_need = services.add_need(
        engagement=engagement,
        by=coach,
        owner="sponsor",
        category="quality",
        description=f"Fewer defects {canary(Category.SPONSOR_NEEDS)}",
    )
    client_need = services.add_need(
        engagement=engagement,
        by=coach,
        owner="client",
        category="personal_behaviour",
        description=f"Handle conflict {canary(Category.CLIENT_NEEDS)}",
    )
    services.write_assumptions(
        engagement=engagement,
        by=coach,
        best_outcome=f"Lead calmly {canary(Category.ASSUMPTIONS)}",
        strengths=f"Listens {canary(Category.ASSUMPTIONS)}",
    )
    services.add_private_note(
        engagement=engagement, by=coach, text=f"Worried {canary(Category.PRIVATE_NOTES)}"
    )
    measure = add_measure(
        engagement=engagement,
        by=coach,
        name=f"First-pass yield {canary(Category.MEASURES)}",
        unit="%",
    )
    for weeks_ago, value in enumerate((91.0, 92.5, 90.0, 93.0, 92.0, 91.5)):
        record_value(
            measure=measure, on=today - datetime.timedelta(weeks=weeks_ago + 1), value=value
        )
    behaviour = cycle_services.add_behaviour(
        engagement=engagement, by=coach, text=f"Asks for one problem {canary(Category.PRACTICE)}"
    )
    second = cycle_services.add_behaviour(
        engagement=engagement, by=coach, text=f"Writes it on the board {canary(Category.PRACTICE)}"
    )
    skill = cycle_services.define_skill(
        engagement=engagement,
        by=coach,
        name=f"Run the huddle {canary(Category.PRACTICE)}",
        steps=[behaviour, second],
    )
    commitment = cycle_services.commit_to_practice(
        engagement=engagement,
        by=coach,
        behaviour=behaviour,
        when="at the 8:00 huddle",
        where=f"at the board {canary(Category.PRACTICE)}",
    )
    measure_target = cycle_services.set_target(
        engagement=engagement,
        by=coach,
        measure=measure,
        target_value=95.0,
        by_date=today + datetime.timedelta(weeks=6),
        expected=f"Less rework {canary(Category.TARGETS)}",
    )
    cycle_services.set_target(
        engagement=engagement,
        by=coach,
        behaviour=behaviour,
        rate=3,
        rate_period="week",
        by_date=today + datetime.timedelta(weeks=4),
        expected=f"Problems surface early {canary(Category.TARGETS)}",
    )
    for days_ago, response in enumerate(("reinforcement",) * 4 + ("correction",)):
        cycle_services.record_observation(
            engagement=engagement,
            observer=coach,
            on=today - datetime.timedelta(days=days_ago),
            performance="performed",
            response=response,
            behaviour=behaviour,
            words=f"Good question {canary(Category.OBSERVATIONS)}",
        )
    cycle_services.record_observation(
        engagement=engagement,
        observer=coach,
        on=today,
        performance="partly",
        response="reinforcement",
        skill=skill,
        context=f"Monday huddle {canary(Category.OBSERVATIONS)}",
    )
    cycle_services.record_current_condition(
        engagement=engagement,
        by=coach,
        observed_behaviour=f"Talks most of the huddle {canary(Category.CURRENT_CONDITION)}",
        external_conditions="A new product",
        priorities="Quality first",
    )
    held = meeting_services.add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() - datetime.timedelta(hours=3)
    )
    action = meeting_services.add_action(
        engagement=engagement,
        by=coach,
        what=f"Run the huddle standing {canary(Category.ACTION_STATUS)}",
        owner="client",
        due_on=today + datetime.timedelta(days=7),
        meeting=held,
    )
    meeting_services.close_meeting(meeting=held, by=coach)
    for visibility, category in (
        ("summary", Category.MEETING_SUMMARIES),
        ("shared", Category.MEETING_NOTES),
    ):
        meeting_services.add_meeting_note(
            meeting=held,
            by=coach,
            item="facts",
            visibility=visibility,
            text=f"Noted {canary(category)}",
        )
    meeting_services.add_private_meeting_note(
        meeting=held, by=coach, item="facts", text=f"Tense {canary(Category.PRIVATE_NOTES)}"
    )
    obstacle = meeting_services.park_obstacle(
        engagement=engagement, by=coach, text=f"Parts late {canary(Category.MEETING_NOTES)}"
    )
    upcoming = meeting_services.add_meeting(
        engagement=engagement, by=coach, starts_at=timezone.now() + datetime.timedelta(days=1)
    )
    agreement = services.propose_agreement(
        request=None,
        engagement=engagement,
        by=coach,
        role="coach",
        terms={
            **{f"share_{category.value}": category.value in share for category in SHAREABLE},
            "client_confidential": f"My health {canary(Category.CONFIDENTIAL)}",
        },
    )
    for person in (engagement.coach, engagement.client, engagement.sponsor):
        if person is not None:
            services.sign_agreement(request=None, agreement=agreement, person=person)
    return {
        "pk": engagement.pk,
        "engagement_id": engagement.pk,
        "version": agreement.version,
        "need_id": sponsor_need.pk,
        "sponsor_need_id": sponsor_need.pk,
        "client_need_id": client_need.pk,
        "measure_id": measure.pk,
        "action_id": action.pk,
        "commitment_id": commitment.pk,
        "target_id": measure_target.pk,
        "skill_id": skill.pk,
        "behaviour_id": behaviour.pk,
        "meeting_id": held.pk,
        "upcoming_meeting_id": upcoming.pk,
        "obstacle_id": obstacle.pk,
    }
