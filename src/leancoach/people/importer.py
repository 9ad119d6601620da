"""CSV import of people and teams: all-or-nothing, upsert by e-mail, line-numbered errors.

Columns (header row required, order free, names case-insensitive):

=============== ======== =====================================================
column          required meaning
=============== ======== =====================================================
email           yes      work e-mail; the key: a row with a known e-mail updates
name            yes      full name
title           no       job title
manager_email   no       e-mail of the person's manager (in the file or already
                         known); empty means "no manager"
team            no       team name; empty means "no team"; a new name creates it
team_parent     no       name of the team's parent team (needs ``team``)
team_leader     no       yes/no: this person leads their ``team``
login           no       yes/no: give this person a login (they set a password
                         with "forgot password"); "no" leaves an existing login
=============== ======== =====================================================

A column left out of the file leaves that attribute untouched; a column present
with an empty cell clears it (except ``team_parent``/``team_leader``/``login``,
which only ever set). The file is UTF-8 (a BOM is fine) with commas or
semicolons. One bad row and nothing is written; every bad row is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from leancoach.core.csvio import ImportRejected, RowError, read_table
from leancoach.core.db import refresh_planner_statistics
from leancoach.core.models import User
from leancoach.people.models import Person, PersonSearchWord, Team
from leancoach.people.search import index_new, reindex

REQUIRED_COLUMNS = ("email", "name")
OPTIONAL_COLUMNS = ("title", "manager_email", "team", "team_parent", "team_leader", "login")
KNOWN_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_LENGTH = {"name": 200, "title": 200, "team": 200, "team_parent": 200, "email": 254}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0", ""}
BATCH = 1000
ANALYZE_AFTER = 5000  # rows written; past this the planner's statistics are stale

Progress = Callable[[str, int, int], None]


@dataclass
class ImportResult:
    rows: int = 0
    people_created: int = 0
    people_updated: int = 0
    people_unchanged: int = 0
    teams_created: int = 0
    teams_updated: int = 0
    logins_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return (
            self.people_created
            + self.people_updated
            + self.teams_created
            + self.teams_updated
            + self.logins_created
        )

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class _Row:
    line: int
    email: str
    values: dict[str, str]


def _parse(data: bytes) -> tuple[list[str], list[_Row], list[RowError]]:
    columns, table, errors = read_table(data, required=REQUIRED_COLUMNS, known=KNOWN_COLUMNS)
    rows = [
        _Row(line=row.line, email=row.values["email"].lower(), values=row.values) for row in table
    ]
    return columns, rows, errors


def _validate_rows(columns: list[str], rows: list[_Row], errors: list[RowError]) -> None:
    first_line_of: dict[str, int] = {}
    team_parent: dict[str, tuple[str, int]] = {}
    team_leader: dict[str, tuple[str, int]] = {}
    for row in rows:
        values = row.values
        for name, limit in MAX_LENGTH.items():
            if name in values and len(values[name]) > limit:
                errors.append(RowError(row.line, name, f"longer than {limit} characters"))
        if not row.email:
            errors.append(RowError(row.line, "email", "is empty; every row needs an e-mail"))
        else:
            try:
                validate_email(row.email)
            except ValidationError:
                errors.append(
                    RowError(
                        row.line, "email", f"“{values['email']}” is not a valid e-mail address"
                    )
                )
            if row.email in first_line_of:
                errors.append(
                    RowError(
                        row.line, "email", f"{row.email} is also on line {first_line_of[row.email]}"
                    )
                )
            else:
                first_line_of[row.email] = row.line
        if not values["name"]:
            errors.append(RowError(row.line, "name", "is empty; every person needs a name"))
        manager = values.get("manager_email", "").lower()
        if manager:
            try:
                validate_email(manager)
            except ValidationError:
                errors.append(
                    RowError(
                        row.line, "manager_email", f"“{manager}” is not a valid e-mail address"
                    )
                )
            if manager == row.email:
                errors.append(
                    RowError(row.line, "manager_email", "a person cannot be their own manager")
                )
        team = values.get("team", "")
        parent = values.get("team_parent", "")
        if parent:
            if not team:
                errors.append(RowError(row.line, "team_parent", "is set but the row has no team"))
            elif parent == team:
                errors.append(
                    RowError(row.line, "team_parent", f"team “{team}” cannot be its own parent")
                )
            elif team in team_parent and team_parent[team][0] != parent:
                other, other_line = team_parent[team]
                errors.append(
                    RowError(
                        row.line,
                        "team_parent",
                        f"“{parent}” conflicts with “{other}” given for team “{team}” on line {other_line}",
                    )
                )
            else:
                team_parent.setdefault(team, (parent, row.line))
        for flag in ("team_leader", "login"):
            if flag in values and values[flag].lower() not in YES | NO:
                errors.append(RowError(row.line, flag, f"“{values[flag]}” is not yes or no"))
        if values.get("team_leader", "").lower() in YES:
            if not team:
                errors.append(RowError(row.line, "team_leader", "is yes but the row has no team"))
            elif team in team_leader and team_leader[team][0] != row.email:
                errors.append(
                    RowError(
                        row.line,
                        "team_leader",
                        f"team “{team}” already has leader {team_leader[team][0]} on line {team_leader[team][1]}",
                    )
                )
            else:
                team_leader.setdefault(team, (row.email, row.line))


def _find_cycles(parent_of: dict[str, str | None], starts: Iterable[str]) -> dict[str, list[str]]:
    """Return, for every node in ``starts`` that lies on a cycle, the cycle as a path."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done (reaches a root)
    on_cycle: dict[str, list[str]] = {}
    for start in starts:
        path: list[str] = []
        node: str | None = start
        while node is not None and state.get(node) is None:
            state[node] = 1
            path.append(node)
            node = parent_of.get(node)
        if node is not None and state.get(node) == 1:
            cycle = path[path.index(node) :]
            for member in cycle:
                on_cycle[member] = cycle
        for member in path:
            state[member] = 2
    return on_cycle


