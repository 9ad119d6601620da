from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower


class Team(models.Model):
    name = models.CharField(max_length=200, unique=True)
    leader = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="led_teams"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id is not None and self.pk is not None:
            chain = team_ancestor_ids(self.parent_id)
            if self.pk in chain or self.parent_id == self.pk:
                raise ValidationError(
                    {"parent": f"Team “{self.name}” cannot sit under one of its own sub-teams."}
                )


class Person(models.Model):
    email = models.EmailField(max_length=254, unique=True)
    name = models.CharField(max_length=200)
    title = models.CharField(max_length=200, blank=True)
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        indexes = [
            # Keyset pagination of the directory walks (name, id).
            models.Index(fields=["name", "id"], name="person_name_id"),
            models.Index(Lower("name"), name="person_lower_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)  # type: ignore[arg-type]
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"name", "title", "email"} & set(update_fields):  # type: ignore[call-overload]
            from leancoach.people.search import reindex

            reindex([self.pk])

    def clean(self) -> None:
        if (
            self.manager_id is not None
            and self.pk is not None
            and (self.manager_id == self.pk or self.pk in manager_ancestor_ids(self.manager_id))
        ):
            raise ValidationError(
                {"manager": f"{self.name} cannot report to someone who reports to them."}
            )


def _ancestor_ids(model: type[models.Model], parent_field: str, start_id: int) -> list[int]:
    """Walk up a parent chain from ``start_id``; stops (without looping) on an existing cycle."""
    seen: list[int] = []
    current: int | None = start_id
    while current is not None and current not in seen:
        seen.append(current)
        current = (
            model._default_manager.filter(pk=current).values_list(parent_field, flat=True).first()
        )
    return seen


def manager_ancestor_ids(person_id: int) -> list[int]:
    return _ancestor_ids(Person, "manager_id", person_id)


def team_ancestor_ids(team_id: int) -> list[int]:
    return _ancestor_ids(Team, "parent_id", team_id)


class PersonSearchWord(models.Model):
    """One word of a person's name, title or e-mail, folded to lower-case ASCII.

    The directory search finds words by prefix with a range on this indexed
    column (``word >= 'lee' AND word < 'lef'``), which both SQLite and
    PostgreSQL answer from a B-tree instead of scanning every person.
    Maintained by ``leancoach.people.search``.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_words")
    word = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["word", "person"], name="person_search_word")]

    def __str__(self) -> str:
        return self.word
