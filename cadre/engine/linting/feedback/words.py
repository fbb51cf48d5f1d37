"""The words the feedback check's rules name: verbs that are no visible action, verbs of
cause, framing and reporting, labels and traits, generalizations and requests. Open
classes (which word is a past tense, a noun, an adjective) come from the lexicon in
the grammar package; these are the small closed sets the rules need besides."""

from __future__ import annotations

import re

NUMBERS_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "a"}

# Verbs that name no action anyone could see: states of mind, effort, judgement.
VAGUE_VERBS = {
    "be",
    "seem",
    "appear",
    "sound",
    "feel",
    "try",
    "need",
    "want",
    "wish",
    "hope",
    "care",
    "think",
    "believe",
    "know",
    "like",
    "love",
    "hate",
    "deserve",
    "handle",
    "manage",
    "help",
    "work",
    "improve",
    "perform",
    "exceed",
    "impress",
    "behave",
    "act",
    "excel",
    "shine",
    "struggle",
    "cope",
    "contribute",
    "support",
    "communicate",
    "have",
    "respect",
    "value",
    "bother",
    "listen",
    "complain",
    "understand",
    "mean",
    "matter",
    "rock",
    "nail",
    "crush",
    "smash",
}
# Phrasal verbs of effort: "you stepped up during the flood", "she pitched in".
VAGUE_PHRASAL = {("step", "up"), ("pitch", "in"), ("chip", "in"), ("muck", "in")}
# "you had the logs *ready*": the state someone got a thing into.
READY = {"ready", "done", "sorted", "set", "lined", "laid", "prepped", "prepared", "finished"}
# ... and objects that make any verb vague: "you did a great job", "you got involved".
EMPTY_OBJECT = re.compile(
    r"^(?:anything|nothing|everything|stuff|things|a (?:\w+ )?job|an? (?:great|good|amazing|"
    r"fantastic|excellent|brilliant|solid|decent|poor|bad|terrible) \w+|great|well|fine|"
    r"brilliantly|hard|amazing|good|it seriously|\w+ seriously|seriously|above and beyond|"
    r"the extra mile|(?:a|an|the) (?:effort|difference)|(?:your|a|the) best|better|involved|"
    r"ownership|responsibility|initiative|care)\b"
)
# Being somewhere or late is seen by everyone: "you were on your phone", "you came in late".
STATE = re.compile(
    r"^(?:\w+ly |always |constantly |never |again )?(?:late|early|absent|off sick|away|on your "
    r"phone|on the phone|on your laptop|not there|missing|on time|asleep|offline|out)\b"
)
# Nouns for someone's work in general, not one act of it: "your support on the night shift",
# "your effort on the launch", "your leadership".
WORK_IN_GENERAL = {
    "work",
    "help",
    "support",
    "effort",
    "efforts",
    "contribution",
    "contributions",
    "input",
    "attitude",
    "energy",
    "presence",
    "involvement",
    "leadership",
    "way",
    "time",
    "approach",
    "hard",
    "dedication",
    "commitment",
    "willingness",
    "ability",
    "readiness",
    "eagerness",
    "tendency",
    "habit",
}
# People someone has, not things they made: "your supervisor", "your team", "her patients".
RELATIONS = {
    "supervisor",
    "manager",
    "boss",
    "lead",
    "team",
    "teammates",
    "colleague",
    "colleagues",
    "client",
    "clients",
    "customer",
    "customers",
    "mentor",
    "mentee",
    "patient",
    "patients",
    "student",
    "students",
    "pupils",
    "kids",
    "children",
    "family",
    "partner",
    "staff",
    "crew",
    "trainee",
    "apprentice",
    "residents",
    "tenants",
    "guests",
    "caller",
    "callers",
    "driver",
    "drivers",
    "reports",
    "mother",
    "father",
    "mum",
    "mom",
    "dad",
    "parents",
    "wife",
    "husband",
    "son",
    "daughter",
    "pupil",
    "learners",
    "volunteers",
}
# "What a legend!": praise that names the person, with no verb.
PERSON_NOUNS = {
    "legend",
    "star",
    "hero",
    "gem",
    "champ",
    "champion",
    "pro",
    "lifesaver",
    "rockstar",
    "superstar",
    "asset",
    "natural",
    "genius",
    "saint",
    "angel",
    "trooper",
    "machine",
    "mvp",
}
# An act told by how soon it came: "you were quick to call the ambulance", "she was the
# first to spot it". Not a trait.
PROMPT = {"quick", "quicker", "fast", "faster", "swift", "prompt", "first", "slow", "last", "late"}
PROMPTLY = re.compile(
    r"^(?:(?:very|really|so|super|the) )?(?:" + "|".join(sorted(PROMPT)) + r")(?: one)? to \w+"
)
# Labels a writer puts before what an act changed: "Result - GL extracts in by week one".
OUTCOME_LABELS = {
    "result",
    "results",
    "outcome",
    "upshot",
    "impact",
    "effect",
    "net effect",
    "net result",
    "end result",
    "consequence",
}
# A sentence that ties the one before to the person: "That was because you pre-printed ...".
BECAUSE_OF_YOU = re.compile(
    r"^(?:and |so )?(?:that|this|it)(?:'s| is| was)(?: all| partly| only| entirely| mostly"
    r"| largely| really)? (?:because (?:of )?(?:you|u|your|he|she|his|her)\b|(?:thanks|down|due)"
    r" to (?:you|u|your|him|her|his)\b)"
)
# Verbs that say one thing caused another; their subject can be anything but the person.
CAUSAL = {
    "mean",
    "save",
    "cost",
    "cause",
    "lead",
    "result",
    "make",
    "give",
    "let",
    "allow",
    "enable",
    "help",
    "prevent",
    "stop",
    "delay",
    "break",
    "slow",
    "protect",
    "kill",
    "affect",
    "force",
    "spare",
    "unblock",
    "push",
    "hold",
    "bring",
    "change",
    "set",
    "put",
    "keep",
    "turn",
    "get",
}
# Arriving or taking a post: "since you joined", "since you took over" tell how long, not what
# the person did.
TENURE = {"join", "start", "arrive", "come", "take", "begin", "return"}
# A participle after the act that tells what it did: "..., saving the airline forty rooms",
# "..., cutting each picker's walk by a third", "..., leaving the ward without cover". Not
# "..., explaining why", "..., using the new template": those tell how it was done.
RESULTING = CAUSAL - {"get", "set", "put", "turn", "push", "hold", "change", "help"} | {
    "cut",
    "reduce",
    "free",
    "halve",
    "double",
    "shorten",
    "spare",
    "leave",
    "end",
    "avoid",
    "block",
    "cause",
    "bring",
}
# What one act of the person's did to others: "... and broke the build for the whole team".
EFFECT_VERBS = {"break", "cost", "delay", "block", "save", "spare", "slow", "force", "cause"}
# "I noticed ...", "I liked that ...": the writer framing what follows, not an effect.
FRAMING = {
    "notice",
    "like",
    "love",
    "appreciate",
    "think",
    "want",
    "know",
    "believe",
    "hope",
    "guess",
    "wonder",
    "see",
    "reckon",
    "mean",
    "wish",
    "thank",
    "say",
    "admire",
    "value",
    "enjoy",
    "realise",
    "realize",
    "suppose",
    "expect",
}
# After "so", coming to know is a change: "so by lunchtime we knew where every child was".
KNOWING = {"know", "see", "realise", "realize", "notice", "find", "hear", "learn"}
LINKING = {"be", "seem", "look", "sound", "appear", "remain", "stay"}
SECOND = {"you", "your", "yours", "yourself", "u", "ur", "ya", "y'all", "thanks", "thx"}
THIRD = {"he", "she"}
# Words before a name that still make it the person: "Dr. Okoro", "Sister Bola", "Coach Ray".
TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "professor",
    "sister",
    "brother",
    "nurse",
    "matron",
    "coach",
    "chef",
    "sir",
    "madam",
    "auntie",
    "aunty",
    "uncle",
    "mama",
    "papa",
    "officer",
    "captain",
    "pastor",
    "engr",
    "engineer",
    "judge",
    "counsellor",
    "councillor",
    # ranks and forms of address from the services and from other languages
    "sgt",
    "sarge",
    "cpl",
    "lcpl",
    "pte",
    "lt",
    "capt",
    "maj",
    "col",
    "cdr",
    "insp",
    "inspector",
    "det",
    "detective",
    "const",
    "constable",
    "ff",
    "fo",
    "medic",
    "paramedic",
    "probie",
    "kuya",
    "ate",
    "tita",
    "tito",
    "frau",
    "herr",
    "señor",
    "senora",
    "ma'am",
    "maam",
}
# "our lead", "my colleague": the person named by their role.
ROLE_OWNERS = {"our", "my"}
RECEIVER_SUBJECT = {"you", "u", "ya", "y'all"}

