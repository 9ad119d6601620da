"""Properties every pinpoint result must have, whatever the text (hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from leancoach.cycle import pinpoint
from leancoach.cycle.pinpoint import HINT_CODES, SEVERITIES, PinpointResult, check

LQ, RQ = "\u201c", "\u201d"

# Words the rules react to, plus fillers, so generated sentences reach every rule;
# random text alone rarely spells "proactive".
VOCABULARY = sorted(
    {
        *pinpoint.OBSERVABLE_VERBS,
        *(verb + "s" for verb in sorted(pinpoint.OBSERVABLE_VERBS)[::7]),
        *pinpoint.VAGUE_VERBS,
        *pinpoint.TRAIT_ADJECTIVES,
        *pinpoint.TRAIT_NOUNS,
        *pinpoint.COUNT_WORDS,
        *pinpoint.OCCASION_NOUNS,
        *pinpoint.JOINER_WORDS,
        *pinpoint.SUBORDINATORS,
        *pinpoint.DETERMINERS,
        *pinpoint.EVALUATIVE_ADJECTIVES,
        *pinpoint.ROLE_NOUNS,
        "don't",
        "not",
        "no",
        "longer",
        "do",
        "does",
        "be",
        "is",
        "being",
        "person",
        "team",
        "member",
        "problem",
        "8:00",
        "one-to-one",
        "asking",
        "wrote",
        "said",
        "without",
        "interrupting",
        "sure",
        "aware",
        "player",
        "proactively",
    }
)
SEPARATORS = [" ", " ", " ", ", ", "; ", ". ", " and ", " then ", "\n", " & "]

sentences = st.lists(
    st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(SEPARATORS)), max_size=40
).map(lambda pairs: "".join(word + separator for word, separator in pairs).strip())
any_text = st.text(max_size=500)
texts = st.one_of(any_text, sentences)

ACCENTED = str.maketrans(
    "aeiouAEIOU", "\u00e1\u00e9\u00ed\u00f3\u00fa\u00c1\u00c9\u00cd\u00d3\u00da"
)


def pattern(result: PinpointResult) -> list[tuple[str, tuple[int, int] | None]]:
    """The hints without their wording, which quotes the text as written."""
    return [(hint.code, hint.span) for hint in result.hints]


@given(texts)
def test_check_never_raises_and_every_hint_is_well_formed(text: str) -> None:
    result = check(text)

    assert isinstance(result.hints, tuple)
    for hint in result.hints:
        assert hint.code in HINT_CODES
        assert hint.severity == SEVERITIES[hint.code]
        assert hint.message.strip() == hint.message != ""
    assert result.is_pinpointed == all(h.severity == "suggestion" for h in result.hints)


@given(texts)
def test_spans_lie_within_the_text_and_are_quoted_at_the_start_of_their_message(
    text: str,
) -> None:
    for hint in check(text).hints:
        if hint.span is None:
            continue
        start, end = hint.span
        assert 0 <= start < end <= len(text)
        words = text[start:end]
        assert words.strip() == words
        assert hint.message.startswith(f"{LQ}{words}{RQ}")


@given(texts)
def test_hints_are_unique_and_ordered_whole_text_first_then_by_position_then_code(
    text: str,
) -> None:
    hints = check(text).hints
    keys = [(*(h.span or (-1, -1)), h.code) for h in hints]
    assert keys == sorted(keys)
    assert len(set(pattern(check(text)))) == len(hints)


@given(texts)
def test_the_same_text_gives_the_same_result(text: str) -> None:
    assert check(text) == check(text)


@given(any_text)
def test_empty_is_given_exactly_when_there_is_no_word_and_then_alone(text: str) -> None:
    codes = [hint.code for hint in check(text).hints]
    has_word = any(char.isalnum() or char == "_" for char in text)
    if has_word:
        assert "empty" not in codes
    if "empty" in codes:
        assert codes == ["empty"]
    if not text.strip():
        assert codes == ["empty"]


@given(sentences)
def test_case_does_not_change_the_hints(text: str) -> None:
    assert pattern(check(text.upper())) == pattern(check(text.lower())) == pattern(check(text))


@given(sentences)
def test_accents_do_not_change_the_hints(text: str) -> None:
    assert pattern(check(text.translate(ACCENTED))) == pattern(check(text))


@given(sentences, st.sampled_from(["", " ", "\n", "  \t"]))
def test_surrounding_whitespace_only_shifts_the_spans(text: str, padding: str) -> None:
    shifted = [
        (code, None if span is None else (span[0] + len(padding), span[1] + len(padding)))
        for code, span in pattern(check(text))
    ]
    assert pattern(check(padding + text + padding)) == shifted
