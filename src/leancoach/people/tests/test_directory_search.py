from __future__ import annotations

import pytest

from leancoach.people.models import Person
from leancoach.people.search import _upper_bound, person_words, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> None:
    for email, name, title in [
        ("lee.kim@example.com", "Lee Kim", "Team Leader"),
        ("kim.lee@example.com", "Kim Leeson", "Operator"),
        ("zoe@example.com", "Zoë O'Brien", "Quality Engineer"),
        ("liz@example.com", "Liz Lizzard", "Planner 2"),
        ("lj@example.com", "Lj Other", "Planner"),
        ("wang@example.com", "王伟", "Engineer"),
    ]:
        Person.objects.create(email=email, name=name, title=title)


def found(query: str) -> list[str]:
    return sorted(search(Person.objects.all(), query).values_list("email", flat=True))


def test_a_word_is_found_by_its_beginning(people: None) -> None:
    assert found("lee") == ["kim.lee@example.com", "lee.kim@example.com"]
    assert found("leader") == ["lee.kim@example.com"]


def test_every_word_of_the_query_must_match(people: None) -> None:
    assert found("lee leader") == ["lee.kim@example.com"]
    assert found("KIM oper") == ["kim.lee@example.com"]


def test_accents_and_apostrophes_do_not_matter(people: None) -> None:
    assert found("zoe") == ["zoe@example.com"]
    assert found("Zoë") == ["zoe@example.com"]
    assert found("obrien") == ["zoe@example.com"]
    assert found("o'brien") == ["zoe@example.com"]


def test_a_prefix_ending_in_z_does_not_spill_into_the_next_letter(people: None) -> None:
    assert found("liz") == ["liz@example.com"]
    assert found("lizz") == ["liz@example.com"]
    assert _upper_bound("liz") == "lj"
    assert _upper_bound("zz") is None
    assert _upper_bound("a9") == "aa"


def test_an_email_address_is_found_from_its_start(people: None) -> None:
    assert found("lee.kim@") == ["lee.kim@example.com"]
    assert found("lee.kim") == ["lee.kim@example.com"]


def test_letters_without_an_ascii_form_still_match_by_substring(people: None) -> None:
    assert found("伟") == ["wang@example.com"]


def test_digits_are_words_too(people: None) -> None:
    assert found("2") == ["liz@example.com"]


def test_renaming_a_person_updates_what_finds_them(people: None) -> None:
    person = Person.objects.get(email="lj@example.com")
    person.name = "Jo Renamed"
    person.save()
    assert found("renamed") == ["lj@example.com"]
    assert found("lj") == ["lj@example.com"]  # still found by e-mail


def test_words_come_from_name_title_and_the_local_part_of_the_email() -> None:
    assert person_words("Ann-Marie Smith", "QA", "a.smith@example.com") == {
        "ann",
        "marie",
        "annmarie",
        "smith",
        "qa",
        "a",
        "asmith",
    }