# Labels and traits. After a copula whose subject is the person: an adjective the lexicon
# knows (lazy, organised, brilliant, negative), an article and a noun phrase ("a natural
# leader", "a pleasure to work with"), or a superlative ("the most reliable person").
NOT_TRAITS = {
    "late",
    "early",
    "busy",
    "away",
    "off",
    "out",
    "sick",
    "ill",
    "back",
    "ready",
    "done",
    "right",
    "sure",
    "able",
    "unable",
    "available",
    "free",
    "new",
    "here",
    "there",
    "first",
    "last",
    "next",
    "alone",
    "online",
    "offline",
    "on",
    "in",
    "up",
    "down",
    "welcome",
    "absent",
    "present",
    "wrong",
    "aware",
    "asleep",
    "awake",
    "due",
    "about",
    "going",
    "coming",
    "responsible",
    "in charge",
    "ok",
    "okay",
    "fine",
    "sorry",
    "glad",
    "happy",
    "missing",
    "complete",
    "still",
    "also",
}
INTENSIFIERS = {
    "so",
    "such",
    "too",
    "very",
    "really",
    "quite",
    "incredibly",
    "always",
    "just",
    "not",
    "n't",
    "never",
    "honestly",
    "pretty",
    "rather",
    "extremely",
    "super",
    "totally",
    "completely",
    "absolutely",
    "truly",
    "genuinely",
    "often",
    "sometimes",
    "constantly",
    "kind",
    "sort",
    "of",
    "bit",
    "little",
    "a",
    "being",
    "actually",
    "definitely",
    "simply",
    "way",
    "overly",
    "far",
    "much",
    "seriously",
    "also",
    "still",
}
TRAIT_NOUNS = re.compile(
    r"^(?:attitude|personality|character|manner|temperament|temper|ego|mindset|nature|"
    r"energy|vibe|demeanou?r|way of (?:working|being|doing things|talking)|work ethic)$"
)
COPULAS = {"is", "are", "was", "were", "'s", "'re", "'m", "am", "be", "being", "been"}
SEEM = {"seem", "seems", "seemed", "sound", "sounds", "sounded", "act", "acts", "acted"}
ATTITUDE_VERBS = {"care", "respect", "value", "bother", "appreciate"}
# Qualities a person has or lacks: "you have no patience", "he's got a real temper".
_QUALITIES = (
    r"(?:attitude|personality|ego|work ethic|habit of|ideas|temper|mindset|patience|manners"
    r"|initiative|respect|discipline|empathy|tact|common sense|backbone|people skills|drive"
    r"|sense of urgency|ambition|confidence|charisma|talent|gift)"
)
TRAIT_PHRASES = re.compile(
    r"\btypical (?:of )?(?:you|him|her)\b|\btypical of [a-z]+(?=\s*[:;,!.–-])"
    # "ur a menace", "ur literally the goat": "ur" as "you're" before a noun phrase
    r"|\b(?:ur|youre)(?: literally| honestly| actually| truly)? (?:an?|such an?|the (?:best|worst"
    r"|most|goat|mvp|man|one))(?= [a-z🐐]|[ !.]*$)"
    r"|\bso you\b(?= to )|\b(?:that's|that is|it's|this is) (?:just )?"
    r"(?:how|who|what) (?:you|he|she) (?:are|is)\b|\b(?:you|he|she)(?: are|'re|'s| is) (?:the )?"
    r"(?:kind|type|sort) of person\b|\bcome?s? (?:across|off) as\b|\bcame (?:across|off) as\b"
    r"|\b(?:you|he|she)(?: \w+)?(?: have| has|'ve got|'s got| have got| has got) (?:a |an "
    r"|such an? |such |no |zero |the |a real |a bit of an? )?(?:\w+ )?" + _QUALITIES + r"\b"
    r"|\b(?:you|he|she)(?: really| totally| just)? (?:lack|lacks|are lacking|'re lacking"
    r"|is lacking|'s lacking)\b|\b(?:stop|quit) being\b"
)

