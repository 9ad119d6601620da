from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from leancoach.people.services import set_manager, set_team_parent

pytestmark = pytest.mark.django_db


def test_a_manager_cannot_be_made_to_report_to_their_own_report(personas: Any) -> None:
    sponsor, outsider = personas.person("sponsor"), personas.person("outsider")
    with pytest.raises(ValidationError, match="already reports to them"):
        set_manager(person=sponsor, manager=outsider)
    sponsor.refresh_from_db()
    assert sponsor.manager is not None
    assert sponsor.manager.name == "Chris Chief"


def test_a_person_cannot_report_to_themselves(personas: Any) -> None:
    with pytest.raises(ValidationError):
        set_manager(person=personas.person("coach"), manager=personas.person("coach"))


def test_a_legal_change_of_manager_is_saved(personas: Any) -> None:
    set_manager(person=personas.person("outsider"), manager=personas.person("coach"))
    assert personas.person("outsider").manager == personas.person("coach")


def test_a_team_cannot_sit_under_its_own_sub_team(personas: Any) -> None:
    with pytest.raises(ValidationError, match="which is inside it"):
        set_team_parent(team=personas.teams["top"], parent=personas.teams["line"])


def test_model_validation_catches_a_loop_too(personas: Any) -> None:
    sponsor = personas.person("sponsor")
    sponsor.manager = personas.person("outsider")
    with pytest.raises(ValidationError):
        sponsor.full_clean()
