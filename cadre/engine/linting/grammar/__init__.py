"""Just enough English grammar for the feedback check: words, sentences, clauses, and
who did what in each clause.

    sentences = parse("At the offsite you kept every breakout to time, so we finished early.")
    [(c.opener, c.subject_text, c.verb.low) for c in sentences[0].clauses]
    # [((), 'you', 'kept'), ((',', 'so'), 'we', 'finished')]

What a word can be (a past form of which verb, a noun, an adjective) comes from
lemminflect's lexicon (lexicon.py), which ships inside the package, so nothing is
downloaded. Function words (pronouns, determiners, prepositions, conjunctions, auxiliaries)
are closed classes and are listed in words.py. tokens.py splits text into words and
sentences, verbs.py finds finite verbs and their subjects, clauses.py splits sentences into
clauses. There is no statistical tagger: each decision is a rule on the words around a
token, so the same text always gets the same parse and every result can be explained.
"""

from .clauses import Clause, Sentence, parse, parse_sentence
from .lexicon import (
    inflect,
    is_adjective,
    is_adverb_only,
    is_comparative,
    is_gerund,
    is_noun,
    is_participle,
    is_past,
    known,
    lemmas,
    verb_forms,
    verb_lemma,
)
from .tokens import Token, normalise, split_sentences, tokenize
from .words import (
    ADVERBS,
    COMPLEMENT_VERBS,
    DETERMINERS,
    FUNCTION_WORDS,
    MODALS,
    MONTHS,
    NEGATIONS,
    OBJECT_PRONOUNS,
    PERSONAL,
    PREPOSITIONS,
    SUBORDINATORS,
    TIME_WORDS,
    WEEKDAYS,
)

__all__ = [
    "ADVERBS",
    "COMPLEMENT_VERBS",
    "DETERMINERS",
    "FUNCTION_WORDS",
    "MODALS",
    "MONTHS",
    "NEGATIONS",
    "OBJECT_PRONOUNS",
    "PERSONAL",
    "PREPOSITIONS",
    "SUBORDINATORS",
    "TIME_WORDS",
    "WEEKDAYS",
    "Clause",
    "Sentence",
    "Token",
    "inflect",
    "is_adjective",
    "is_adverb_only",
    "is_comparative",
    "is_gerund",
    "is_noun",
    "is_participle",
    "is_past",
    "known",
    "lemmas",
    "normalise",
    "parse",
    "parse_sentence",
    "split_sentences",
    "tokenize",
    "verb_forms",
    "verb_lemma",
]
