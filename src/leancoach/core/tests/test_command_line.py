from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from leancoach.cli import COMMANDS
from leancoach.core.models import User
from leancoach.people.models import Person


def leancoach(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "leancoach.cli", *args],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "leancoach.test_settings"},
        capture_output=True,
        text=True,
        check=False,
    )


def test_help_lists_every_leancoach_command() -> None:
    result = leancoach("--help")
    assert result.returncode == 0
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_explains_itself(name: str) -> None:
    result = leancoach(name, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout


@pytest.mark.django_db
def test_import_people_reports_each_bad_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_text("email,name\nann@example.com,Ann\nbroken,Bob\n,Cleo\n")
    with pytest.raises(CommandError, match="2 problem"):
        call_command("import_people", str(path), "--no-progress")
    errors = capsys.readouterr().err
    assert "line 3, column email" in errors
    assert "line 4, column email" in errors
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_import_people_twice_reports_zero_changes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "email,name,manager_email\nann@example.com,Ann,\nbob@example.com,Bob,ann@example.com\n"
    )
    call_command("import_people", str(path), "--no-progress")
    assert "(changed 2)" in capsys.readouterr().out
    call_command("import_people", str(path), "--no-progress")
    assert "(changed 0)" in capsys.readouterr().out


@pytest.mark.django_db
def test_import_people_names_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read"):
        call_command("import_people", str(tmp_path / "nope.csv"))


@pytest.mark.django_db
def test_seeding_twice_adds_nothing_the_second_time(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("seed", "--scale", "small", "--no-progress")
    first = capsys.readouterr().out
    people = Person.objects.count()
    call_command("seed", "--scale", "small", "--no-progress")
    second = capsys.readouterr().out
    assert people == 1001
    assert Person.objects.count() == people
    assert "0 changes, 0 demo passwords set, 0 demo engagements added" in second
    assert "1 demo engagements added" in first
    assert "admin@example.com" in first
    admin = User.objects.get(username="admin@example.com")
    assert admin.is_staff
    assert admin.has_usable_password()
    client = Person.objects.select_related("manager", "team").get(email="client@example.com")
    assert client.manager is not None
    assert client.manager.email == "sponsor@example.com"
    assert client.team is not None
    assert client.team.leader_id == client.pk


@pytest.mark.django_db
def test_createadmin_makes_an_admin_with_a_directory_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEANCOACH_ADMIN_PASSWORD", "a-long-admin-passphrase")
    call_command("createadmin", "--email", "Boss@Example.com", "--name", "Bo Boss")
    user = User.objects.get(username="boss@example.com")
    assert user.is_staff
    assert user.check_password("a-long-admin-passphrase")
    assert user.person.name == "Bo Boss"


@pytest.mark.django_db
def test_createadmin_refuses_a_weak_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEANCOACH_ADMIN_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("createadmin", "--email", "boss@example.com")
    assert not User.objects.filter(username="boss@example.com").exists()
