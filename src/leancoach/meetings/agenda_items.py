"""The items of a coaching meeting's agenda, as METHOD.md states them.

A regular meeting follows the eight items of "The regular coaching meeting"; a
Toyota Kata engagement uses the five coaching questions instead.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgendaItem:
    key: str
    title: str
    prompt: str


MEETING_ITEMS: tuple[AgendaItem, ...] = (
    AgendaItem(
        "facts",
        "1. Review the facts",
        "Key data and the current condition, in measures and in observed team behaviour.",
    ),
    AgendaItem("recognition", "2. Recognition", "Celebrate progress: say what went well."),
    AgendaItem(
        "pinpoint",
        "3. Pinpoint behaviour",
        "How does the team perform as a team, and what behaviour shows it?",
    ),
    AgendaItem(
        "action_review",
        "4. Action plan review",
        "Commitments from earlier meetings and the progress on each.",
    ),
    AgendaItem(
        "challenge",
        "5. The challenge and desired performance",
        "Ask the client first: what should the next targets be?",
    ),
    AgendaItem(
        "feedback",
        "6. Feedback",
        "The client's concerns about their role. How can I, the coach, help?",
    ),
    AgendaItem(
        "problem_solving",
        "7. Problem solving",
        "Shared problem solving about the team's performance and behaviour.",
    ),
    AgendaItem(
        "contracting",
        "8. Contracting",
        "What the coach will do and what the client will do: specific tasks and dates.",
    ),
)

KATA_ITEMS: tuple[AgendaItem, ...] = (
    AgendaItem("kata_target", "1. What is the target condition?", "The challenge and the target."),
    AgendaItem(
        "kata_actual",
        "2. What is the actual condition now?",
        "Then reflect on the last step: what did you plan, what did you expect, what "
        "actually happened, and what did you learn?",
    ),
    AgendaItem(
        "kata_obstacles",
        "3. What obstacles are preventing you from reaching the target condition?",
        "Which one are you addressing now?",
    ),
    AgendaItem(
        "kata_next_step",
        "4. What is your next step?",
        "The next experiment: what do you expect?",
    ),
    AgendaItem(
        "kata_go_see",
        "5. How quickly can we go and see what we have learned from taking that step?",
        "Agree when you will look at the result together.",
    ),
)


def items_for(kind: str) -> tuple[AgendaItem, ...]:
    return KATA_ITEMS if kind == "kata" else MEETING_ITEMS


def item_keys(kind: str) -> list[str]:
    return [item.key for item in items_for(kind)]
