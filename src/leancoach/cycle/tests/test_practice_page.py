from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from leancoach.cycle import services
from leancoach.cycle.models import Behaviour, PracticeLog

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def last_monday() -> datetime.date:
    today = timezone.localdate()
    return today - datetime.timedelta(days=today.weekday() + 7)


def test_the_coach_adds_a_trait_and_the_page_shows_the_trait_hint_without_blocking(
    personas: Any, engagements: Any
) -> None:
    engagement = engagements.ours
    client = signed_in(personas.coach)
    response = client.post(
        f"/engagements/{engagement.pk}/practice/behaviours/",
        {"text": "Be more proactive"},
        follow=True,
    )
    assert response.status_code == 200
    assert Behaviour.objects.filter(engagement=engagement, text="Be more proactive").exists()
    page = response.content.decode()
    assert "Behaviour saved." in page
    [behaviour] = response.context["behaviours"]
    assert "trait" in {hint["code"] for hint in behaviour.hints}
    assert "Problem:</strong> “proactive” names a trait" in page


def test_a_pinpointed_behaviour_shows_no_problem(personas: Any, huddle: Any) -> None:
    engagement = huddle[0].engagement
    page = signed_in(personas.client).get(f"/engagements/{engagement.pk}/practice/")
    assert page.status_code == 200
    assert "Asks each person for one problem at the 8:00 huddle" in page.content.decode()
    assert not any(h["severity"] == "Problem" for h in page.context["behaviours"][0].hints)


def test_the_client_commits_logs_practice_and_the_adherence_table_shows_it(
    personas: Any, huddle: Any
) -> None:
    engagement = huddle[0].engagement
    client = signed_in(personas.client)
    base = f"/engagements/{engagement.pk}/practice/"
    response = client.post(
        base + "commitments/",
        {
            "behaviour": huddle[0].pk,
            "when": "at the 8:00 huddle",
            "where": "at the line 1 board",
            "recurrence": "daily",
            "count_target": 1,
            "starts_on": last_monday().isoformat(),
        },
    )
    assert response.status_code == 302
    commitment = engagement.practice_commitments.get()
    response = client.post(
        base + f"{commitment.pk}/log/",
        {"on": last_monday().isoformat(), "done": "yes", "count": 2, "reflection": "Went well"},
        follow=True,
    )
    assert "Practice logged." in response.content.decode()
    assert PracticeLog.objects.get(commitment=commitment).count == 2
    [row] = response.context["commitments"]
    first = row["weeks"][0]
    assert (first.week_start, first.expected, first.done) == (last_monday(), 5, 1)
    assert first.unlogged == 4
    assert first.percent == 20
    assert f'<th scope="row">{last_monday():%Y-%m-%d}</th><td>5</td><td>1</td>' in (
        response.content.decode()
    )


def test_a_refused_log_becomes_a_message_not_an_error(personas: Any, huddle: Any) -> None:
    engagement = huddle[0].engagement
    commitment = services.commit_to_practice(
        engagement=engagement, by=engagement.coach, behaviour=huddle[0], when="8:00", where="board"
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = signed_in(personas.client).post(
        f"/engagements/{engagement.pk}/practice/{commitment.pk}/log/",
        {"on": tomorrow.isoformat(), "done": "yes", "count": 1},
        follow=True,
    )
    assert response.status_code == 200
    assert "Practice can only be logged once it has happened." in response.content.decode()
    assert not PracticeLog.objects.exists()


def test_the_sponsor_never_sees_practice_and_an_outsider_gets_404(
    personas: Any, engagements: Any, huddle: Any
) -> None:
    path = f"/engagements/{engagements.ours.pk}/practice/"
    assert signed_in(personas.sponsor).get(path).status_code == 403
    assert signed_in(personas.outsider).get(path).status_code == 404
    assert signed_in(personas.outsider).get("/engagements/999999/practice/").status_code == 404
    detail = signed_in(personas.sponsor).get(f"/engagements/{engagements.ours.pk}/")
    assert path not in detail.content.decode()
    assert (
        path
        in signed_in(personas.client).get(f"/engagements/{engagements.ours.pk}/").content.decode()
    )


def test_the_practice_page_costs_a_fixed_number_of_queries(
    personas: Any, engagements: Any, django_assert_max_num_queries: Any
) -> None:
    engagement = engagements.ours

    def fill() -> None:
        for n in range(10):
            behaviour = services.add_behaviour(
                engagement=engagement, by=engagement.coach, text=f"Thanks person {n} at the huddle"
            )
            commitment = services.commit_to_practice(
                engagement=engagement,
                by=engagement.coach,
                behaviour=behaviour,
                when="8:00",
                where="board",
                starts_on=last_monday() - datetime.timedelta(weeks=3),
            )
            for day in range(5):
                services.log_practice(
                    commitment=commitment,
                    on=last_monday() - datetime.timedelta(weeks=1, days=-day),
                    done=True,
                )

    client = signed_in(personas.client)
    path = f"/engagements/{engagement.pk}/practice/"
    fill()
    with django_assert_max_num_queries(10):
        assert client.get(path).status_code == 200
    fill()
    with django_assert_max_num_queries(10):
        response = client.get(path)
    assert len(response.context["commitments"]) == 20


def test_each_log_is_listed_newest_first_with_its_reflection(personas: Any, huddle: Any) -> None:
    engagement = huddle[0].engagement
    start = last_monday()
    commitment = services.commit_to_practice(
        engagement=engagement,
        by=engagement.coach,
        behaviour=huddle[0],
        when="at the 8:00 huddle",
        where="at the line 1 board",
        starts_on=start,
    )
    services.log_practice(
        commitment=commitment, on=start, done=True, count=3, reflection="Two problems raised"
    )
    services.log_practice(commitment=commitment, on=start + datetime.timedelta(days=1), done=False)
    response = signed_in(personas.client).get(f"/engagements/{engagement.pk}/practice/")
    [row] = response.context["commitments"]
    assert [log.on for log in row["logs"]] == [start + datetime.timedelta(days=1), start]
    page = response.content.decode()
    assert (
        f'<tr><th scope="row">{start:%Y-%m-%d}</th><td>Yes</td><td>3</td>'
        "<td>Two problems raised</td></tr>"
    ) in page
    assert (
        f'<tr><th scope="row">{start + datetime.timedelta(days=1):%Y-%m-%d}</th>'
        "<td>No</td><td>0</td><td></td></tr>"
    ) in page


def test_only_the_newest_logs_are_listed(personas: Any, huddle: Any) -> None:
    from leancoach.cycle.views import LOGS_SHOWN

    engagement = huddle[0].engagement
    start = last_monday() - datetime.timedelta(weeks=3)
    commitment = services.commit_to_practice(
        engagement=engagement,
        by=engagement.coach,
        behaviour=huddle[0],
        when="8:00",
        where="board",
        starts_on=start,
    )
    days = [start + datetime.timedelta(days=n) for n in range(LOGS_SHOWN + 3)]
    for day in days:
        services.log_practice(commitment=commitment, on=day, done=True, count=1)
    response = signed_in(personas.client).get(f"/engagements/{engagement.pk}/practice/")
    [row] = response.context["commitments"]
    assert [log.on for log in row["logs"]] == sorted(days, reverse=True)[:LOGS_SHOWN]
    assert f"(the last {LOGS_SHOWN})" in response.content.decode()
