"""Engagements, their written agreements, needs, positive assumptions and private notes.

What a sponsor may see is decided by the agreement in force (see
``Engagement.sponsor_grants``) and enforced in ``core/access.py``.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from leancoach.people.models import Person


class Kind(models.TextChoices):
    COACHING = "coaching", "Coaching"
    MENTORING = "mentoring", "Mentoring"
    KATA = "kata", "Toyota Kata"


class CoachingModel(models.TextChoices):
    LEADERSHIP = "leadership", "Leadership coaching"
    LIFE = "life", "Life coaching"
    EXECUTIVE = "executive", "Executive coaching"
    BUSINESS = "business", "Business coaching"
    TOYOTA_KATA = "toyota_kata", "Toyota Kata"


class Status(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


# Which lifecycle moves are allowed; closing is final.
TRANSITIONS: dict[str, set[str]] = {
    Status.PROPOSED: {Status.ACTIVE, Status.CLOSED},
    Status.ACTIVE: {Status.PAUSED, Status.CLOSED},
    Status.PAUSED: {Status.ACTIVE, Status.CLOSED},
    Status.CLOSED: set(),
}


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly"


CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.FORTNIGHTLY: 14, Cadence.MONTHLY: 30}


class Zone(models.TextChoices):
    BLUE = "blue", "Blue — individual habits"
    GREEN = "green", "Green — teams and processes"
    RED = "red", "Red — the organisation's systems and structure"


class Engagement(models.Model):
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COACHING)
    coaching_model = models.CharField(
        max_length=20, choices=CoachingModel.choices, default=CoachingModel.LEADERSHIP
    )
    zone_blue = models.BooleanField(default=True)
    zone_green = models.BooleanField(default=False)
    zone_red = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.FORTNIGHTLY)
    focus = models.CharField(
        max_length=200, blank=True, help_text="A short name for what this engagement is about."
    )
    # For mentoring, coach = the mentor and client = the mentee.
    coach = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coaching")
    client = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coached_in")
    sponsor = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="sponsoring"
    )
    challenge = models.ForeignKey(
        "cycle.Challenge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engagements",
        help_text="The organisation's challenge this engagement serves.",
    )
    requested_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="engagements_requested"
    )
    # When the last party asked agreed to take part (see ``Consent``); until then the
    # engagement is a proposal and none of its coaching content can be written.
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(zone_blue=True)
                | models.Q(zone_green=True)
                | models.Q(zone_red=True),
                name="engagement_has_a_zone",
            ),
            models.CheckConstraint(
                condition=~models.Q(coach=models.F("client")), name="engagement_coach_is_not_client"
            ),
        ]
        indexes = [
            models.Index(fields=["coach", "status"], name="engagement_coach_status"),
            models.Index(fields=["client", "status"], name="engagement_client_status"),
            models.Index(fields=["sponsor", "status"], name="engagement_sponsor_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.client} by {self.coach}"

    @property
    def zones(self) -> list[str]:
        return [zone for zone in Zone if getattr(self, f"zone_{zone.value}")]

    @property
    def awaits_consent(self) -> bool:
        return self.accepted_at is None and self.status == Status.PROPOSED

    @property
    def is_awaiting_mentor(self) -> bool:
        return self.kind == Kind.MENTORING and self.awaits_consent

    def role_label(self, role: str) -> str:
        """``coach`` is the mentor and ``client`` the mentee in mentoring."""
        if self.kind == Kind.MENTORING:
            return {"coach": "mentor", "client": "mentee"}.get(role, role)
        return role

    def required_roles(self) -> list[str]:
        """Who must sign the agreement: coach and client, and the sponsor if there is one."""
        roles = ["coach", "client"]
        if self.sponsor_id is not None:
            roles.append("sponsor")
        return roles

    def person_in_role(self, role: str) -> int | None:
        person_id: int | None = getattr(self, f"{role}_id")
        return person_id


class StatusChange(models.Model):
    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="status_history"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    on = models.DateField(default=timezone.localdate)
    reason = models.CharField(max_length=500)
    changed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or 'new'} → {self.to_status} on {self.on}"


class Answer(models.TextChoices):
    PENDING = "pending", "Waiting for an answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Consent(models.Model):
    """One party's agreement to take part in an engagement, as the role named.

    Opening an engagement asks every party but the opener (whose row is accepted at
    once); the engagement's ``accepted_at`` is set when the last one accepts, and a
    decline closes the engagement. Rows are kept as the record of who agreed when.
    """

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="consents")
    role = models.CharField(max_length=20)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    answer = models.CharField(max_length=20, choices=Answer.choices, default=Answer.PENDING)
    asked_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["engagement", "id"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "role"], name="consent_once_per_role"),
            models.CheckConstraint(
                condition=models.Q(answer__in=["pending", "accepted", "declined"]),
                name="consent_answer_known",
            ),
        ]
        indexes = [models.Index(fields=["person", "answer"], name="consent_person_answer")]

    def __str__(self) -> str:
        return f"{self.role} consent to engagement {self.engagement_id}: {self.answer}"


class RoleProposal(models.Model):
    """A new coach or sponsor, proposed by the coach or an admin; the change is made only
    when the client accepts it. Until then the proposed person has no part in the engagement."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="role_proposals"
    )
    role = models.CharField(max_length=20, choices=[("coach", "Coach"), ("sponsor", "Sponsor")])
    # None: no sponsor any more (mentoring and Kata may have none).
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Who held the role when it was proposed: an answer to a stale proposal is refused.
    replaces = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_by_role = models.CharField(max_length=20)
    reason = models.CharField(max_length=300)
    proposed_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=20, choices=Answer.choices, default=Answer.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answer_reason = models.CharField(max_length=400, blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "role"],
                condition=models.Q(answer="pending"),
                name="one_pending_proposal_per_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} proposal on engagement {self.engagement_id}: {self.answer}"