GENERALIZING = re.compile(
    r"\b(?:always|never|every (?:single )?time|everytime|constantly|continually|all the time"
    r"|whenever|each time|forever|every day|every meeting|without fail|at all times"
    r"|(?:in|at|on|during|after|for) every (?!one\b)\w+|(?:almost|nearly) every \w+|every (?:"
    r"morning|evening|night|week|shift|sprint|session|standup|stand-up|retro|call|1:1|one-to-one)"
    r"|everything (?:you|he|she) (?:do|does|send|sends|write|writes|make|makes)|habit of"
    r"|any time (?:you|he|she)|anytime (?:you|he|she)"
    r"|as usual|as always|like always|yet again|once again|again and again|time and again"
    r"|time after time|over and over|repeatedly|routinely|habitually|invariably|regularly"
    r"|day in,? day out|most of the time|half the time|(?:you|u|he|she) keeps? (?:on )?\w+ing"
    r"|(?:you|u|he|she) tends? to)\b"
)
# After "every morning", a stretch of time that bounds it: "every morning last week".
BOUNDED = re.compile(
    r"^,? (?:last|this|that|the same|the whole|all) (?:week|month|weekend|fortnight|shift|sprint"
    r"|term|quarter)\b|^,? (?:for|during|over|in|until) (?:the |a |two |three |four |that )?"
    r"(?:\w+ )?(?:week|weeks|month|months|fortnight|sprint|audit|inspection|project|trial|"
    r"launch|heatwave|outage|move|january|february|march|april|may|june|july|august|"
    r"september|october|november|december)\b"
)
# What "in every ..." stretches into a rule when it is an occasion: "in every meeting".
OCCASIONS = {
    "time",
    "day",
    "week",
    "month",
    "morning",
    "evening",
    "night",
    "shift",
    "meeting",
    "session",
    "call",
    "standup",
    "stand-up",
    "retro",
    "review",
    "1:1",
    "one-to-one",
    "huddle",
    "handover",
    "round",
    "visit",
    "sprint",
    "demo",
    "presentation",
    "conversation",
    "discussion",
    "project",
    "job",
    "report",
    "email",
    "message",
    "ticket",
    "task",
    "deadline",
    "weekend",
    "opportunity",
    "chance",
    "occasion",
}
REQUEST_START = re.compile(
    r"^(?:(?:so|and|but|also|then|honestly|maybe|perhaps|in future|going forward|from now on|"
    r"next time|for next time|moving forward),? )*(?:please|pls|plz|could you|can you|would you|"
    r"will you|could we|can we|let's|lets|try|keep|don't|do not|stop|remember|make sure|"
    r"consider|next time|in future|going forward|from now on|i'd like|i would like|i'd love|"
    r"it would be|would be great|you should|you need to|you must|you have to|u should|"
    # "just" orders ("just ping me first"), but "Just a wee note to say ...", "Just wanted to
    # say ..." only introduce what follows
    r"be more|be less|maybe|perhaps|ideally|just(?! (?:a|an|the|wanted|want|to|letting|saying"
    r"|so|quick|quickly|popping|dropping|noting|flagging|sharing)\b))\b"
)