def _check_graphs(columns: list[str], rows: list[_Row], errors: list[RowError]) -> None:
    in_file = {row.email for row in rows}
    if "manager_email" in columns:
        manager_of: dict[str, str | None] = {}
        for email, manager_email in Person.objects.values_list("email", "manager__email").iterator(
            chunk_size=5000
        ):
            manager_of[email] = manager_email
        known = set(manager_of) | in_file
        for row in rows:
            manager = row.values["manager_email"].lower()
            if manager and manager not in known:
                errors.append(
                    RowError(
                        row.line,
                        "manager_email",
                        f"{manager} is neither in this file nor already in leancoach",
                    )
                )
            manager_of[row.email] = manager or None
        cycles = _find_cycles(manager_of, (row.email for row in rows))
        for row in rows:
            if row.email in cycles and row.values["manager_email"].lower() != row.email:
                loop = " → ".join([*cycles[row.email], cycles[row.email][0]])
                errors.append(
                    RowError(row.line, "manager_email", f"reporting lines form a loop: {loop}")
                )
    if "team_parent" in columns:
        parent_of: dict[str, str | None] = dict(Team.objects.values_list("name", "parent__name"))
        stated_on: dict[str, int] = {}
        for row in rows:
            team, parent = row.values.get("team", ""), row.values["team_parent"]
            if team and parent:
                parent_of[team] = parent
                stated_on.setdefault(team, row.line)
        cycles = _find_cycles(parent_of, list(stated_on))
        for team, line in stated_on.items():
            if team in cycles and parent_of[team] != team:
                loop = " → ".join([*cycles[team], cycles[team][0]])
                errors.append(RowError(line, "team_parent", f"teams form a loop: {loop}"))


