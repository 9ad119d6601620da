"""A programme full of data, for tests that look at every page (the accessibility crawl).

It lays the demo's own content (``engagements.demo``, ``meetings.demo``) on the fixtures'
engagements rather than building a second set of data, and adds what the demo lacks: a
private note, a current condition, an API token, a Kata engagement with a challenge, an
obstacle, an experiment and an agreement waiting for signatures, an accepted mentoring
engagement and a mentoring request waiting for an answer.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from leancoach.core.services import create_api_token
from leancoach.cycle import services as cycle_services
from leancoach.engagements import services
from leancoach.engagements.demo import furnish_engagement
from leancoach.meetings import services as meeting_services
from leancoach.meetings.demo import furnish_meetings
from leancoach.meetings.models import Meeting
from leancoach.testing.meetings import meeting_parts
from leancoach.testing.personas import Engagements, Personas, everyone_accepts


@dataclass
class Programme:
    coaching: Any
    kata: Any
    mentoring: Any
    mentee_email: str
    held_meeting: Meeting


def make_programme(personas: Personas, engagements: Engagements) -> Programme:
    """``engagements.ours`` furnished like the demo; the coach also coaches Cody Coach in a
    Kata engagement, mentors Cleo Client (who signs in as the mentee) and is asked to mentor
    Bo Boss."""
    coaching = engagements.ours
    coach = personas.person("coach")
    furnish_engagement(coaching)
    furnish_meetings(coaching)
    services.add_private_note(
        engagement=coaching, by=coach, text="Casey lights up when the team solves a problem."
    )
    create_api_token(user=personas.coach, name="Calendar script")
    cycle_services.record_current_condition(
        engagement=coaching,
        by=coach,
        observed_behaviour="The huddle starts late; two people speak.",
        external_conditions="A new product is ramping up on the line.",
        priorities="Start on time; hear from everyone.",
    )

    challenge = cycle_services.create_challenge(
        owner=personas.person("sponsor"),
        title="Right first time",
        why_it_matters="Rework costs a fifth of the line's capacity.",
        teams=[personas.teams["ops"]],
    )
    kata = everyone_accepts(
        services.open_engagement(
            request=None,
            opened_by=coach,
            coach=coach,
            client=engagements.other_coach.person,
            kind="kata",
            focus="Changeover in under 20 minutes",
        )
    )
    cycle_services.link_challenge(engagement=kata, challenge=challenge)
    meeting_parts(kata)
    meeting_services.add_meeting(
        engagement=kata, by=coach, starts_at=timezone.now() - datetime.timedelta(days=7)
    )
    services.propose_agreement(
        request=None, engagement=kata, by=coach, role="coach", terms={"share_targets": True}
    )

    mentee = engagements.other_client.person
    mentoring = services.request_mentor(
        request=None, mentee=mentee, mentor=coach, focus="Lead my first improvement project"
    )
    services.answer_consent(request=None, engagement=mentoring, person=coach, accept=True)
    services.request_mentor(
        request=None, mentee=engagements.other_sponsor.person, mentor=coach, focus="Coaching"
    )
    return Programme(
        coaching=coaching,
        kata=kata,
        mentoring=mentoring,
        mentee_email=mentee.email,
        held_meeting=Meeting.objects.filter(engagement=coaching, status="held").latest("starts_at"),
    )
