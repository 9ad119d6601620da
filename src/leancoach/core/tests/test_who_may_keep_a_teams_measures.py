"""A team's measures: anyone signed in reads them; its leader, the managers above, and admins keep them."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from leancoach.core import access
from leancoach.core.access import READ, WRITE
from leancoach.metrics.models import Measure
from leancoach.metrics.services import add_measure

pytestmark = pytest.mark.django_db

# team: the personas who keep its measures. The client leads Assembly Line 1; the sponsor,
# the client's manager, leads Operations above it; the outsider works on line 1 under the client.
KEEPERS = {
    "line": {"admin", "client", "sponsor"},
    "ops": {"admin", "sponsor"},
    "sales": {"admin"},  # no leader: only programme admins keep it
    "top": {"admin"},  # led by the chief executive, who has no login here
}


@pytest.fixture
def line_measure(personas: Any) -> Measure:
    return add_measure(team=personas.teams["line"], by=personas.person("client"), name="Yield")


@pytest.mark.parametrize("team", sorted(KEEPERS))
def test_the_leader_the_managers_above_and_admins_keep_a_teams_measures(
    personas: Any, team: str
) -> None:
    keepers = {
        role
        for role, user in personas.all().items()
        if access.may_keep_team_measures(user, personas.teams[team])
    }
    assert keepers == KEEPERS[team]


@pytest.mark.parametrize("team", sorted(KEEPERS))
def test_everyone_signed_in_reads_a_teams_measures(personas: Any, team: str) -> None:
    for user in personas.all().values():
        assert (
            access.open_team_measures(user, personas.teams[team].pk, READ) == personas.teams[team]
        )


def test_someone_who_may_not_keep_them_is_forbidden_to_write(
    personas: Any, line_measure: Measure
) -> None:
    line = personas.teams["line"]
    for role in ("coach", "outsider"):
        with pytest.raises(access.Forbidden, match="leader"):
            access.open_team_measures(getattr(personas, role), line.pk, WRITE)
        with pytest.raises(access.Forbidden):
            access.get_team_measure(getattr(personas, role), line.pk, line_measure.pk, WRITE)
    kept = access.get_team_measure(personas.sponsor, line.pk, line_measure.pk, WRITE)
    assert kept == line_measure


def test_a_signed_out_visitor_finds_no_team_and_no_measure(
    personas: Any, line_measure: Measure
) -> None:
    line = personas.teams["line"]
    with pytest.raises(access.NotFound):
        access.open_team_measures(AnonymousUser(), line.pk)
    with pytest.raises(access.NotFound):
        access.get_team_measure(AnonymousUser(), line.pk, line_measure.pk)
    assert not access.may_keep_team_measures(AnonymousUser(), line)


def test_a_measure_is_found_only_through_its_own_team(
    personas: Any, engagements: Any, line_measure: Measure
) -> None:
    ops = personas.teams["ops"]
    engagement_measure = add_measure(
        engagement=engagements.ours, by=engagements.ours.coach, name="Rework"
    )
    for measure in (line_measure, engagement_measure):
        with pytest.raises(access.NotFound):
            access.get_team_measure(personas.admin, ops.pk, measure.pk)
    with pytest.raises(access.NotFound):
        access.get_team_measure(personas.admin, 10**12, line_measure.pk)
    assert list(access.team_measures_for(personas.outsider, personas.teams["line"])) == [
        line_measure
    ]


def test_a_new_leader_keeps_the_measures_and_so_do_the_managers_above_them(personas: Any) -> None:
    line = personas.teams["line"]
    line.leader = personas.person("outsider")
    line.save()
    assert access.may_keep_team_measures(personas.outsider, line)
    assert not access.may_keep_team_measures(personas.coach, line)
    # The outsider's manager is the client, now above the leader in the chain.
    assert access.may_keep_team_measures(personas.client, line)
