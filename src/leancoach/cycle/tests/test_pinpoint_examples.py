"""The pinpoint check, documented by a table of good and bad behaviour descriptions.

Each row is a description a coach might write and the exact set of hint codes the check
gives it. Good pinpoints (something you can see or hear, with when or how often) get no
hints; the others show which rule catches what. Add a row whenever a word list grows.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from leancoach.cycle import pinpoint
from leancoach.cycle.pinpoint import (
    HINT_CODES,
    MAX_WORDS,
    SEVERITIES,
    Hint,
    PinpointResult,
    check,
)

LQ, RQ = "\u201c", "\u201d"

EXAMPLES: list[tuple[str, set[str]]] = [
    # Good pinpoints: an observable act, and when, how often or where.
    ("Asks each team member for one problem at the 8:00 huddle", set()),
    ("Thanks a team member by name for each problem raised in the huddle", set()),
    ("Writes the day's top problem on the board before 8:15 every day", set()),
    ("Greets each operator by name at the start of the shift", set()),
    ("Holds a 15-minute one-to-one with each team leader every Monday", set()),
    ("Gives positive feedback to each operator at the end of every shift", set()),
    ("Asks open questions during the weekly review", set()),
    ("Draws the Pareto chart of defects every Friday", set()),
    ("Sends a written summary of actions within one hour of each review", set()),
    ("Arrives at the huddle before 8:00", set()),
    ("When the huddle starts, asks each person for one problem", set()),
    ("Stops the line when a defect is found", set()),
    ("Listens without interrupting until the person has finished, at each one-to-one", set()),
    ("Reviews the chart and log at each huddle", set()),
    ("Walks the gemba daily with the supervisor", set()),
    ("asks each team member for one problem at the 8:00 huddle", set()),
    ("ASKS EACH TEAM MEMBER FOR ONE PROBLEM AT THE 8:00 HUDDLE", set()),
    # Traits and attitudes.
    ("Be more proactive", {"trait", "no_observable_verb"}),
    ("Be more pr\u00f3active", {"trait", "no_observable_verb"}),
    ("Better attitude", {"trait", "no_observable_verb"}),
    ("Show more ownership", {"trait", "no_observable_verb"}),
    ("Shows a positive attitude", {"trait", "no_observable_verb"}),
    ("Be a better leader", {"trait", "no_observable_verb"}),
    ("Be a team player", {"trait", "no_observable_verb"}),
    ("Is more engaged in meetings", {"trait", "no_observable_verb"}),
    ("Shows respect to the team", {"trait", "no_observable_verb"}),
    ("Is punctual", {"trait", "no_observable_verb"}),
    ("Speaks confidently at the daily review", {"trait"}),
    # Verbs nobody can see on their own.
    ("Communicate better with the team", {"vague_verb", "no_observable_verb"}),
    ("Improve communication", {"vague_verb", "no_observable_verb"}),
    ("Support the team every day", {"vague_verb", "no_observable_verb"}),
    ("Listens to the team", {"vague_verb", "no_observable_verb"}),
    ("Manage time better", {"vague_verb", "no_observable_verb"}),
    ("Make sure the board is updated", {"vague_verb", "no_observable_verb"}),
    ("Be aware of safety issues", {"vague_verb", "no_observable_verb"}),
    ("Understands the standard work", {"vague_verb", "no_observable_verb"}),
    ("Respects the team", {"vague_verb", "no_observable_verb"}),
    ("Tries to ask each person for a problem at the huddle", {"vague_verb"}),
    ("Helps new starters fill in the log each shift", {"vague_verb"}),
    # Nothing observable at all.
    ("Be on time", {"no_observable_verb"}),
    ("42", {"no_observable_verb"}),
    # An act, but no when, how often or where.
    ("Give feedback to the team", {"not_countable"}),
    ("Thanks the person who raised the problem", {"not_countable"}),
    # Phrased as not doing something.
    ("Don't interrupt people in meetings", {"negative_form"}),
    ("Don\u2019t talk over people at the huddle", {"negative_form"}),
    ("Does not interrupt operators during the huddle", {"negative_form"}),
    ("No longer interrupts at the huddle", {"negative_form"}),
    ("Stop being late", {"negative_form", "no_observable_verb"}),
    ("Never late", {"negative_form", "no_observable_verb"}),
    ("Avoid blaming people in the huddle", {"negative_form", "no_observable_verb"}),
    # Several behaviours in one.
    ("Runs the weekly review and posts the chart", {"multiple_behaviours"}),
    ("Run the review and post the chart", {"multiple_behaviours"}),
    (
        "Asks for one problem, writes it on the board, and thanks the person",
        {"multiple_behaviours"},
    ),
    ("Asks each person; writes the answers on the board", {"multiple_behaviours"}),
    ("Posts the chart at 9:00. Reviews it with the team on Friday.", {"multiple_behaviours"}),
    ("Talks less and listens more in meetings", {"multiple_behaviours", "vague_verb"}),
    # Blank.
    ("", {"empty"}),
    ("   \n\t ", {"empty"}),
    ("!!! ??? ...", {"empty"}),
]


def spanned(result: PinpointResult, code: str, text: str) -> list[str]:
    return [text[h.span[0] : h.span[1]] for h in result.hints if h.code == code and h.span]


@pytest.mark.parametrize(("text", "codes"), EXAMPLES, ids=[repr(t) for t, _ in EXAMPLES])
def test_each_example_gets_exactly_its_hint_codes(text: str, codes: set[str]) -> None:
    assert {hint.code for hint in check(text).hints} == codes


@pytest.mark.parametrize(("text", "codes"), EXAMPLES, ids=[repr(t) for t, _ in EXAMPLES])
def test_a_description_is_pinpointed_exactly_when_no_hint_is_a_problem(
    text: str, codes: set[str]
) -> None:
    result = check(text)
    assert result.is_pinpointed == all(SEVERITIES[code] == "suggestion" for code in codes)
    assert result.codes == frozenset(codes)


def test_the_example_table_covers_every_hint_code_but_too_long() -> None:
    covered = set().union(*(codes for _, codes in EXAMPLES))
    assert covered == HINT_CODES - {"too_long"}


# --- spans ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "words"),
    [
        ("Be more proactive", "trait", ["proactive"]),
        ("Better attitude", "trait", ["attitude"]),
        ("Shows a positive attitude", "trait", ["positive attitude"]),
        ("Be a better leader", "trait", ["better leader"]),
        ("Speaks confidently at the daily review", "trait", ["confidently"]),
        ("Be more pr\u00f3active", "trait", ["pr\u00f3active"]),
        ("Be more pro\u0301active", "trait", ["pro\u0301active"]),
        ("Communicate better with the team", "vague_verb", ["Communicate better"]),
        ("Be aware of safety issues", "vague_verb", ["Be aware of"]),
        ("Tries to ask each person for a problem at the huddle", "vague_verb", ["Tries to"]),
        ("Don't interrupt people in meetings", "negative_form", ["Don't"]),
        ("Does not interrupt operators during the huddle", "negative_form", ["Does not"]),
        ("Runs the weekly review and posts the chart", "multiple_behaviours", ["posts"]),
        (
            "Asks for one problem, writes it on the board, and thanks the person",
            "multiple_behaviours",
            ["writes", "thanks"],
        ),
    ],
)
def test_a_span_points_at_the_offending_words(text: str, code: str, words: list[str]) -> None:
    assert spanned(check(text), code, text) == words


def test_a_span_counts_offsets_in_the_original_text_after_emoji_and_accents() -> None:
    text = "\U0001f600 R\u00e9sum\u00e9 first: be more proactive"
    (hint,) = [h for h in check(text).hints if h.code == "trait"]
    assert hint.span == (text.index("proactive"), len(text))


def test_whole_text_hints_have_no_span() -> None:
    for text in ["Be more proactive", "Give feedback to the team", ""]:
        for hint in check(text).hints:
            if hint.code in {"no_observable_verb", "not_countable", "empty", "too_long"}:
                assert hint.span is None


def test_a_spanned_message_starts_with_the_spanned_words_in_typographic_quotes() -> None:
    text = "Don't be more proactive, communicate better and be a team player"
    for hint in check(text).hints:
        if hint.span is not None:
            start, end = hint.span
            assert hint.message.startswith(f"{LQ}{text[start:end]}{RQ}")


# --- messages ------------------------------------------------------------------------------


def test_the_trait_message_asks_what_such_a_person_would_do() -> None:
    (hint,) = [h for h in check("Be more proactive").hints if h.code == "trait"]
    assert hint.message == (
        f"{LQ}proactive{RQ} names a trait, not something you can see. "
        "What would a proactive person do or say, and when?"
    )
    assert hint.severity == "problem"


def test_the_trait_message_uses_an_before_a_vowel() -> None:
    (hint,) = [h for h in check("Be more engaged").hints if h.code == "trait"]
    assert "What would an engaged person do or say, and when?" in hint.message


def test_the_countability_message_gives_an_example() -> None:
    (hint,) = check("Give feedback to the team").hints
    assert hint.message == (
        f"Say when or how often, so it can be counted: e.g. {LQ}at each morning huddle{RQ}."
    )
    assert hint.severity == "suggestion"


def test_a_negative_form_asks_for_the_positive_alternative() -> None:
    (hint,) = check("Don't interrupt people in meetings").hints
    assert "positive alternative" in hint.message
    assert hint.severity == "suggestion"


def test_a_bundle_of_behaviours_is_told_to_pinpoint_one_at_a_time() -> None:
    (hint,) = check("Runs the weekly review and posts the chart").hints
    assert "one behaviour at a time" in hint.message


def test_listening_gets_its_own_advice() -> None:
    hints = check("Listens to the team").hints
    (hint,) = [h for h in hints if h.code == "vague_verb"]
    assert "without interrupting" in hint.message


def test_every_hint_has_a_known_code_and_its_severity() -> None:
    for text, _ in EXAMPLES:
        for hint in check(text).hints:
            assert hint.code in HINT_CODES
            assert hint.severity == SEVERITIES[hint.code]
            assert hint.message


# --- empty, long, odd ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", " ", "\n\n", "\t \r\n", "\u00a0\u2003"])
def test_blank_text_gives_one_empty_problem(text: str) -> None:
    result = check(text)
    assert result.hints == (
        Hint(
            "empty",
            "problem",
            "Describe the behaviour: what the person does or says, and when.",
            None,
        ),
    )
    assert not result.is_pinpointed


def test_a_long_description_is_told_to_be_shorter() -> None:
    text = (
        "At the start of every morning huddle at eight o'clock the team leader, standing at "
        "the board beside the line, asks each team member in turn for one problem from "
        "the previous shift that got in their way"
    )
    result = check(text)
    assert len(text.split()) > MAX_WORDS
    assert result.codes == {"too_long"}
    assert result.is_pinpointed


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f600\U0001f600\U0001f600",
        "\U0001f44d asks each person \U0001f389 at the huddle",
        "?!.,;:-'\"()[]{}",
        "'''---",
        "a" * 100_000,
        "Asks and thanks, " * 5_000,
        "listen " * 5_000,
        "Don't " * 5_000,
        "8:" * 10_000,
        "\u0301" * 1_000,
        "\x00\x01\x7f",
        "\ud800 lone surrogate",
        "\u202eAsks each person at the huddle",
        "zero\u200dwidth\u200bjoiners",
        "\ufb01lls the log each shift",
        "\u0130stanbul STRASSE stra\u00dfe",
        "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
        "\u0645\u0631\u062d\u0628\u0627",
    ],
)
def test_odd_input_never_raises_and_gives_well_formed_hints(text: str) -> None:
    result = check(text)
    assert isinstance(result, PinpointResult)
    for hint in result.hints:
        assert hint.code in HINT_CODES
        if hint.span is not None:
            start, end = hint.span
            assert 0 <= start < end <= len(text)


def test_only_punctuation_or_emoji_counts_as_empty() -> None:
    assert check("?!...").codes == {"empty"}
    assert check("\U0001f600 \U0001f389").codes == {"empty"}


# --- determinism and order -----------------------------------------------------------------


def test_the_same_text_always_gives_the_same_result() -> None:
    text = "Don't be more proactive; communicate better, and run the review and post the chart"
    first = check(text)
    assert all(check(text) == first for _ in range(5))
    assert hash(first) == hash(check(text))


def test_the_result_is_the_same_in_a_fresh_interpreter() -> None:
    """No dependence on hash seeds or set iteration order."""
    text = "Don't be more proactive; communicate better, and run the review and post the chart"
    program = (
        "import sys; from leancoach.cycle.pinpoint import check; print(repr(check(sys.argv[1])))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", program, text],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PYTHONPATH": ":".join(sys.path)},
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert outputs == {repr(check(text)) + "\n"}


def test_hints_come_whole_text_first_then_by_position_then_code() -> None:
    text = "Speaks confidently, never proactive, and talks more"
    hints = check(text).hints
    keys = [(h.span or (-1, -1), h.code) for h in hints]
    assert keys == sorted(keys)
    assert hints[0].span is None


def test_the_result_and_its_hints_are_immutable() -> None:
    result = check("Be more proactive")
    with pytest.raises(AttributeError):
        result.hints = ()  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.hints[0].code = "other"  # type: ignore[misc]


# --- the module itself ---------------------------------------------------------------------


def test_a_verb_is_on_at_most_one_list() -> None:
    assert not pinpoint.OBSERVABLE_VERBS & pinpoint.VAGUE_VERBS


def test_the_word_lists_are_frozensets_of_normalised_words() -> None:
    lists = [
        value
        for name, value in vars(pinpoint).items()
        if name.isupper() and isinstance(value, frozenset) and name != "HINT_CODES"
    ]
    assert len(lists) > 10
    for words in lists:
        for word in words:
            assert word == pinpoint._normalise(word), word


def test_the_check_needs_only_the_standard_library() -> None:
    program = (
        "import sys; import leancoach.cycle.pinpoint; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    output = subprocess.run(
        [sys.executable, "-c", program],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": ":".join(sys.path)},
    ).stdout
    assert output.strip() == "[]"