class SharingCategory(models.TextChoices):
    """What an agreement may share with the sponsor. Private notes are not here, on purpose."""

    MEASURES = "measures", "Measures and KPIs"
    TARGETS = "targets", "Targets"
    ACTION_STATUS = "action_status", "Action-log status"
    MEETING_SUMMARIES = "meeting_summaries", "Meeting summaries"
    OBSERVATIONS = "observations", "Observations and the reinforcement ratio"
    SURVEY_RESULTS = "survey_results", "Survey results"


class Agreement(models.Model):
    """One version of an engagement's written agreement.

    A version may be edited only while nobody has signed it; after that a
    change is a new version, which every party must sign again.
    """

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="agreements")
    version = models.PositiveIntegerField()
    share_measures = models.BooleanField(default=False)
    share_targets = models.BooleanField(default=False)
    share_action_status = models.BooleanField(default=False)
    share_meeting_summaries = models.BooleanField(default=False)
    share_observations = models.BooleanField(default=False)
    share_survey_results = models.BooleanField(default=False)
    sponsor_expects_feedback = models.BooleanField(
        default=False, help_text="The sponsor wants feedback on how they manage the client."
    )
    client_confidential = models.TextField(
        blank=True,
        help_text="What the client has asked to keep confidential. Seen by coach and client only.",
    )
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.FORTNIGHTLY)
    coach_commitments = models.TextField(blank=True)
    client_commitments = models.TextField(blank=True)
    sponsor_commitments = models.TextField(blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["engagement", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["engagement", "version"], name="agreement_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Agreement v{self.version} of engagement {self.engagement_id}"

    def grants(self) -> frozenset[str]:
        return frozenset(
            category.value
            for category in SharingCategory
            if getattr(self, f"share_{category.value}")
        )


class Signature(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signatures")
    role = models.CharField(max_length=20)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="signatures")
    signed_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "role"], name="signature_once_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.role} signature on agreement {self.agreement_id}"


class NeedOwner(models.TextChoices):
    SPONSOR = "sponsor", "Sponsor's needs"
    CLIENT = "client", "Client's needs"


class NeedCategory(models.TextChoices):
    PRODUCTIVITY = "productivity", "Productivity / process"
    QUALITY = "quality", "Quality"
    FINANCIAL = "financial", "Financial"
    CUSTOMER = "customer", "Customer satisfaction"
    TEAM_LEADERSHIP = "team_leadership", "Behaviour change: team leadership"
    PEER_RELATIONSHIPS = "peer_relationships", "Behaviour change: peer relationships"
    TEAM_PERFORMANCE = "team_performance", "The team's measurable performance"
    RELATIONSHIPS = "relationships", "Relationships with team and peers"
    TEAM_BEHAVIOUR = "team_behaviour", "Team behaviour"
    PERSONAL_BEHAVIOUR = "personal_behaviour", "Personal behaviour"


# METHOD.md "Needs analysis": which categories belong to whose list.
NEED_CATEGORIES: dict[str, tuple[str, ...]] = {
    NeedOwner.SPONSOR: (
        NeedCategory.PRODUCTIVITY,
        NeedCategory.QUALITY,
        NeedCategory.FINANCIAL,
        NeedCategory.CUSTOMER,
        NeedCategory.TEAM_LEADERSHIP,
        NeedCategory.PEER_RELATIONSHIPS,
    ),
    NeedOwner.CLIENT: (
        NeedCategory.PRODUCTIVITY,
        NeedCategory.QUALITY,
        NeedCategory.FINANCIAL,
        NeedCategory.CUSTOMER,
        NeedCategory.TEAM_LEADERSHIP,
        NeedCategory.PEER_RELATIONSHIPS,
        NeedCategory.TEAM_PERFORMANCE,
        NeedCategory.RELATIONSHIPS,
        NeedCategory.TEAM_BEHAVIOUR,
        NeedCategory.PERSONAL_BEHAVIOUR,
    ),
}


class Need(models.Model):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="needs")
    owner = models.CharField(max_length=10, choices=NeedOwner.choices)
    category = models.CharField(max_length=30, choices=NeedCategory.choices)
    description = models.TextField(max_length=2000)
    position = models.PositiveIntegerField(default=0)
    written_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["engagement", "owner", "position", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class PositiveAssumptions(models.Model):
    """The client's hoped-for best outcome and strengths, written at the start and revisited.

    Each revisit is a new dated row; the newest is the current one.
    """

    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="assumptions")
    best_outcome = models.TextField(max_length=4000)
    strengths = models.TextField(max_length=4000, help_text="One strength per line.")
    written_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-written_at", "-id"]
        verbose_name_plural = "positive assumptions"

    def __str__(self) -> str:
        return f"Positive assumptions of {self.written_at:%Y-%m-%d}"

    def strength_list(self) -> list[str]:
        return [line.strip() for line in self.strengths.splitlines() if line.strip()]


class PrivateNote(models.Model):
    """The coach's private note. Never shared: no agreement setting reaches it."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="private_notes"
    )
    text = models.TextField(max_length=10000)
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(default=timezone.now)
    # A private note written in a meeting, against one agenda item.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="private_notes",
    )
    agenda_item = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self) -> str:
        return f"Private note of {self.written_at:%Y-%m-%d}"
