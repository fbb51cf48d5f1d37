"""The closed word classes the grammar names: pronouns, determiners, prepositions,
conjunctions, auxiliaries, adverbs, days and months, and the small sets of verbs and phrases
the clause rules need."""

from __future__ import annotations

from .. import dates

PERSONAL = {"i", "we", "you", "u", "ya", "he", "she", "they", "it", "one", "y'all"}


DEMONSTRATIVE = {"this", "that", "these", "those"}


INDEFINITE = {
    "nobody",
    "everyone",
    "everybody",
    "someone",
    "somebody",
    "anyone",
    "anybody",
    "none",
    "nothing",
    "everything",
    "something",
    "all",
    "both",
    "half",
    "most",
    "several",
    "others",
    "many",
    "few",
    "there",
}


OBJECT_PRONOUNS = {"me", "us", "him", "her", "them", "myself", "yourself", "herself", "himself"}


POSSESSIVE = {"my", "your", "ur", "his", "her", "our", "their", "its", "whose"}


DETERMINERS = {
    "the",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "some",
    "any",
    "every",
    "each",
    "no",
    "another",
    "other",
    "such",
    "either",
    "neither",
    *POSSESSIVE,
}


NUMBERS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "hundred",
    "dozen",
}


PREPOSITIONS = {
    "w",  # "with", typed in chat
    "w/",
    "abt",
    "thru",
    "in",
    "on",
    "at",
    "during",
    "for",
    "with",
    "without",
    "about",
    "to",
    "from",
    "by",
    "of",
    "into",
    "onto",
    "over",
    "under",
    "through",
    "across",
    "around",
    "between",
    "behind",
    "beside",
    "near",
    "off",
    "out",
    "per",
    "via",
    "within",
    "against",
    "towards",
    "toward",
    "upon",
    "despite",
    "inside",
    "outside",
    "along",
    "past",
    "round",
    "among",
    "amid",
    "throughout",
    "except",
    "beyond",
    "up",
    "down",
}


# Words that open a clause. The first group joins clauses of equal rank; the second opens a
# clause that only sets the scene or reports (it is never the consequence itself).
COORDINATORS = {"and", "but", "so", "then", "or", "yet", "plus", "cos", "meaning", "which"}


SUBORDINATORS = {
    "when",
    "whenever",
    "while",
    "whilst",
    "after",
    "before",
    "since",
    "until",
    "till",
    "if",
    "unless",
    "once",
    "because",
    "as",
    "though",
    "although",
    "whereas",
    "whether",
    "what",
    "where",
    "how",
    "why",
    "who",
    "whom",
    "that",
    "like",
    "than",
}


BE = {"is", "are", "was", "were", "am", "'s", "'re", "'m", "be", "been", "being", "isnt", "wasnt"}


HAVE = {"has", "have", "had", "'ve", "'d"}


DO = {"do", "does", "did"}


MODALS = {
    "will",
    "would",
    "could",
    "can",
    "should",
    "might",
    "must",
    "shall",
    "may",
    "'ll",
    "wo",
    "ca",
}


NEGATIONS = {"not", "n't", "never", "no"}


ADVERBS = {
    "just",
    "also",
    "then",
    "still",
    "never",
    "always",
    "finally",
    "now",
    "even",
    "really",
    "actually",
    "already",
    "only",
    "again",
    "often",
    "sometimes",
    "usually",
    "once",
    "twice",
    "both",
    "all",
    "straight",
    "immediately",
    "literally",
    "honestly",
    "definitely",
    "definately",
    "quietly",
    "personally",
    "so",
    "too",
    "very",
    "quite",
    "pretty",
    "much",
    "far",
    "not",
    "n't",
    "ever",
    "constantly",
    "first",
    "later",
    "afterwards",
    "soon",
    "almost",
    "nearly",
    "longer",
    "barely",
    "hardly",
    "rarely",
    "kind",
    "sort",
    "of",
}


WEEKDAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


MONTHS = frozenset(dates.MONTHS)


