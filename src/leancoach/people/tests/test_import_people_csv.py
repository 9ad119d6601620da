from __future__ import annotations

import pytest

from leancoach.core.models import User
from leancoach.people.importer import ImportRejected, import_people_csv
from leancoach.people.models import Person, Team

pytestmark = pytest.mark.django_db

GOOD = """email,name,title,manager_email,team,team_parent,team_leader
boss@example.com,Bea Boss,Director,,Operations,,yes
lead@example.com,Lee Lead,Team Leader,boss@example.com,Line 1,Operations,yes
ann@example.com,Ann Able,Operator,lead@example.com,Line 1,,
bob@example.com,Bob Baker,Operator,lead@example.com,Line 1,,
"""


def rejected(text: str | bytes) -> list[tuple[int, str]]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(ImportRejected) as caught:
        import_people_csv(data)
    return [(error.line, error.column) for error in caught.value.errors]


def test_first_import_creates_people_teams_and_reporting_lines() -> None:
    result = import_people_csv(GOOD.encode())
    assert (result.people_created, result.teams_created) == (4, 2)
    ann = Person.objects.select_related("manager", "team__parent", "team__leader").get(
        email="ann@example.com"
    )
    assert ann.manager is not None
    assert ann.manager.email == "lead@example.com"
    assert ann.team is not None
    assert ann.team.name == "Line 1"
    assert ann.team.parent is not None
    assert ann.team.parent.name == "Operations"
    assert ann.team.leader is not None
    assert ann.team.leader.email == "lead@example.com"


def test_importing_the_same_file_twice_changes_nothing_the_second_time() -> None:
    first = import_people_csv(GOOD.encode())
    second = import_people_csv(GOOD.encode())
    assert first.changes > 0
    assert second.changes == 0
    assert second.people_unchanged == 4
    assert Person.objects.count() == 4
    assert Team.objects.count() == 2


def test_a_changed_row_updates_only_that_person() -> None:
    import_people_csv(GOOD.encode())
    result = import_people_csv(
        GOOD.replace("Ann Able,Operator", "Ann Able,Senior Operator").encode()
    )
    assert (result.people_updated, result.people_created, result.people_unchanged) == (1, 0, 3)
    assert Person.objects.get(email="ann@example.com").title == "Senior Operator"


def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed_by_line_and_column() -> None:
    text = GOOD + "not-an-email,Xavier,,,,,\ncarl@example.com,,Operator,,Line 1,,\n"
    assert rejected(text) == [(6, "email"), (7, "name")]
    assert Person.objects.count() == 0
    assert Team.objects.count() == 0


def test_an_unknown_manager_is_reported_beside_other_bad_rows() -> None:
    text = "email,name,manager_email\nbad-email,Bad,\nann@example.com,Ann,ghost@example.com\n"
    assert rejected(text) == [(2, "email"), (3, "manager_email")]


def test_semicolons_and_a_byte_order_mark_are_accepted() -> None:
    text = "\ufeffemail;name;title\nann@example.com;Ann Able;Operator, night shift\n"
    result = import_people_csv(text.encode("utf-8"))
    assert result.people_created == 1
    assert Person.objects.get().title == "Operator, night shift"


def test_a_file_that_is_not_utf8_is_refused_naming_its_line() -> None:
    data = "email,name\nann@example.com,Ann\nzoe@example.com,Zoë\n".encode("latin-1")
    errors = rejected(data)
    assert errors == [(3, "")]


def test_lines_are_counted_in_the_file_even_with_multiline_cells() -> None:
    text = 'email,name,title\nann@example.com,Ann,"two\nlines"\n,Nobody,\n'
    assert rejected(text) == [(4, "email")]


def test_missing_and_unknown_columns_are_reported_on_line_1() -> None:
    assert rejected("e-mail,name\nann@example.com,Ann\n") == [(1, "e-mail"), (1, "email")]


def test_a_manager_who_is_nowhere_is_refused() -> None:
    errors = rejected("email,name,manager_email\nann@example.com,Ann,ghost@example.com\n")
    assert errors == [(2, "manager_email")]