def import_people_csv(
    data: bytes, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Validate the whole file, then write it in one transaction (or nothing).

    Raises ``ImportRejected`` listing every problem when any row is bad.
    """
    columns, rows, errors = _parse(data)
    _validate_rows(columns, rows, errors)
    _check_graphs(columns, rows, errors)
    if errors:
        errors.sort(key=lambda error: (error.line, error.column))
        raise ImportRejected(errors)
    result = ImportResult(rows=len(rows))
    with transaction.atomic():
        _write(columns, rows, result, progress)
        if dry_run:
            transaction.set_rollback(True)
    return result


def _write(
    columns: list[str], rows: list[_Row], result: ImportResult, progress: Progress | None
) -> None:
    report = progress or (lambda stage, done, total: None)
    has = set(columns)

    # Teams first: every team named in the file (or as a parent) must exist.
    team_ids: dict[str, int] = dict(Team.objects.values_list("name", "id"))
    wanted_teams: set[str] = set()
    for row in rows:
        for name in ("team", "team_parent"):
            if row.values.get(name):
                wanted_teams.add(row.values[name])
    new_teams = [Team(name=name) for name in sorted(wanted_teams - set(team_ids))]
    Team.objects.bulk_create(new_teams, batch_size=BATCH)
    result.teams_created = len(new_teams)
    if new_teams:
        team_ids = dict(Team.objects.values_list("name", "id"))

    # People: load the current state once; 100,000 rows of a few columns fit easily in memory.
    current: dict[str, tuple[int, str, str, int | None, int | None, int | None]] = {
        email: (pk, name, title, manager_id, team_id, user_id)
        for pk, email, name, title, manager_id, team_id, user_id in Person.objects.values_list(
            "id", "email", "name", "title", "manager_id", "team_id", "user_id"
        ).iterator(chunk_size=5000)
    }
    person_ids = {email: state[0] for email, state in current.items()}
    by_email = {row.email: row for row in rows}

    def team_id_for(row: _Row) -> int | None:
        return team_ids[row.values["team"]] if row.values.get("team") else None

    # New people are inserted manager-first, level by level, so each row is
    # written once with its manager already known (no second update pass).
    new_rows = [row for row in rows if row.email not in current]

    def depth(email: str) -> int:
        steps = 0
        node = email
        while True:
            row = by_email.get(node)
            manager = row.values.get("manager_email", "").lower() if row else ""
            if not manager or manager in current or manager not in by_email:
                return steps
            node = manager
            steps += 1

    levels: dict[int, list[_Row]] = {}
    for row in new_rows:
        levels.setdefault(depth(row.email), []).append(row)
    done = 0
    for level in sorted(levels):
        batch = []
        for row in levels[level]:
            manager = row.values.get("manager_email", "").lower()
            batch.append(
                Person(
                    email=row.email,
                    name=row.values["name"],
                    title=row.values.get("title", ""),
                    manager_id=person_ids[manager] if manager else None,
                    team_id=team_id_for(row),
                )
            )
        for start in range(0, len(batch), BATCH):
            chunk = batch[start : start + BATCH]
            Person.objects.bulk_create(chunk)
            if any(person.pk is None for person in chunk):
                person_ids.update(
                    Person.objects.filter(email__in=[p.email for p in chunk]).values_list(
                        "email", "id"
                    )
                )
            else:
                person_ids.update((person.email, person.pk) for person in chunk)
            done += len(chunk)
            report("creating people", done, len(new_rows))
    result.people_created = len(new_rows)

    # Existing people: update only the attributes whose column is in the file and differs.
    changed: list[Person] = []
    changed_fields: set[str] = set()
    for row in rows:
        if row.email not in current:
            continue
        pk, name, title, manager_id, team_id, _user_id = current[row.email]
        person = Person(
            pk=pk, email=row.email, name=name, title=title, manager_id=manager_id, team_id=team_id
        )
        fields: set[str] = set()
        if row.values["name"] != name:
            person.name = row.values["name"]
            fields.add("name")
        if "title" in has and row.values["title"] != title:
            person.title = row.values["title"]
            fields.add("title")
        if "manager_email" in has:
            manager = row.values["manager_email"].lower()
            wanted_manager = person_ids[manager] if manager else None
            if wanted_manager != manager_id:
                person.manager_id = wanted_manager
                fields.add("manager")
        if "team" in has:
            wanted_team = team_id_for(row)
            if wanted_team != team_id:
                person.team_id = wanted_team
                fields.add("team")
        if fields:
            changed.append(person)
            changed_fields |= fields
    for start in range(0, len(changed), BATCH):
        Person.objects.bulk_update(changed[start : start + BATCH], sorted(changed_fields))
        report("updating people", min(start + BATCH, len(changed)), len(changed))
    result.people_updated = len(changed)
    report("indexing for search", 0, 1)
    index_new(
        (person_ids[row.email], row.values["name"], row.values.get("title", ""), row.email)
        for row in new_rows
    )
    if {"name", "title"} & changed_fields:
        reindex([person.pk for person in changed])
    report("indexing for search", 1, 1)
    result.people_unchanged = len(rows) - result.people_created - result.people_updated

    # Team parents and leaders, now that every team and person has an id.
    team_state = {
        name: (pk, parent_id, leader_id)
        for pk, name, parent_id, leader_id in Team.objects.values_list(
            "id", "name", "parent_id", "leader_id"
        )
    }
    new_team_names = {team.name for team in new_teams}
    team_changes: dict[str, Team] = {}
    for row in rows:
        team = row.values.get("team", "")
        if not team:
            continue
        pk, parent_id, leader_id = team_state[team]
        parent = row.values.get("team_parent", "")
        if parent and team_ids[parent] != parent_id:
            target = team_changes.setdefault(
                team, Team(pk=pk, name=team, parent_id=parent_id, leader_id=leader_id)
            )
            target.parent_id = team_ids[parent]
        if row.values.get("team_leader", "").lower() in YES and person_ids[row.email] != leader_id:
            target = team_changes.setdefault(
                team, Team(pk=pk, name=team, parent_id=parent_id, leader_id=leader_id)
            )
            target.leader_id = person_ids[row.email]
    if team_changes:
        Team.objects.bulk_update(
            list(team_changes.values()), ["parent", "leader"], batch_size=BATCH
        )
    result.teams_updated = len([name for name in team_changes if name not in new_team_names])

    if result.people_created + result.people_updated >= ANALYZE_AFTER:
        refresh_planner_statistics(Person, Team, PersonSearchWord)

    # Logins, for rows that ask for one and do not have one yet. Whole-table
    # reads (two columns) are cheaper than IN-lists of 100,000 e-mails.
    if "login" in has:
        wanted = {row.email for row in rows if row.values["login"].lower() in YES}
        linked = set(Person.objects.filter(user__isnull=False).values_list("email", flat=True))
        to_link = sorted(wanted - linked)
        user_ids: dict[str, int] = dict(User.objects.values_list("username", "id"))
        users = []
        for email in to_link:
            if email not in user_ids:
                user = User(
                    username=email, email=email, first_name=by_email[email].values["name"][:150]
                )
                user.set_unusable_password()
                users.append(user)
        if users:
            User.objects.bulk_create(users, batch_size=BATCH)
            user_ids = dict(User.objects.values_list("username", "id"))
        Person.objects.bulk_update(
            [Person(pk=person_ids[email], user_id=user_ids[email]) for email in to_link],
            ["user"],
            batch_size=BATCH,
        )
        result.logins_created = len(to_link)
