"""A pinpoint check: advisory hints on a written behaviour description.

Why this exists
---------------
Step 2 of the coaching cycle (docs: METHOD.md, "Pinpoint behaviour") asks the coach to
describe behaviour that can be observed and counted -- what a person does or says, and
when -- rather than traits or attitudes. "Asks each team member for one problem at the
8:00 huddle" can be seen, counted, practised and reinforced; "be more proactive" cannot.
This module reads a behaviour description and says, inline, where it drifts away from
that: which word names a trait, which verb cannot be seen, whether "when" is missing,
whether it is phrased as not doing something, whether several behaviours are bundled.

What it can and cannot know
---------------------------
It is a handful of word lists and a few rules about word order, nothing more: no
dictionary, no grammar parser, no machine learning, no network. It is deterministic (the
same text always gives the same hints, in the same order) and cheap enough to run on
every keystroke. It therefore *cannot* understand meaning. It will miss traits and vague
verbs that are not on its lists, it can mistake a noun for a verb or the other way round
("review" in "runs the weekly review" versus "reviews the chart" is told apart only by
the word before it), and it knows only English. A description with no hints is not
proof of a good pinpoint, and a hint is not proof of a bad one.

So the result is **advisory only**: it never blocks saving. ``is_pinpointed`` is a
convenience for the interface (for example to show a tick), not a validation rule. The
coach and the client decide what the behaviour is.

The hints
---------
Each :class:`Hint` has a ``code``, a ``severity`` ("problem" or "suggestion"), a message
in plain English addressed to the coach, and a ``span``: the character offsets, in the
original text, of the word(s) it is about (``None`` for a hint about the whole text), so
the interface can underline them. A hint with a span always begins its message with the
spanned text in typographic quotes.

``empty`` (problem)
    Nothing to check: the text is blank or has no words at all (only punctuation or
    emoji). It is then the only hint.
``trait`` (problem)
    A word that names a trait, attitude or state of mind ("proactive", "attitude",
    "ownership", "better leader", "confidently") rather than an act.
``vague_verb`` (suggestion)
    A verb that cannot be seen or counted on its own ("communicate better", "improve",
    "understand", "think about", "try to", "support", "make sure"). "Manage" is vague
    when it is unqualified: alone, followed by "better"/"well", or with a generic object
    such as "time", "people" or "the team". "Listen" is vague unless the same sentence
    says how the listening shows -- "without interrupting", "repeats back",
    "summarises", "notes" -- because listening itself happens in the listener's head;
    with such a marker the listening has become something an observer can count.
``no_observable_verb`` (problem)
    No observable act anywhere: nothing on the list of verbs someone could see or hear
    ("ask", "write", "thank", "post", "run", ...). A verb whose object is a trait
    ("shows ownership", "takes initiative") does not count as observable.
``not_countable`` (suggestion)
    There is an act, but nothing says when, how often or where (no "each", "every",
    "daily", "when", "after", "per", number, weekday, or occasion such as "huddle",
    "meeting", "review", "shift", "board"). Only checked once there is an observable
    act: a trait with a time attached is still a trait.
``negative_form`` (suggestion)
    Phrased as not doing something ("don't", "do not", "never", "avoid", "stop being",
    "no longer"). The method emphasises the positive alternative, which can be seen and
    reinforced when it happens; an absence cannot.
``multiple_behaviours`` (suggestion)
    Several behaviours joined by "and", "then", commas, semicolons or separate
    sentences ("Runs the weekly review and posts the chart"). The method practises
    component behaviours one at a time, then chains them. Two verbs count as two
    behaviours when the second is in the same form as the first ("runs ... and posts");
    "reviews the chart and log" is one behaviour with two objects.
``too_long`` (suggestion)
    More than :data:`MAX_WORDS` words: a pinpointed behaviour fits one short sentence.

Hints are ordered by position (whole-text hints first), then by code.

Matching is case-insensitive and accent-tolerant: each word is compared after Unicode
compatibility decomposition, with accents removed and case folded, and typographic
apostrophes and hyphens are read as plain ones. Offsets always refer to the original,
unmodified text. English inflections are handled by a small stemmer (-s, -es, -ies, -ed,
-ied, -ing, doubled consonants) and a table of common irregular forms (said, told, wrote,
ran, held, met, gave, ...).

The word lists are module-level frozensets, deliberately small and easy to extend: add a
word when a real description slips through, and a row to the example table in
``tests/test_pinpoint_examples.py`` to show why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Literal

__all__ = [
    "EMPTY",
    "HINT_CODES",
    "MAX_WORDS",
    "MULTIPLE_BEHAVIOURS",
    "NEGATIVE_FORM",
    "NOT_COUNTABLE",
    "NO_OBSERVABLE_VERB",
    "SEVERITIES",
    "TOO_LONG",
    "TRAIT",
    "VAGUE_VERB",
    "Hint",
    "PinpointResult",
    "Severity",
    "check",
]

Severity = Literal["problem", "suggestion"]

EMPTY = "empty"
TRAIT = "trait"
VAGUE_VERB = "vague_verb"
NO_OBSERVABLE_VERB = "no_observable_verb"
NOT_COUNTABLE = "not_countable"
NEGATIVE_FORM = "negative_form"
MULTIPLE_BEHAVIOURS = "multiple_behaviours"
TOO_LONG = "too_long"

SEVERITIES: dict[str, Severity] = {
    EMPTY: "problem",
    TRAIT: "problem",
    NO_OBSERVABLE_VERB: "problem",
    VAGUE_VERB: "suggestion",
    NOT_COUNTABLE: "suggestion",
    NEGATIVE_FORM: "suggestion",
    MULTIPLE_BEHAVIOURS: "suggestion",
    TOO_LONG: "suggestion",
}
HINT_CODES = frozenset(SEVERITIES)

MAX_WORDS = 30
"""Longer than this many words and the description gets a ``too_long`` suggestion."""

# Typographic quotes for the messages, escaped so the source stays plain ASCII.
LEFT_QUOTE = "\u201c"
RIGHT_QUOTE = "\u201d"


@dataclass(frozen=True)
class Hint:
    """One piece of advice about a behaviour description."""

    code: str
    severity: Severity
    message: str
    span: tuple[int, int] | None = None


@dataclass(frozen=True)
class PinpointResult:
    """The hints for one description, ordered by position then code."""

    hints: tuple[Hint, ...] = ()

    @property
    def is_pinpointed(self) -> bool:
        """True when no hint is a problem (suggestions may remain). Advisory only."""
        return not any(hint.severity == "problem" for hint in self.hints)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(hint.code for hint in self.hints)


# ---------------------------------------------------------------------------------------
# Word lists. Deliberately small and extendable: each is a frozenset of normalised words
# (lower case, no accents, plain apostrophes and hyphens). Verbs are listed by their base
# form; inflections are handled by _verb_forms. Keep OBSERVABLE_VERBS and VAGUE_VERBS
# disjoint (a test checks it).
# ---------------------------------------------------------------------------------------

# Acts someone else could see or hear, and count.
OBSERVABLE_VERBS = frozenset(
    {
        "acknowledge", "add", "agree", "answer", "arrive", "ask", "assign", "attend",
        "audit", "book", "calculate", "call", "celebrate", "chart", "check", "circle",
        "clean", "close", "coach", "collect", "come", "compare", "complete", "confirm",
        "copy", "count", "cross", "decide", "delegate", "demonstrate", "describe",
        "discuss", "document", "draw", "email", "enter", "escalate", "explain", "file",
        "fill", "finish", "follow", "forward", "gather", "give", "go", "greet", "hand",
        "highlight", "hold", "inspect", "interrupt", "introduce", "invite", "label",
        "lead", "leave", "list", "log", "look", "mark", "measure", "meet", "message",
        "name", "nod", "note", "observe", "open", "paraphrase", "pause", "phone",
        "photograph", "pin", "place", "plan", "plot", "point", "post", "practice",
        "practise", "praise", "prepare", "present", "print", "propose", "put", "question",
        "raise", "read", "recognise", "recognize", "record", "rehearse", "remind",
        "repeat", "reply", "report", "request", "respond", "review", "run", "say",
        "schedule", "send", "share", "show", "sign", "sit", "smile", "speak", "stand",
        "start", "stick", "stop", "submit", "suggest", "summarise", "summarize", "take",
        "talk", "teach", "tell", "text", "thank", "tick", "time", "train", "type",
        "underline", "update", "use", "verify", "visit", "walk", "watch", "welcome",
        "write",
    }
)  # fmt: skip

# Verbs that describe an intention, a state of mind or an outcome, not an act.
VAGUE_VERBS = frozenset(
    {
        "accept", "adapt", "address", "aim", "align", "appreciate", "become", "believe",
        "care", "challenge", "collaborate", "communicate", "connect", "consider",
        "contribute", "cooperate", "coordinate", "deal", "develop", "drive", "embrace",
        "empathise", "empathize", "empower", "enable", "encourage", "engage", "ensure",
        "facilitate", "feel", "focus", "foster", "grow", "handle", "help", "improve",
        "inspire", "know", "learn", "listen", "manage", "motivate", "own", "prioritise",
        "prioritize", "promote", "realise", "realize", "reflect", "remember", "resolve",
        "respect", "seek", "solve", "strive", "support", "think", "trust", "try",
        "understand", "value", "want", "work",
    }
)  # fmt: skip

# Vague multi-word verbs, matched on the first word's base form then the exact words.
VAGUE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("be", "aware"),
    ("do", "better"),
    ("get", "better"),
    ("keep", "in", "mind"),
    ("lead", "by", "example"),
    ("make", "sure"),
    ("pay", "attention"),
    ("step", "up"),
    ("take", "care"),
)

# The particle that belongs to a vague verb or phrase and is underlined with it.
VAGUE_PARTICLES: dict[str, frozenset[str]] = {
    "aim": frozenset({"for", "to"}),
    "attention": frozenset({"to"}),
    "aware": frozenset({"of"}),
    "care": frozenset({"about", "for"}),
    "deal": frozenset({"with"}),
    "engage": frozenset({"with"}),
    "focus": frozenset({"on"}),
    "learn": frozenset({"about", "from"}),
    "seek": frozenset({"to"}),
    "strive": frozenset({"for", "to"}),
    "think": frozenset({"about", "of", "through"}),
    "try": frozenset({"to"}),
    "want": frozenset({"to"}),
    "work": frozenset({"on"}),
}

# Words that make a vague verb vaguer and are underlined with it ("communicate better").
VAGUE_INTENSIFIERS = frozenset(
    {"appropriately", "better", "clearly", "effectively", "more", "openly", "properly", "well"}
)

# What "manage" is vague with: nothing, or one of these ("manage time", "manage people").
GENERIC_MANAGE_OBJECTS = frozenset(
    {
        "conflict", "conflicts", "emotions", "expectations", "himself", "herself",
        "myself", "people", "performance", "priorities", "relationships", "staff",
        "stress", "team", "themselves", "things", "time", "workload", "yourself",
    }
)  # fmt: skip

# With one of these later in the same sentence, "listen" has become observable.
LISTENING_MADE_VISIBLE = frozenset(
    {"interrupt", "interruption", "note", "paraphrase", "repeat", "summarise", "summarize"}
)

# Adjectives that name a trait, attitude or state of mind ("be more proactive").
TRAIT_ADJECTIVES = frozenset(
    {
        "accountable", "aggressive", "approachable", "arrogant", "assertive", "attentive",
        "aware", "calm", "can-do", "careful", "careless", "closed-minded", "committed",
        "confident", "considerate", "cooperative", "curious", "decisive", "dedicated",
        "defensive", "dependable", "diligent", "disengaged", "disorganised",
        "disorganized", "disrespectful", "driven", "empathetic", "empathic",
        "energetic", "engaged", "enthusiastic", "focused", "focussed", "friendly",
        "hands-on", "hard-working", "hardworking", "helpful", "honest", "humble",
        "immature", "impatient", "inclusive", "indecisive", "innovative",
        "irresponsible", "kind", "lazy", "mature", "mindful", "motivated", "negative",
        "nice", "open-minded", "organised", "organized", "passionate", "patient",
        "polite", "positive", "proactive", "professional", "punctual", "reactive",
        "receptive", "reliable", "resilient", "respectful", "responsible", "rude",
        "self-aware", "self-confident", "sloppy", "supportive", "thoughtful",
        "transparent", "trustworthy", "unmotivated", "unprofessional", "unreliable",
    }
)  # fmt: skip

# Nouns that name a trait, attitude or state of mind ("a better attitude").
TRAIT_NOUNS = frozenset(
    {
        "accountability", "arrogance", "attitude", "awareness", "buy-in", "character",
        "charisma", "commitment", "confidence", "curiosity", "dedication", "discipline",
        "drive", "empathy", "energy", "engagement", "enthusiasm", "honesty", "humility",
        "initiative", "integrity", "laziness", "leadership", "loyalty", "maturity",
        "mindset", "morale", "motivation", "negativity", "openness", "ownership",
        "passion", "patience", "personality", "positivity", "proactivity",
        "professionalism", "reliability", "resilience", "respect", "responsibility",
        "self-awareness", "trust",
    }
)  # fmt: skip

# Trait nouns that are also verbs: a trait only where a noun stands ("shows respect"),
# otherwise a verb ("respects the standard").
DUAL_TRAIT_NOUNS = frozenset({"drive", "respect", "trust"})

# Words for a kind of person, read as a trait ("a self-starter").
TRAIT_ROLE_WORDS = frozenset({"go-getter", "perfectionist", "self-starter"})
TRAIT_ROLE_PHRASES: tuple[tuple[str, ...], ...] = (
    ("go", "getter"),
    ("people", "person"),
    ("role", "model"),
    ("self", "starter"),
    ("team", "player"),
)
TRAIT_NOUN_PHRASES: tuple[tuple[str, ...], ...] = (
    ("sense", "of", "urgency"),
    ("team", "spirit"),
    ("work", "ethic"),
)

# "A better leader": an evaluation of a role is a trait.
EVALUATIVE_ADJECTIVES = frozenset(
    {"best", "better", "effective", "excellent", "good", "great", "natural", "strong", "stronger"}
)
ROLE_NOUNS = frozenset(
    {
        "boss", "coach", "colleague", "communicator", "leader", "listener", "manager",
        "mentor", "person", "supervisor", "teammate",
    }
)  # fmt: skip

# After "positive"/"negative", these make the adjective concrete ("positive feedback").
CONCRETE_AFTER_EVALUATION = frozenset(
    {
        "comment", "comments", "deviation", "deviations", "example", "examples",
        "feedback", "note", "notes", "number", "numbers", "reinforcement",
        "reinforcements", "remark", "remarks", "result", "results", "sign", "signal",
        "signals", "signs", "trend", "trends", "value", "values", "word", "words",
    }
)  # fmt: skip

# Words that say when, how often or in what unit; numbers and weekdays also count.
COUNT_WORDS = frozenset(
    {
        "after", "afternoon", "afternoons", "am", "annually", "before", "daily", "day",
        "days", "during", "each", "evening", "evenings", "every", "fortnightly", "hour",
        "hourly", "hours", "if", "midday", "midnight", "minute", "minutes", "month",
        "monthly", "months", "morning", "mornings", "noon", "once", "per", "pm",
        "quarterly", "thrice", "times", "today", "tomorrow", "tonight", "twice", "until",
        "week", "weekday", "weekdays", "weekend", "weekends", "weekly", "weeks", "when",
        "whenever", "within", "yearly",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays",
        "sundays",
    }
)  # fmt: skip

NUMBER_WORDS = frozenset(
    {
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "fifteen", "twenty", "thirty", "hundred", "dozen",
        "half", "first", "second", "third",
    }
)  # fmt: skip

# Occasions and places that say when or where (singular; plurals are matched too).
OCCASION_NOUNS = frozenset(
    {
        "audit", "board", "briefing", "call", "catch-up", "changeover", "check-in",
        "debrief", "floor", "gemba", "handover", "hand-over", "huddle", "inspection",
        "kick-off", "kickoff", "meeting", "one-on-one", "one-to-one", "retro",
        "retrospective", "review", "round", "session", "shift", "stand-up", "standup",
        "visit", "walk", "whiteboard", "workshop",
    }
)  # fmt: skip

# Markers of a negative form; "not", "no", "stop", "avoid" are handled by rules below.
NEGATIVE_WORDS = frozenset({"cannot", "dont", "doesnt", "didnt", "never", "wont"})
NEGATIVE_VERBS = frozenset({"avoid", "refrain"})
STOPPING_VERBS = frozenset({"cease", "quit", "stop"})
# Words ending in -ing that are not gerunds ("stops the morning huddle" is positive).
ING_NOUNS = frozenset(
    {
        "anything", "briefing", "briefings", "building", "ceiling", "evening", "evenings",
        "everything", "meeting", "meetings", "morning", "mornings", "nothing", "something",
        "spring", "string", "thing", "things", "training",
    }
)  # fmt: skip

DO_FORMS = frozenset({"do", "does", "did"})
BE_FORMS = frozenset({"am", "are", "be", "been", "being", "is", "was", "were"})

# A word after one of these stands where a noun stands, so it is not read as a verb.
DETERMINERS = frozenset(
    {
        "a", "all", "an", "another", "any", "both", "each", "every", "few", "fewer", "her",
        "his", "its", "less", "many", "more", "my", "no", "other", "our", "several", "some",
        "that", "the", "their", "these", "this", "those", "what", "which", "whose", "your",
    }
)  # fmt: skip
PREPOSITIONS = frozenset(
    {
        "about", "across", "after", "among", "around", "at", "before", "between", "by",
        "during", "for", "from", "in", "into", "like", "of", "on", "onto", "over", "per",
        "than", "through", "toward", "towards", "under", "until", "via", "with", "within",
        "without",
    }
)  # fmt: skip
NOUN_MODIFIERS = frozenset(
    {
        "action", "best", "better", "brief", "daily", "evening", "first", "formal",
        "gemba", "good", "great", "hourly", "kata", "last", "long", "monthly", "morning",
        "new", "next", "problem", "quality", "quick", "safety", "short", "standard",
        "team", "top", "visual", "weekly", "written",
    }
)  # fmt: skip
NOUN_SIGNALS = DETERMINERS | PREPOSITIONS | NOUN_MODIFIERS

# Verbs that take another verb straight after them ("helps fill in", "let them try").
CATENATIVE_VERBS = frozenset({"come", "go", "help", "let", "make", "start", "try"})

# Skipped when looking for the object of a verb ("shows a real sense of ownership").
OBJECT_FILLERS = DETERMINERS | frozenset(
    {"bit", "genuine", "good", "great", "greater", "lot", "lots", "much", "of", "real", "strong"}
)

JOINER_WORDS = frozenset({"and", "plus", "then"})
SKIPPED_AFTER_JOINER = frozenset(
    {"afterwards", "again", "also", "always", "finally", "immediately", "later", "quickly", "then"}
)
# Words that open a clause about someone or something else ("who raises a problem").
SUBORDINATORS = frozenset(
    {"because", "if", "since", "unless", "when", "whenever", "which", "while", "who", "whom"}
)

IRREGULAR_VERBS: dict[str, tuple[str, str]] = {
    "am": ("be", "base"),
    "are": ("be", "base"),
    "is": ("be", "s"),
    "was": ("be", "ed"),
    "were": ("be", "ed"),
    "been": ("be", "ed"),
    "being": ("be", "ing"),
    "began": ("begin", "ed"),
    "begun": ("begin", "ed"),
    "brought": ("bring", "ed"),
    "came": ("come", "ed"),
    "chose": ("choose", "ed"),
    "chosen": ("choose", "ed"),
    "dealt": ("deal", "ed"),
    "did": ("do", "ed"),
    "done": ("do", "ed"),
    "drew": ("draw", "ed"),
    "drawn": ("draw", "ed"),
    "drove": ("drive", "ed"),
    "driven": ("drive", "ed"),
    "felt": ("feel", "ed"),
    "gave": ("give", "ed"),
    "given": ("give", "ed"),
    "gone": ("go", "ed"),
    "had": ("have", "ed"),
    "has": ("have", "s"),
    "held": ("hold", "ed"),
    "kept": ("keep", "ed"),
    "knew": ("know", "ed"),
    "known": ("know", "ed"),
    "led": ("lead", "ed"),
    "left": ("leave", "ed"),
    "made": ("make", "ed"),
    "met": ("meet", "ed"),
    "paid": ("pay", "ed"),
    "put": ("put", "ed"),
    "ran": ("run", "ed"),
    "rang": ("ring", "ed"),
    "read": ("read", "ed"),
    "said": ("say", "ed"),
    "sat": ("sit", "ed"),
    "saw": ("see", "ed"),
    "seen": ("see", "ed"),
    "sent": ("send", "ed"),
    "shown": ("show", "ed"),
    "sought": ("seek", "ed"),
    "spoke": ("speak", "ed"),
    "spoken": ("speak", "ed"),
    "stood": ("stand", "ed"),
    "stuck": ("stick", "ed"),
    "taken": ("take", "ed"),
    "taught": ("teach", "ed"),
    "thought": ("think", "ed"),
    "told": ("tell", "ed"),
    "took": ("take", "ed"),
    "understood": ("understand", "ed"),
    "went": ("go", "ed"),
    "wrote": ("write", "ed"),
    "written": ("write", "ed"),
}

# ---------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------

EMPTY_MESSAGE = "Describe the behaviour: what the person does or says, and when."
NO_OBSERVABLE_VERB_MESSAGE = (
    "There is no act here that someone could see or hear. Say what the person does or "
    f"says, e.g. {LEFT_QUOTE}asks{RIGHT_QUOTE}, {LEFT_QUOTE}writes{RIGHT_QUOTE}, "
    f"{LEFT_QUOTE}thanks{RIGHT_QUOTE}."
)
NOT_COUNTABLE_MESSAGE = (
    "Say when or how often, so it can be counted: "
    f"e.g. {LEFT_QUOTE}at each morning huddle{RIGHT_QUOTE}."
)


def _quoted(words: str) -> str:
    return f"{LEFT_QUOTE}{words}{RIGHT_QUOTE}"


def _article(word: str) -> str:
    if word.startswith(("hon", "hour")):
        return "an"
    if word.startswith(("uni", "use", "usu", "eu", "one")):
        return "a"
    return "an" if word[:1] in "aeiou" else "a"


def _trait_adjective_message(words: str) -> str:
    adjective = words.lower()
    return (
        f"{_quoted(words)} names a trait, not something you can see. What would "
        f"{_article(adjective)} {adjective} person do or say, and when?"
    )


def _trait_role_message(words: str) -> str:
    role = words.lower()
    return (
        f"{_quoted(words)} names a trait, not something you can see. What would "
        f"{_article(role)} {role} do or say, and when?"
    )


def _trait_noun_message(words: str) -> str:
    return (
        f"{_quoted(words)} names a trait or state of mind, not something you can see. "
        "What does the person do or say, and when, that shows it?"
    )


def _trait_adverb_message(words: str) -> str:
    return (
        f"{_quoted(words)} names a trait, not something you can see. What exactly would "
        "you see the person do, or hear them say?"
    )


def _vague_verb_message(words: str, lemma: str) -> str:
    if lemma == "listen":
        return (
            f"{_quoted(words)} happens in the listener's head. Say what shows it, e.g. "
            f"{_quoted('listens without interrupting until the person has finished')}."
        )
    if lemma in {"try", "aim", "strive", "seek", "want"}:
        return (
            f"{_quoted(words)} describes an intention. Describe the attempt itself: "
            "what does the person do or say?"
        )
    return (
        f"{_quoted(words)} can't be seen or counted on its own. Name the act instead: "
        "what exactly does the person do or say?"
    )


def _negative_message(words: str) -> str:
    return (
        f"{_quoted(words)} says what not to do, and an absence is hard to see or "
        "reinforce. Name the positive alternative: what will the person do instead?"
    )


def _multiple_message(words: str) -> str:
    return (
        f"{_quoted(words)} starts another behaviour. Pinpoint one behaviour at a time: "
        "practise each component behaviour on its own, then chain them."
    )


def _too_long_message(count: int) -> str:
    return (
        f"At {count} words this is long for one behaviour. A pinpointed behaviour "
        f"usually fits one short sentence (up to {MAX_WORDS} words)."
    )


# ---------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------

# Letters, digits and combining marks (so "pro\u0301active", decomposed, stays one word).
_WORD = r"[\w\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
# Inside a word: apostrophes and hyphens ("don't", "one-to-one"), and ":" or "." between
# digits ("8:00", "8.15").
_INNER = r"(?:['\u2019\u02bc\u2018\-\u2010\u2011]|(?<=\d)[.:](?=\d))"
_TOKEN_RE = re.compile(rf"{_WORD}(?:{_INNER}{_WORD})*")
_FOLD = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2018": "'", "\u2010": "-"})
_SENTENCE_BREAKS = frozenset(".;!?\n\r\u2028\u2029")
_CLAUSE_BREAKS = frozenset(",:()[]{}\u2013\u2014")
_JOINING_SYMBOLS = frozenset("&+,")


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    norm: str
    gap: str  # the text between the previous token (or the start) and this one


def _normalise(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return bare.casefold().translate(_FOLD)


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    previous_end = 0
    for match in _TOKEN_RE.finditer(text):
        start, end = match.span()
        tokens.append(_Token(start, end, _normalise(match.group()), text[previous_end:start]))
        previous_end = end
    return tokens


@lru_cache(maxsize=4096)
def _verb_forms(word: str) -> tuple[tuple[str, str], ...]:
    """Possible (base form, inflection) readings of a word; over-generation is harmless."""
    readings = [(word, "base")]
    if word in IRREGULAR_VERBS:
        readings.append(IRREGULAR_VERBS[word])
    if len(word) > 3:
        if word.endswith("ies"):
            readings.append((word[:-3] + "y", "s"))
        if word.endswith("es"):
            readings.append((word[:-2], "s"))
        if word.endswith("s") and not word.endswith("ss"):
            readings.append((word[:-1], "s"))
        if word.endswith("ied"):
            readings.append((word[:-3] + "y", "ed"))
        if word.endswith("ed"):
            stem = word[:-2]
            readings += [(stem, "ed"), (word[:-1], "ed")]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                readings.append((stem[:-1], "ed"))
        if word.endswith("ing"):
            stem = word[:-3]
            readings += [(stem, "ing"), (stem + "e", "ing")]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                readings.append((stem[:-1], "ing"))
    return tuple(readings)


def _lemmas(word: str) -> frozenset[str]:
    return frozenset(lemma for lemma, _ in _verb_forms(word))


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _is_number(word: str) -> bool:
    return word in NUMBER_WORDS or any(char.isdigit() for char in word)


def _adverb_base(word: str) -> str | None:
    """The adjective behind an -ly adverb ("proactively" -> "proactive"), if any."""
    if not word.endswith("ly") or len(word) < 5:
        return None
    if word.endswith("ily"):
        return word[:-3] + "y"
    if word.endswith(("ably", "ibly")):
        return word[:-1] + "e"
    return word[:-2]


_Message = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class _Verb:
    kind: Literal["observable", "vague", "hollow"]
    lemma: str
    forms: frozenset[str]


# ---------------------------------------------------------------------------------------
# The check
# ---------------------------------------------------------------------------------------


class _Checker:
    """One pass over one text: negatives, then traits and verbs left to right, then
    the checks on the whole text. Linear in the number of words."""

    def __init__(self, text: str, tokens: list[_Token]) -> None:
        self.text = text
        self.tokens = tokens
        count = len(tokens)
        self.hints: dict[tuple[str, tuple[int, int] | None], Hint] = {}
        # Words already explained by a hint (or a phrase) and not to be read again.
        self.consumed = [False] * count
        self.negative = [False] * count
        # What each word was read as, if it is a verb that describes the behaviour.
        self.verbs: list[_Verb | None] = [None] * count
        # Sentence number of each word, and whether it is in a clause such as "who ...".
        self.segment = [0] * count
        self.subordinate = [False] * count
        # The last position in each sentence of a word that makes listening visible.
        self.visible_listening: dict[int, int] = {}
        self._mark_structure()

    # -- structure ------------------------------------------------------------------

    def _tight(self, index: int) -> bool:
        """Whether the token follows the previous one with only spaces between them."""
        return index > 0 and self.tokens[index].gap.strip() == ""

    def _mark_structure(self) -> None:
        segment = 0
        in_subordinate = False
        for index, token in enumerate(self.tokens):
            gap = set(token.gap)
            if index > 0 and gap & _SENTENCE_BREAKS:
                segment += 1
                in_subordinate = False
            if gap & (_CLAUSE_BREAKS | _JOINING_SYMBOLS) or token.norm in JOINER_WORDS:
                in_subordinate = False
            if token.norm in SUBORDINATORS:
                in_subordinate = True
            self.segment[index] = segment
            self.subordinate[index] = in_subordinate
            if _lemmas(token.norm) & LISTENING_MADE_VISIBLE:
                self.visible_listening[segment] = index

    def _noun_position(self, index: int) -> bool:
        """Whether the word stands where a noun stands: after "the", "in", "weekly", ..."""
        if not self._tight(index):
            return False
        previous = self.tokens[index - 1].norm
        if previous in NOUN_SIGNALS or _is_number(previous):
            return True
        if previous.endswith(("'s", "s'")):
            return True
        verb = self.verbs[index - 1]
        # Straight after a verb comes its object ("manage time"), unless the verb takes
        # another verb ("helps fill in the log").
        return verb is not None and verb.lemma not in CATENATIVE_VERBS

    def _next_content(self, index: int, skip: frozenset[str], limit: int = 4) -> int | None:
        """The next word in the same clause after skipping up to ``limit`` filler words."""
        position = index + 1
        while position < len(self.tokens) and self._tight(position):
            if self.tokens[position].norm not in skip or limit == 0:
                return position
            position += 1
            limit -= 1
        return None

    # -- hints ----------------------------------------------------------------------

    def _add(self, code: str, message: str, span: tuple[int, int] | None) -> None:
        self.hints.setdefault((code, span), Hint(code, SEVERITIES[code], message, span))

    def _span(self, first: int, last: int) -> tuple[tuple[int, int], str]:
        start, end = self.tokens[first].start, self.tokens[last].end
        return (start, end), self.text[start:end]

    def _add_spanned(self, code: str, first: int, last: int, message_for: _Message) -> None:
        span, words = self._span(first, last)
        self._add(code, message_for(words), span)

    # -- negative forms ---------------------------------------------------------------

    def _find_negatives(self) -> None:
        tokens = self.tokens
        for index, token in enumerate(tokens):
            word = token.norm
            following = tokens[index + 1].norm if index + 1 < len(tokens) else ""
            after_that = tokens[index + 2].norm if index + 2 < len(tokens) else ""
            first = last = index
            if word in NEGATIVE_WORDS or word.endswith("n't"):
                pass
            elif word == "not":
                if following == "only":
                    continue
                if self._tight(index) and tokens[index - 1].norm in DO_FORMS:
                    first = index - 1
            elif word == "no":
                if following in {"longer", "more"} and after_that != "than":
                    last = index + 1
                elif not (following.endswith("ing") and following not in ING_NOUNS):
                    continue
            elif _lemmas(word) & NEGATIVE_VERBS:
                pass
            elif _lemmas(word) & STOPPING_VERBS:
                if not (following.endswith("ing") and following not in ING_NOUNS):
                    continue
            else:
                continue
            for position in range(first, last + 1):
                self.consumed[position] = True
                self.negative[position] = True
            self._add_spanned(NEGATIVE_FORM, first, last, _negative_message)

    # -- traits and verbs, left to right ----------------------------------------------

    def _match_phrase(self, index: int, phrase: tuple[str, ...], *, verb: bool) -> int | None:
        """The index of the phrase's last word if it starts at ``index``, else None."""
        first = self.tokens[index].norm
        if not (phrase[0] in _lemmas(first) if verb else first == phrase[0]):
            return None
        last = index + len(phrase) - 1
        if last >= len(self.tokens):
            return None
        for offset, word in enumerate(phrase[1:], start=1):
            position = index + offset
            if not self._tight(position) or self.consumed[position]:
                return None
            if self.tokens[position].norm != word:
                return None
        return last

    def _trait_kind(self, index: int) -> str | None:
        """Which kind of trait word the token is: adjective, adverb, noun or role."""
        word = self.tokens[index].norm
        following = self.tokens[index + 1].norm if index + 1 < len(self.tokens) else ""
        if word in TRAIT_ADJECTIVES:
            if word in {"positive", "negative"} and following in CONCRETE_AFTER_EVALUATION:
                return None
            if word == "kind" and following == "of":
                return None
            return "adjective"
        if word in TRAIT_ROLE_WORDS or _singular(word) in TRAIT_ROLE_WORDS:
            return "role"
        if word in TRAIT_NOUNS or _singular(word) in TRAIT_NOUNS:
            is_verb_too = bool(
                {word, _singular(word)} & DUAL_TRAIT_NOUNS
                or _lemmas(word) & (OBSERVABLE_VERBS | VAGUE_VERBS)
            )
            if is_verb_too and not self._noun_position(index):
                return None
            return "noun"
        base = _adverb_base(word)
        if base is not None and base in TRAIT_ADJECTIVES:
            return "adverb"
        return None

    def _find_trait_phrase(self, index: int) -> bool:
        tokens = self.tokens
        word = tokens[index].norm
        if (
            word in EVALUATIVE_ADJECTIVES
            and index + 1 < len(tokens)
            and self._tight(index + 1)
            and _singular(tokens[index + 1].norm) in ROLE_NOUNS
        ):
            self._consume_trait(index, index + 1, _trait_role_message)
            return True
        for phrases, message in (
            (TRAIT_ROLE_PHRASES, _trait_role_message),
            (TRAIT_NOUN_PHRASES, _trait_noun_message),
        ):
            for phrase in phrases:
                last = self._match_phrase(index, phrase, verb=False)
                if last is not None:
                    self._consume_trait(index, last, message)
                    return True
        return False

    def _consume_trait(self, first: int, last: int, message_for: _Message) -> None:
        for position in range(first, last + 1):
            self.consumed[position] = True
        self._add_spanned(TRAIT, first, last, message_for)

    def _vague_span_end(self, last: int, key: str) -> int:
        """Extend a vague verb's underline over its particle and an intensifier."""
        particles = VAGUE_PARTICLES.get(key, frozenset())
        for allowed in (particles, VAGUE_INTENSIFIERS):
            following = last + 1
            if (
                following < len(self.tokens)
                and self._tight(following)
                and not self.consumed[following]
                and self.tokens[following].norm in allowed
            ):
                last = following
                self.consumed[last] = True
        return last

    def _find_vague_phrase(self, index: int) -> bool:
        if self.subordinate[index]:
            return False
        for phrase in VAGUE_PHRASES:
            last = self._match_phrase(index, phrase, verb=True)
            if last is None:
                continue
            forms = frozenset(
                f for lemma, f in _verb_forms(self.tokens[index].norm) if lemma == phrase[0]
            )
            self.verbs[index] = _Verb("vague", phrase[0], forms)
            for position in range(index, last + 1):
                self.consumed[position] = True
            last = self._vague_span_end(last, phrase[-1])
            self._add_spanned(
                VAGUE_VERB, index, last, partial(_vague_verb_message, lemma=phrase[0])
            )
            return True
        return False

    def _read_verb(self, index: int) -> _Verb | None:
        token = self.tokens[index]
        if self.subordinate[index] or self._noun_position(index):
            return None
        if token.norm.endswith("ing") and (token.norm in ING_NOUNS or token.norm in COUNT_WORDS):
            return None
        readings = _verb_forms(token.norm)
        for wordlist, kind in ((OBSERVABLE_VERBS, "observable"), (VAGUE_VERBS, "vague")):
            lemmas = [lemma for lemma, _ in readings if lemma in wordlist]
            if not lemmas:
                continue
            lemma = lemmas[0]
            forms = frozenset(form for candidate, form in readings if candidate == lemma)
            if self._tight(index) and self.tokens[index - 1].norm in BE_FORMS:
                # After "be" only the progressive is an act ("is asking"); "is updated"
                # is a result and "be present" a state.
                if "ing" not in forms:
                    return None
                forms = frozenset({"ing"})
            return _Verb("observable" if kind == "observable" else "vague", lemma, forms)
        return None

    def _refine(self, index: int, verb: _Verb) -> _Verb:
        """Apply the rules for "listen", "manage" and verbs whose object is a trait."""
        if verb.lemma == "listen":
            if self.visible_listening.get(self.segment[index], -1) > index:
                return _Verb("observable", verb.lemma, verb.forms)
            return verb
        if verb.lemma == "manage":
            target = self._next_content(index, DETERMINERS)
            if (
                target is None
                or self.tokens[target].norm in GENERIC_MANAGE_OBJECTS
                or self.tokens[target].norm in VAGUE_INTENSIFIERS
            ):
                return verb
            return _Verb("observable", verb.lemma, verb.forms)
        if verb.kind == "observable":
            target = self._next_content(index, OBJECT_FILLERS)
            if target is not None and self._is_trait_object(target):
                return _Verb("hollow", verb.lemma, verb.forms)
        return verb

    def _is_trait_object(self, index: int) -> bool:
        word = self.tokens[index].norm
        following = self.tokens[index + 1].norm if index + 1 < len(self.tokens) else ""
        if word in TRAIT_ADJECTIVES:
            return not (word in {"positive", "negative"} and following in CONCRETE_AFTER_EVALUATION)
        singular = _singular(word)
        return bool({word, singular} & (TRAIT_NOUNS | TRAIT_ROLE_WORDS))

    def _scan(self) -> None:
        for index in range(len(self.tokens)):
            if self.consumed[index]:
                continue
            if self._find_vague_phrase(index) or self._find_trait_phrase(index):
                continue
            kind = self._trait_kind(index)
            if (
                kind == "adjective"
                and index + 1 < len(self.tokens)
                and self._tight(index + 1)
                and self._trait_kind(index + 1) == "noun"
            ):
                # One underline for "a positive attitude", not two.
                self._consume_trait(index, index + 1, _trait_noun_message)
                continue
            if kind is not None:
                message = {
                    "adjective": _trait_adjective_message,
                    "adverb": _trait_adverb_message,
                    "noun": _trait_noun_message,
                    "role": _trait_role_message,
                }[kind]
                self._consume_trait(index, index, message)
                continue
            verb = self._read_verb(index)
            if verb is None:
                continue
            verb = self._refine(index, verb)
            self.verbs[index] = verb
            if verb.kind == "vague":
                last = self._vague_span_end(index, verb.lemma)
                message = partial(_vague_verb_message, lemma=verb.lemma)
                self._add_spanned(VAGUE_VERB, index, last, message)

    # -- whole-text checks --------------------------------------------------------------

    def _find_multiple_behaviours(self) -> None:
        earlier_head = False
        head: _Verb | None = None
        pending = False
        for index, token in enumerate(self.tokens):
            new_segment = index == 0 or self.segment[index] != self.segment[index - 1]
            if new_segment:
                earlier_head = earlier_head or head is not None
                head, pending = None, False
            elif set(token.gap) & _JOINING_SYMBOLS:
                pending = True
            if token.norm in JOINER_WORDS:
                pending = True
                continue
            if pending and (token.norm in SKIPPED_AFTER_JOINER or self.negative[index]):
                continue
            verb = self.verbs[index]
            if verb is None:
                pending = False
                continue
            if head is None:
                head = verb
                if earlier_head:
                    self._add_spanned(MULTIPLE_BEHAVIOURS, index, index, _multiple_message)
            elif pending and verb.forms & head.forms:
                self._add_spanned(MULTIPLE_BEHAVIOURS, index, index, _multiple_message)
            pending = False

    def _is_countable(self) -> bool:
        for index, token in enumerate(self.tokens):
            word = token.norm
            if word in COUNT_WORDS or _is_number(word):
                return True
            if self.verbs[index] is None and (
                word in OCCASION_NOUNS or _singular(word) in OCCASION_NOUNS
            ):
                return True
        return False

    def run(self) -> list[Hint]:
        self._find_negatives()
        self._scan()
        self._find_multiple_behaviours()
        if not any(verb is not None and verb.kind == "observable" for verb in self.verbs):
            self._add(NO_OBSERVABLE_VERB, NO_OBSERVABLE_VERB_MESSAGE, None)
        elif not self._is_countable():
            self._add(NOT_COUNTABLE, NOT_COUNTABLE_MESSAGE, None)
        if len(self.tokens) > MAX_WORDS:
            self._add(TOO_LONG, _too_long_message(len(self.tokens)), None)
        return list(self.hints.values())


def _order(hint: Hint) -> tuple[int, int, str, str]:
    start, end = hint.span if hint.span is not None else (-1, -1)
    return (start, end, hint.code, hint.message)


def check(text: str) -> PinpointResult:
    """Advisory hints on how observable and countable a behaviour description is.

    Never raises on any string and never blocks anything: see the module docstring for
    what the hints mean and what this check cannot know.
    """
    tokens = _tokenise(text)
    if not tokens:
        return PinpointResult((Hint(EMPTY, SEVERITIES[EMPTY], EMPTY_MESSAGE, None),))
    hints = _Checker(text, tokens).run()
    return PinpointResult(tuple(sorted(hints, key=_order)))