def test_a_cycle_in_managers_is_refused() -> None:
    text = (
        "email,name,manager_email\n"
        "a@example.com,A,c@example.com\n"
        "b@example.com,B,a@example.com\n"
        "c@example.com,C,b@example.com\n"
        "d@example.com,D,a@example.com\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_people_csv(text.encode())
    loops = [error for error in caught.value.errors if "loop" in error.message]
    assert [error.line for error in loops] == [2, 3, 4]
    assert "a@example.com → c@example.com → b@example.com → a@example.com" in loops[0].message
    assert Person.objects.count() == 0


def test_a_cycle_through_people_already_imported_is_refused() -> None:
    import_people_csv(GOOD.encode())
    errors = rejected("email,name,manager_email\nboss@example.com,Bea Boss,ann@example.com\n")
    assert errors == [(2, "manager_email")]
    assert Person.objects.get(email="boss@example.com").manager is None


def test_a_person_cannot_manage_themselves() -> None:
    assert rejected("email,name,manager_email\nann@example.com,Ann,ann@example.com\n") == [
        (2, "manager_email")
    ]


def test_a_cycle_in_teams_is_refused() -> None:
    text = "email,name,team,team_parent\na@example.com,A,Red,Blue\nb@example.com,B,Blue,Red\n"
    assert rejected(text) == [(2, "team_parent"), (3, "team_parent")]
    assert Team.objects.count() == 0


def test_two_parents_for_one_team_are_refused() -> None:
    text = "email,name,team,team_parent\na@example.com,A,Red,Blue\nb@example.com,B,Red,Green\n"
    assert rejected(text) == [(3, "team_parent")]


def test_the_same_email_twice_is_refused_on_its_second_line() -> None:
    assert rejected("email,name\nann@example.com,Ann\nANN@example.com,Ann again\n") == [
        (3, "email")
    ]


def test_a_column_left_out_leaves_that_attribute_alone_and_an_empty_cell_clears_it() -> None:
    import_people_csv(GOOD.encode())
    import_people_csv(b"email,name\nann@example.com,Ann Able\n")
    ann = Person.objects.get(email="ann@example.com")
    assert ann.title == "Operator"
    assert ann.manager_id is not None
    import_people_csv(b"email,name,manager_email\nann@example.com,Ann Able,\n")
    assert Person.objects.get(email="ann@example.com").manager_id is None


def test_the_login_column_creates_a_login_without_a_password_once() -> None:
    text = "email,name,login\nann@example.com,Ann,yes\nbob@example.com,Bob,no\n"
    first = import_people_csv(text.encode())
    second = import_people_csv(text.encode())
    assert (first.logins_created, second.logins_created) == (1, 0)
    user = User.objects.get(username="ann@example.com")
    assert user.person.email == "ann@example.com"
    assert not user.has_usable_password()
    assert not User.objects.filter(username="bob@example.com").exists()


def test_dry_run_counts_changes_and_writes_nothing() -> None:
    result = import_people_csv(GOOD.encode(), dry_run=True)
    assert result.people_created == 4
    assert Person.objects.count() == 0


def test_an_empty_file_is_refused() -> None:
    assert rejected(b"") == [(1, "")]


def test_a_row_with_the_wrong_number_of_fields_is_refused() -> None:
    assert rejected("email,name\nann@example.com,Ann,extra\n") == [(2, "")]


def test_a_large_import_refreshes_the_planner_statistics(monkeypatch: pytest.MonkeyPatch) -> None:
    from leancoach.people import importer

    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(importer, "ANALYZE_AFTER", 3)
    monkeypatch.setattr(
        importer,
        "refresh_planner_statistics",
        lambda *models: calls.append(tuple(model.__name__ for model in models)),
    )
    import_people_csv(GOOD.encode())
    assert calls == [("Person", "Team", "PersonSearchWord")]
    import_people_csv(GOOD.encode())
    assert len(calls) == 1


def test_refreshing_statistics_runs_on_this_database() -> None:
    from leancoach.core.db import refresh_planner_statistics

    import_people_csv(GOOD.encode())
    refresh_planner_statistics(Person, Team)  # must not raise inside a transaction