TIME_WORDS = WEEKDAYS | {
    "yesterday",
    "today",
    "tonight",
    "tomorrow",
    "now",
    "then",
    "afterwards",
    "later",
    "morning",
    "afternoon",
    "evening",
    "night",
    "week",
    "month",
    "year",
    "mon",
    "tue",
    "tues",
    "wed",
    "thu",
    "thurs",
    "fri",
    "sat",
    "sun",
}


FUNCTION_WORDS = (
    PERSONAL
    | DEMONSTRATIVE
    | INDEFINITE
    | OBJECT_PRONOUNS
    | DETERMINERS
    | PREPOSITIONS
    | COORDINATORS
    | SUBORDINATORS
    | BE
    | HAVE
    | DO
    | MODALS
    | NEGATIONS
)


ARROWS = {"->", "=>", "→"}


# Titles and ranks written before a name ("Mr. Tan", "Sgt Okafor", "LCpl Kaur", "Kuya Ben").
NAME_TITLES = {
    "mr",
    "mrs",
    "ms",
    "mx",
    "dr",
    "prof",
    "sgt",
    "cpl",
    "lcpl",
    "pte",
    "lt",
    "capt",
    "maj",
    "col",
    "cdr",
    "insp",
    "det",
    "const",
    "ff",
    "fo",
    "frau",
    "herr",
    "kuya",
    "ate",
    "tita",
    "tito",
    "sr",
}
ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "sgt",
    "cpl",
    "lt",
    "capt",
    "maj",
    "insp",
    "st",
    "e.g",
    "i.e",
    "vs",
    "approx",
    "no",
    "etc",
    "jr",
    "sr",
}


SINGULAR_INDEFINITE = {
    "nobody",
    "everyone",
    "everybody",
    "nothing",
    "everything",
    "something",
    "someone",
    "somebody",
    "anyone",
    "anybody",
}


# Words before a subject that leave it the start of its clause: "and he say", "yesterday he
# lock the gate".
JOINERS = {"and", "but", "so", "then", "when", "because", "after", "before", "once", "cos"}


# Words after which "the NOUN VBN" is an object and its state, not a subject and a verb.
OBJECT_STATE = {"with", "without", "had", "has", "have", "having", "got", "get", "gets"}


CAUSATIVE = {"have", "let", "make", "see", "watch", "hear", "help", "bid"}


# Verbs whose object can be a whole clause with no "that": "I noticed you walked", "you
# told her it was ready", "it meant we could ship".
COMPLEMENT_VERBS = {
    "say",
    "tell",
    "think",
    "know",
    "notice",
    "mean",
    "feel",
    "hear",
    "see",
    "find",
    "realise",
    "realize",
    "guess",
    "believe",
    "hope",
    "wish",
    "show",
    "agree",
    "promise",
    "explain",
    "mention",
    "ensure",
    "assume",
    "reckon",
    "suppose",
    "bet",
    "like",
    "love",
    "appreciate",
    "remember",
    "forget",
    "admit",
    "claim",
    "swear",
    "suggest",
    "make",
    "let",
    "help",
    "have",
    "get",
    "watch",
    "said",
}


# Nouns of time: "The day you left", "Every time you call" set a scene, they are not a
# subject described by the clause after them.
TIME_NOUNS = TIME_WORDS | MONTHS | {"time", "times", "day", "days", "weekend", "moment", "minute"}


# Phrases that open a clause of time as "when" does.
TIME_CLAUSE = (
    "by the time ",
    "the moment ",
    "the minute ",
    "the second ",
    "as soon as ",
    "the first time ",
    "the last time ",
    "next time ",
)


# Phrases that say "so" on their own: "...; because of that, legal had the weekend".
SO_PHRASES = {
    "because of that",
    "because of this",
    "as a result",
    "as a result of that",
    "thanks to that",
    "thanks to this",
    "due to that",
    "therefore",
    "consequently",
    "hence",
    "in turn",
    "so",
}