# What the person said, not what it did: "you told a customer we'd price match".
REPORTING = {
    "say",
    "tell",
    "explain",
    "ask",
    "promise",
    "claim",
    "mention",
    "think",
    "write",
    "answer",
    "reply",
    "insist",
}
THING = {"it", "this", "that", "which", "what", "there"}
PEOPLE = {"he", "she", "they", "we", "i", "nobody", "everyone"}

# "thanks for walking us through ...": the doing after a word of thanks.
THANKS = re.compile(
    r"\b(?:thanks|thank (?:you|u|ya)|thx|ty|ta|kudos|(?:special |honou?rable )?mention|big ups?"
    r"|hats off|gracias|danke|merci|obrigad[oa]|salamat|grazie|diolch|asante|dank je|tack|takk"
    r"|kiitos|arigato|shukran|spasibo|kia ora|cheers|grateful|shout-?out|props|well done"
    r"|good on (?:you|ya)|nice one|good call|great call|respect)(?: (?:so much|again|a lot|loads"
    r"|heaps))?"
    # "to Arjun", "to TL Ria", or who is thanked: "thank you Dr. Okoro for", "thank u po for"
    r" (?:to (?:[\w.'-]+ ){1,3}(?=for )|(?:dr\.? |mr\.? |mrs\.? |ms\.? |sister |coach )?(?!for )[\w'-]+ (?:(?!for )[\w'-]+ ){0,2}(?=for ))?"
    # "for walking us through"; in English as a second language also "for to call", "for
    # stay late", "for have translated"
    r"for (?:to |have |having )?(?P<verb>[a-z'-]+)"
)
# "Appreciate you walking the new joiners through ...": thanks with the doing after the person.
APPRECIATE = re.compile(
    r"\b(?:(?:i |we )?(?:really |truly |much )?appreciated?|thanks to) (?:you|u|ya)"
    r" (?P<verb>[a-z'-]+ing)\b"
)
# "Great job catching the allergy", "nice work getting the van back": praise with the doing
# after it, which names the act as thanks for it would.
PRAISED_DOING = re.compile(
    r"\b(?:great|good|nice|excellent|brilliant|awesome|amazing|solid|superb|fantastic|top"
    r"|stellar|outstanding|fab|fabulous|cracking|smashing|class|wicked|impressive|well)"
    r" (?:job|work|effort|stuff|going|done|call|shout|move|catch|save|thinking)"
    r"(?: (?:today|yesterday|tonight|again|there),?)?"
    r" (?:on |in |with )?(?P<verb>[a-z'-]+ing)\b"
)
