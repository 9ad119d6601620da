"""A deterministic demo organisation, built as a people CSV and loaded through the real importer.

Going through the importer makes seeding idempotent for free: the same scale
gives the same file, and the second import changes nothing.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

SCALES = {"small": 1_000, "large": 100_000}
SPAN_OF_CONTROL = 8
DOMAIN = "example.com"

FIRST = [
    "Ada",
    "Ali",
    "Amara",
    "Ana",
    "Anders",
    "Aziz",
    "Bea",
    "Ben",
    "Carla",
    "Chen",
    "Dana",
    "Dev",
    "Elena",
    "Emil",
    "Farah",
    "Femi",
    "Gita",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Ivan",
    "Jae",
    "Jonas",
    "Kai",
    "Kemi",
    "Lars",
    "Lea",
    "Lina",
    "Luca",
    "Maya",
    "Mei",
    "Milan",
    "Nadia",
    "Noor",
    "Olu",
    "Omar",
    "Pia",
    "Raj",
    "Rosa",
    "Sami",
    "Sara",
    "Sven",
    "Tara",
    "Theo",
    "Uma",
    "Vera",
    "Wen",
    "Yara",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Abebe",
    "Andersen",
    "Baker",
    "Banerjee",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kim",
    "Kowalski",
    "Lopez",
    "Mensah",
    "Meyer",
    "Moreau",
    "Nakamura",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Quinn",
    "Rossi",
    "Santos",
    "Schmidt",
    "Silva",
    "Tanaka",
    "Torres",
    "Umar",
    "Varga",
    "Wagner",
    "Weber",
    "Xu",
    "Yilmaz",
    "Zhang",
]
AREAS = [
    "Operations",
    "Finance",
    "Sales",
    "Service",
    "Logistics",
    "Quality",
    "Engineering",
    "Production",
    "Procurement",
    "Marketing",
    "Support",
    "Planning",
    "Maintenance",
    "Assembly",
    "Warehouse",
    "Claims",
    "Billing",
    "Onboarding",
]


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    what: str


DEMO_PASSWORD = "coach-the-method-2026"
DEMO_LOGINS = (
    DemoLogin(
        "admin",
        f"admin@{DOMAIN}",
        "programme admin: imports people, sees the programme, never coaching content",
    ),
    DemoLogin("coach", f"coach@{DOMAIN}", "a manager who coaches team leaders"),
    DemoLogin("client", f"client@{DOMAIN}", "a team leader being coached"),
    DemoLogin("sponsor", f"sponsor@{DOMAIN}", "the client's manager, who sponsors the coaching"),
    DemoLogin("outsider", f"outsider@{DOMAIN}", "an employee with no part in any coaching"),
)


TITLES_BY_HEIGHT = (
    "Specialist",
    "Team Leader",
    "Manager",
    "Senior Manager",
    "Director",
    "Vice President",
)


def _title(height: int, is_root: bool) -> str:
    """A title from how many management levels sit below the person."""
    if is_root:
        return "Chief Executive"
    return TITLES_BY_HEIGHT[min(height, len(TITLES_BY_HEIGHT) - 1)]


def build_people_csv(scale: str) -> bytes:
    """The demo organisation as CSV bytes: a tree with ``SPAN_OF_CONTROL`` reports per manager."""
    count = SCALES[scale]
    rng = random.Random(f"leancoach-demo-{scale}")
    managers = (count - 1 + SPAN_OF_CONTROL - 1) // SPAN_OF_CONTROL  # people who have reports

    def manager_index(index: int) -> int | None:
        return None if index == 0 else (index - 1) // SPAN_OF_CONTROL

    # Height = management levels below a person (0 for someone with no reports);
    # reports always have higher indices than their manager, so walk backwards.
    height = [0] * count
    for index in range(count - 1, 0, -1):
        above = manager_index(index) or 0
        height[above] = max(height[above], height[index] + 1)

    emails: list[str] = []
    names: list[str] = []
    used: set[str] = set()
    for _ in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        base = f"{first}.{last}".lower()
        email = f"{base}@{DOMAIN}"
        suffix = 2
        while email in used:
            email = f"{base}{suffix}@{DOMAIN}"
            suffix += 1
        used.add(email)
        emails.append(email)
        names.append(f"{first} {last}")

    # The demo personas sit at fixed places in the tree (see DEMO_LOGINS).
    # At the small scale: the sponsor and the coach are managers reporting to the
    # chief executive; the client is a team leader reporting to the sponsor.
    sponsor = 2
    client = sponsor * SPAN_OF_CONTROL + 1
    coach = 3
    outsider = count - 1  # a specialist at the bottom of the tree
    personas = {
        sponsor: ("sponsor", "Sam Sponsor"),
        client: ("client", "Casey Client"),
        coach: ("coach", "Cora Coach"),
        outsider: ("outsider", "Oscar Outsider"),
    }
    for index, (role, name) in personas.items():
        emails[index] = f"{role}@{DOMAIN}"
        names[index] = name

    def team_name(leader: int) -> str:
        return "Executive" if leader == 0 else f"{AREAS[leader % len(AREAS)]} {leader}"

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["email", "name", "title", "manager_email", "team", "team_parent", "team_leader", "login"]
    )
    for index in range(count):
        boss = manager_index(index)
        leads = index < managers
        team = team_name(index) if leads else team_name(boss or 0)
        parent = team_name(boss) if leads and boss is not None else ""
        writer.writerow(
            [
                emails[index],
                names[index],
                _title(height[index], index == 0),
                emails[boss] if boss is not None else "",
                team,
                parent,
                "yes" if leads else "no",
                "yes" if index in personas else "no",
            ]
        )
    writer.writerow(
        [
            f"admin@{DOMAIN}",
            "Alex Admin",
            "Coaching Programme Lead",
            emails[0],
            team_name(0),
            "",
            "no",
            "yes",
        ]
    )
    return out.getvalue().encode()
