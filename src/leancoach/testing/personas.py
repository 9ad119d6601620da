"""The shared cast for "who can and who cannot" tests.

admin     a programme admin (is_staff): manages people, never reads coaching content
coach     a manager in another area who coaches the client
client    a team leader, being coached
sponsor   the client's manager, who sponsors the coaching
outsider  an employee with no part in any of it

Later capabilities attach engagements to these same people.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from leancoach.core.models import User
from leancoach.people.models import Person, Team

PASSWORD = "a-long-test-password-42"


@dataclass
class Personas:
    admin: User
    coach: User
    client: User
    sponsor: User
    outsider: User
    teams: dict[str, Team]

    def person(self, role: str) -> Person:
        user: User = getattr(self, role)
        return user.person

    def all(self) -> dict[str, User]:
        return {
            role: getattr(self, role)
            for role in ("admin", "coach", "client", "sponsor", "outsider")
        }


def make_user(
    email: str,
    name: str,
    *,
    title: str = "",
    manager: Person | None = None,
    team: Team | None = None,
    staff: bool = False,
    password: str | None = None,
) -> User:
    user = User(username=email, email=email, is_staff=staff)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    Person.objects.create(
        email=email, name=name, title=title, manager=manager, team=team, user=user
    )
    return user


def make_personas() -> Personas:
    top = Team.objects.create(name="Executive")
    ops = Team.objects.create(name="Operations", parent=top)
    line = Team.objects.create(name="Assembly Line 1", parent=ops)
    sales = Team.objects.create(name="Sales", parent=top)
    ceo = Person.objects.create(
        email="ceo@example.com", name="Chris Chief", title="Chief Executive", team=top
    )
    top.leader = ceo
    top.save()
    sponsor = make_user(
        "sponsor@example.com", "Sam Sponsor", title="Operations Director", manager=ceo, team=ops
    )
    client = make_user(
        "client@example.com", "Casey Client", title="Team Leader", manager=sponsor.person, team=line
    )
    coach = make_user(
        "coach@example.com", "Cora Coach", title="Sales Manager", manager=ceo, team=sales
    )
    outsider = make_user(
        "outsider@example.com",
        "Oscar Outsider",
        title="Specialist",
        manager=client.person,
        team=line,
    )
    admin = make_user(
        "admin@example.com", "Alex Admin", title="Programme Lead", manager=ceo, team=top, staff=True
    )
    ops.leader = sponsor.person
    ops.save()
    line.leader = client.person
    line.save()
    return Personas(
        admin=admin,
        coach=coach,
        client=client,
        sponsor=sponsor,
        outsider=outsider,
        teams={"top": top, "ops": ops, "line": line, "sales": sales},
    )


def everyone_accepts(engagement: Any) -> Any:
    """Every party still asked accepts taking part, as each would on their proposal page."""
    from leancoach.engagements import services
    from leancoach.engagements.models import Answer

    for consent in engagement.consents.filter(answer=Answer.PENDING).select_related("person"):
        engagement = services.answer_consent(
            request=None, engagement=engagement, person=consent.person, accept=True
        )
    engagement.refresh_from_db()
    return engagement


def everyone_signs(agreement: Any) -> None:
    from leancoach.engagements import services

    engagement = agreement.engagement
    for role in engagement.required_roles():
        services.sign_agreement(request=None, agreement=agreement, person=getattr(engagement, role))


@dataclass
class Engagements:
    """Two engagements for "their own and another's" tests.

    ``ours``: coach → client, sponsored by sponsor; both accepted taking part and signed
    agreement v1, sharing measures and action status only, so it is active. ``theirs``:
    another coach, client and sponsor (in the Sales team), with the same kind of agreement.
    """

    ours: Any
    theirs: Any
    other_coach: User
    other_client: User
    other_sponsor: User


def make_engagements(
    personas: Personas, *, share: tuple[str, ...] = ("measures", "action_status")
) -> Engagements:
    from leancoach.engagements import services

    sales = personas.teams["sales"]
    coach_person = personas.person("coach")
    other_sponsor = make_user("boss2@example.com", "Bo Boss", title="Sales Director", team=sales)
    other_client = make_user(
        "client2@example.com",
        "Cleo Client",
        title="Team Leader",
        manager=other_sponsor.person,
        team=sales,
    )
    other_coach = make_user(
        "coach2@example.com",
        "Cody Coach",
        title="Manager",
        manager=other_sponsor.person,
        team=sales,
    )
    built = []
    for coach, client in (
        (coach_person, personas.person("client")),
        (other_coach.person, other_client.person),
    ):
        engagement = services.open_engagement(
            request=None,
            opened_by=coach,
            coach=coach,
            client=client,
            focus="Run better team huddles",
        )
        engagement = everyone_accepts(engagement)
        terms = {f"share_{name}": True for name in share}
        agreement = services.propose_agreement(
            request=None, engagement=engagement, by=coach, role="coach", terms=terms
        )
        everyone_signs(agreement)
        engagement.refresh_from_db()
        built.append(engagement)
    return Engagements(
        ours=built[0],
        theirs=built[1],
        other_coach=other_coach,
        other_client=other_client,
        other_sponsor=other_sponsor,
    )
