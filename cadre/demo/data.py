"""The raw material of the demo networks: invented organizations, names, titles, skills and
cohort topics. Plain data only; cadre.demo.builder turns it into rows."""

from __future__ import annotations

from dataclasses import dataclass, field

PASSWORD = "cadre-demo"
NETWORK_SLUG = "northwind"
NETWORK_NAME = "Northwind Practitioners Network"
NETWORK_DESCRIPTION = (
    "Practitioners from logistics, health, finance, retail, energy and software companies "
    "who learn together in small cohorts: they run experiments in their real work, coach "
    "each other and share what they find."
)
OTHER_NETWORK_SLUG = "southgate"
OTHER_NETWORK_NAME = "Southgate Guild"
OTHER_NETWORK_DESCRIPTION = (
    "A guild of independent architects, surveyors and builders in the south of England."
)
DEMO_NETWORK_SLUGS = (NETWORK_SLUG, OTHER_NETWORK_SLUG)
FIRST_CHARTER_NOTE = "First charter, agreed in the kick-off session."
# The experiment the cohorts run and the library's plan for it tell one story.
SHORTER_MEETINGS = "A fixed agenda cuts our weekly meeting by a third."


@dataclass(frozen=True)
class Organization:
    name: str
    industry: str
    domain: str
    time_zones: tuple[str, ...]
    weight: int = 10


ORGANIZATIONS: tuple[Organization, ...] = (
    Organization("Lumen Freight", "Logistics", "lumenfreight.test", ("Europe/London",), 14),
    Organization(
        "Harbor & Vale Health", "Healthcare", "harborvale.test", ("America/New_York",), 12
    ),
    Organization(
        "Brightwell Bank",
        "Financial services",
        "brightwell.test",
        ("Europe/London", "Asia/Singapore"),
        11,
    ),
    Organization(
        "Kettle & Co. Retail", "Retail", "kettleco.test", ("America/Chicago", "America/New_York")
    ),
    Organization(
        "Solent Energy", "Energy", "solentenergy.test", ("Europe/London", "Europe/Berlin"), 9
    ),
    Organization(
        "Quillstone Software",
        "Software",
        "quillstone.test",
        ("Europe/Berlin", "Asia/Kolkata", "America/New_York"),
        15,
    ),
    Organization(
        "Mariner Insurance", "Financial services", "mariner-ins.test", ("America/Chicago",), 8
    ),
    Organization("Ostara Foods", "Manufacturing", "ostarafoods.test", ("Europe/Berlin",), 9),
    Organization("Tamarind Telecom", "Telecommunications", "tamarind.test", ("Asia/Kolkata",), 10),
    Organization(
        "Cobalt Mobility", "Transport", "cobaltmobility.test", ("Europe/Berlin", "Europe/Paris"), 8
    ),
    Organization(
        "Riverside Council Digital",
        "Public sector",
        "riverside-council.test",
        ("Europe/London",),
        6,
    ),
    Organization(
        "Peregrine Pharma", "Healthcare", "peregrine.test", ("America/New_York", "Europe/Berlin"), 8
    ),
    Organization(
        "Meridian Analytics",
        "Software",
        "meridian-analytics.test",
        ("Asia/Singapore", "Australia/Sydney"),
        8,
    ),
    Organization(
        "Copperleaf Learning",
        "Education",
        "copperleaf.test",
        ("America/Los_Angeles", "America/Chicago"),
        7,
    ),
    Organization("Nimbus Logistics Asia", "Logistics", "nimbus-asia.test", ("Asia/Singapore",), 7),
    Organization("Saffron Payments", "Financial services", "saffronpay.test", ("Asia/Kolkata",), 7),
)

# Mentors and partner-group members come from outside the member organizations too.
PARTNER_ORGANIZATIONS: tuple[Organization, ...] = (
    Organization(
        "Kestrel Institute of Technology", "Education", "kestrel-it.test", ("Europe/London",)
    ),
    Organization(
        "Open Ops Collective", "Non-profit", "openops.test", ("America/New_York", "Europe/Berlin")
    ),
)

# Anyone may live outside their employer's home zones; these are the other places.
OTHER_TIME_ZONES = (
    "Europe/Madrid",
    "Europe/Stockholm",
    "America/Toronto",
    "America/Sao_Paulo",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Dubai",
    "Australia/Sydney",
)

# function -> (weight, everyday titles, lead titles, executive titles, areas of focus)
FUNCTIONS: dict[
    str, tuple[int, tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
] = {
    "Engineering": (
        22,
        ("Software Engineer", "Platform Engineer", "Site Reliability Engineer", "QA Engineer"),
        ("Engineering Manager", "Staff Engineer", "Tech Lead"),
        ("Director of Engineering", "VP Engineering", "CTO"),
        ("payments platform", "mobile apps", "routing services", "observability", "CI/CD"),
    ),
    "Product": (
        12,
        ("Product Manager", "Product Owner", "Technical Product Manager"),
        ("Group Product Manager", "Lead Product Manager"),
        ("Head of Product", "Chief Product Officer"),
        ("checkout", "B2B onboarding", "pricing", "patient portal", "fleet tools"),
    ),
    "Design": (
        9,
        ("Product Designer", "UX Researcher", "Service Designer", "Content Designer"),
        ("Design Lead", "Research Lead"),
        ("Head of Design", "Director of Design"),
        ("accessibility", "design systems", "field research", "service blueprints"),
    ),
    "Data": (
        11,
        ("Data Analyst", "Data Scientist", "Analytics Engineer", "Data Engineer"),
        ("Analytics Lead", "Data Science Manager"),
        ("Head of Data", "Chief Data Officer"),
        ("demand forecasting", "experiment analysis", "dashboards", "churn models", "pipelines"),
    ),
    "Operations": (
        16,
        ("Operations Analyst", "Process Improvement Specialist", "Shift Manager", "Planner"),
        ("Operations Manager", "Continuous Improvement Lead", "Site Lead"),
        ("Director of Operations", "COO"),
        ("warehouse flow", "last-mile delivery", "clinic scheduling", "supplier quality"),
    ),
    "Sales": (
        9,
        ("Account Executive", "Sales Engineer", "Customer Success Manager"),
        ("Sales Manager", "Head of Customer Success"),
        ("VP Sales", "Chief Revenue Officer"),
        ("enterprise accounts", "renewals", "public-sector bids", "partnerships"),
    ),
    "People/HR": (
        7,
        ("People Partner", "Talent Acquisition Partner", "L&D Specialist"),
        ("People Operations Lead", "Head of Talent"),
        ("Chief People Officer", "VP People"),
        ("onboarding", "manager development", "hiring loops", "engagement surveys"),
    ),
    "Finance": (
        7,
        ("Financial Analyst", "FP&A Analyst", "Controller"),
        ("Finance Manager", "FP&A Lead"),
        ("CFO", "VP Finance"),
        ("budgeting", "unit economics", "procurement", "forecast accuracy"),
    ),
    "Marketing": (
        7,
        ("Growth Marketer", "Product Marketing Manager", "Content Strategist"),
        ("Marketing Manager", "Growth Lead"),
        ("CMO", "VP Marketing"),
        ("lifecycle e-mail", "positioning", "launches", "paid acquisition"),
    ),
}

# seniority value -> (weight, title prefix for everyday titles)
SENIORITIES: dict[str, tuple[int, str]] = {
    "early": (18, "Associate "),
    "mid": (35, ""),
    "senior": (27, "Senior "),
    "lead": (15, ""),
    "executive": (5, ""),
}

# fmt: off
FIRST_NAMES = (
    "Amara", "Liam", "Priya", "Mateo", "Sofia", "Kwame", "Hannah", "Ravi", "Elena", "Jonas",
    "Aisha", "Tomás", "Mei", "Oliver", "Fatima", "Lukas", "Chloe", "Arjun", "Ingrid", "Diego",
    "Yuki", "Noor", "Samuel", "Leila", "Marcus", "Ana", "Kenji", "Grace", "Emeka", "Freya",
    "Hiro", "Zara", "Daniel", "Ifeoma", "Nikolai", "Camila", "Tariq", "Lena", "Wei", "Rosa",
    "Adebayo", "Clara", "Vikram", "Maja", "Jamal", "Beatriz", "Sven", "Anika", "Omar", "Lucía",
    "Ethan", "Divya", "Felix", "Nadia", "Kofi", "Isabel", "Rahul", "Astrid", "Jun", "Esther",
    "Malik", "Sara", "Theo", "Ngozi", "Pablo", "Ayesha", "Henrik", "Lina", "Cheng", "Maryam",
    "Gabriel", "Kavya", "Rowan", "Yasmin", "Arnav", "Elif", "Ibrahim", "Julia", "Tendai", "Mira",
)
# fmt: on

# fmt: off
LAST_NAMES = (
    "Okafor", "Schmidt", "Sharma", "García", "Rossi", "Mensah", "Fischer", "Iyer", "Petrova",
    "Nakamura", "Haddad", "Andersen", "Chen", "Walker", "Khan", "Becker", "Dubois", "Patel",
    "Lindqvist", "Fernández", "Tanaka", "Rahman", "Osei", "Morales", "Novak", "Silva", "Kim",
    "O'Brien", "Adeyemi", "Larsen", "Wong", "Hussain", "Bauer", "Mukherjee", "Costa", "Yilmaz",
    "Eze", "Johansson", "Reddy", "Moreau", "Santos", "Nguyen", "Hoffmann", "Banerjee", "Murphy",
    "Abubakar", "Kowalski", "Lim", "Mwangi", "Ramírez", "Sato", "Ahmed", "Keller", "Das",
    "Bianchi", "Owusu", "Jensen", "Tan", "Farah", "Vogel", "Pillai", "Romero", "Park", "Nilsson",
    "Achebe", "Wagner", "Gupta", "Marín", "Ito", "Mahmoud", "Richter", "Chowdhury", "Lopes",
    "Kariuki", "Zhang", "Svensson", "Bhat", "Herrera", "Yusuf", "Schneider",
)
# fmt: on

# category -> skills (name, description)
SKILLS: dict[str, tuple[tuple[str, str], ...]] = {
    "Facilitation & coaching": (
        ("Facilitation", "Run a session to its timeboxes and get everyone heard."),
        ("Peer coaching", "Ask questions that help a peer find their own next step."),
        ("Behavioural feedback", "Give feedback as situation, behaviour, impact, next step."),
        ("Running retrospectives", "Turn what happened into two or three changes."),
    ),
    "Experimentation": (
        ("Experiment design", "Frame a change as a small, safe, time-bound test."),
        ("Hypothesis writing", "State what you expect, for whom, and how you will know."),
        ("A/B testing", "Split traffic or work fairly and read the result honestly."),
        ("Rapid prototyping", "Make something testable in days, not months."),
    ),
    "Data & evidence": (
        ("Data storytelling", "Lead an audience from a question to a decision with data."),
        ("SQL & analysis", "Pull and check the numbers yourself."),
        ("Metrics design", "Choose measures that move with the outcome you care about."),
        ("Forecasting", "Estimate ranges, not points, and revisit them."),
    ),
    "Influence & collaboration": (
        ("Stakeholder management", "Know who cares, what they need and when to involve them."),
        ("Negotiation", "Find the trade that both sides can live with."),
        ("Writing for decisions", "A one-page memo that gets a clear yes or no."),
        ("Cross-functional alignment", "Get engineering, ops and sales pulling the same way."),
    ),
    "Delivery & service": (
        ("Incident response", "Stabilise first, communicate often, learn without blame."),
        ("Process mapping", "Draw the work as it really flows, waits included."),
        ("Customer interviewing", "Learn what people do, not what they say they would do."),
        ("Service design", "Design the whole journey, front stage and back stage."),
    ),
    "Leadership": (
        ("Inclusive leadership", "Make room for every voice and notice who is missing."),
        ("Change management", "Help a team through a change it did not choose."),
    ),
}

# function -> skills its people tend to be strong in
FUNCTION_STRENGTHS: dict[str, tuple[str, ...]] = {
    "Engineering": ("Incident response", "Rapid prototyping", "SQL & analysis", "A/B testing"),
    "Product": (
        "Hypothesis writing",
        "Customer interviewing",
        "Stakeholder management",
        "Writing for decisions",
    ),
    "Design": ("Customer interviewing", "Service design", "Rapid prototyping", "Facilitation"),
    "Data": ("SQL & analysis", "Data storytelling", "Metrics design", "Forecasting"),
    "Operations": ("Process mapping", "Running retrospectives", "Metrics design", "Facilitation"),
    "Sales": ("Negotiation", "Stakeholder management", "Customer interviewing"),
    "People/HR": ("Peer coaching", "Behavioural feedback", "Inclusive leadership", "Facilitation"),
    "Finance": ("Forecasting", "SQL & analysis", "Writing for decisions", "Negotiation"),
    "Marketing": (
        "A/B testing",
        "Data storytelling",
        "Hypothesis writing",
        "Writing for decisions",
    ),
}

LEARNING_GOALS = (
    "experimentation",
    "data storytelling",
    "facilitation",
    "inclusive leadership",
    "reliability",
    "customer discovery",
    "stakeholder management",
    "pricing",
    "process improvement",
    "peer coaching",
    "metrics",
    "ai in operations",
    "remote collaboration",
    "negotiation",
    "service design",
    "change management",
    "writing",
    "forecasting",
    "accessibility",
    "incident response",
    "hiring",
    "onboarding",
)

FUNCTION_GOALS: dict[str, tuple[str, ...]] = {
    "Engineering": ("reliability", "incident response", "experimentation", "ai in operations"),
    "Product": ("customer discovery", "experimentation", "pricing", "stakeholder management"),
    "Design": ("accessibility", "service design", "customer discovery", "facilitation"),
    "Data": ("data storytelling", "metrics", "forecasting", "experimentation"),
    "Operations": ("process improvement", "ai in operations", "experimentation", "metrics"),
    "Sales": ("negotiation", "stakeholder management", "customer discovery", "pricing"),
    "People/HR": ("inclusive leadership", "peer coaching", "hiring", "onboarding"),
    "Finance": ("forecasting", "data storytelling", "pricing", "stakeholder management"),
    "Marketing": ("experimentation", "data storytelling", "customer discovery", "writing"),
}


@dataclass(frozen=True)
class Topic:
    """What a cohort works on. Every demo cohort is one of these, possibly repeated for
    another region."""

    name: str
    objective: str
    outcomes: tuple[str, ...]
    goals: tuple[str, ...]
    applications: tuple[str, ...]
    formats: tuple[str, ...]
    project_kinds: str
    mission_detail: str
    weekly_hours: float = 2.0
    cadence: str = "weekly"
    session_minutes: int = 60
    revisions: tuple[str, ...] = field(default=())


TOPICS: tuple[Topic, ...] = (
    Topic(
        name="Experimentation in Ops",
        objective=(
            "Run small, safe experiments in live operational workflows and cut cycle time "
            "where it matters to customers."
        ),
        outcomes=(
            "Every member runs two time-boxed experiments in their own operation",
            "Median order-to-dispatch time down 10% in at least three members' teams",
            "Four experiment write-ups in the network repository, failed ones included",
        ),
        goals=("experimentation", "process improvement", "metrics"),
        applications=(
            "test a pull-based replenishment trial in one warehouse aisle",
            "cut the handover time between night and day shifts",
            "run a two-week trial of a new triage rule for support tickets",
            "try a shorter stand-up format with the planning team",
        ),
        formats=("demo", "case", "coaching"),
        project_kinds="Changes to real workflows that one member can start within a week.",
        mission_detail="We learn by changing one thing at a time and measuring what happens.",
        revisions=("focus", "hours", "norm"),
    ),
    Topic(
        name="Data storytelling",
        objective=(
            "Turn analyses into decisions: every member presents one data story to a "
            "senior audience and gets a clear decision from it."
        ),
        outcomes=(
            "Each member gives one decision memo with a chart to a real audience",
            "Stakeholder rating of clarity at 4 of 5 or better",
            "A shared template for one-page data stories",
        ),
        goals=("data storytelling", "metrics", "writing"),
        applications=(
            "rebuild the monthly ops review around three questions instead of forty charts",
            "present the churn analysis as a one-page decision memo",
            "replace the KPI dashboard tour with a story about one customer segment",
        ),
        formats=("workshop", "skill_share", "demo"),
        project_kinds="Analyses members already owe someone, reworked as stories.",
        mission_detail="A chart is only finished when someone decides something because of it.",
        session_minutes=75,
        revisions=("formats",),
    ),
    Topic(
        name="Inclusive leadership",
        objective=(
            "Make team meetings and decisions fairer: notice who is not heard and change "
            "one habit at a time."
        ),
        outcomes=(
            "Speaking time in members' team meetings measured before and after",
            "Each member changes one recurring meeting format",
            "Team survey item 'my ideas are heard' up by 0.5 points",
        ),
        goals=("inclusive leadership", "peer coaching", "hiring"),
        applications=(
            "rotate who opens our weekly planning meeting",
            "rewrite the job ad for the next analyst hire with the cohort's checklist",
            "try silent brainstorming before decisions in my leadership team",
        ),
        formats=("coaching", "case", "reading"),
        project_kinds="Habits in meetings, hiring and feedback that members control.",
        mission_detail="We practise on our own teams first and report honestly on what changed.",
        cadence="biweekly",
        weekly_hours=1.5,
        revisions=("norm", "hours"),
    ),
    Topic(
        name="Platform reliability",
        objective="Cut incident recovery time by sharing what works across our platforms.",
        outcomes=(
            "Median time to recover under 30 minutes for members' services",
            "Every member runs one game day with their team",
            "A shared library of five blameless post-incident reviews",
        ),
        goals=("reliability", "incident response", "metrics"),
        applications=(
            "run a game day on the order service failover",
            "introduce a severity guide for the on-call rota",
            "write the first blameless review template for my team",
        ),
        formats=("demo", "case", "hackathon"),
        project_kinds="Game days, runbooks and post-incident reviews from members' services.",
        mission_detail="Every incident is a lesson the whole network can use.",
        revisions=("focus", "formats"),
    ),
    Topic(
        name="Customer discovery",
        objective=(
            "Talk to customers every week and let what we learn change at least one "
            "roadmap decision per member."
        ),
        outcomes=(
            "Five customer interviews per member per month",
            "One roadmap decision per member traced to interview evidence",
            "An interview guide reused by at least two other teams",
        ),
        goals=("customer discovery", "service design", "experimentation"),
        applications=(
            "interview five dispatchers about how they plan a bad-weather day",
            "test the new onboarding flow with three clinic managers",
            "run a fake-door test for the bulk-ordering feature",
        ),
        formats=("workshop", "demo", "coaching"),
        project_kinds="Interview series and small tests on live product questions.",
        mission_detail="We would rather be surprised early than wrong late.",
        revisions=(),
    ),
    Topic(
        name="Stakeholder management for new leads",
        objective=(
            "Help first-time leads map their stakeholders and get one stuck decision moving."
        ),
        outcomes=(
            "Each member maps stakeholders for one live initiative",
            "One stalled decision per member unblocked within six weeks",
            "Peer rating of 'I know who to involve and when' up by one point",
        ),
        goals=("stakeholder management", "negotiation", "writing"),
        applications=(
            "map the stakeholders of the carrier contract renewal",
            "get finance and ops to agree on the returns policy trial",
            "write a one-page decision memo for the tooling budget",
        ),
        formats=("case", "coaching", "skill_share"),
        project_kinds="Live initiatives where a decision is stuck.",
        mission_detail="Influence is a skill we can practise, not a personality trait.",
        cadence="biweekly",
        revisions=("hours",),
    ),
    Topic(
        name="Facilitation craft",
        objective="Make every member a confident facilitator of workshops and retrospectives.",
        outcomes=(
            "Each member facilitates three sessions with written feedback",
            "Average participant rating of sessions at 4 of 5 or better",
            "A shared deck of ten tested workshop formats",
        ),
        goals=("facilitation", "remote collaboration", "peer coaching"),
        applications=(
            "run our quarterly planning as a two-hour remote workshop",
            "facilitate the first cross-team retrospective on the migration",
            "replace the status meeting with a 25-minute check-in format",
        ),
        formats=("workshop", "coaching", "skill_share"),
        project_kinds="Meetings and workshops members already have to run.",
        mission_detail="We rotate facilitation so everyone practises in a safe room first.",
        revisions=("norm",),
    ),
    Topic(
        name="Pricing experiments",
        objective="Learn to test price and packaging changes safely and read the results.",
        outcomes=(
            "Each member designs one pricing or packaging test",
            "Two tests run in production with agreed guardrails",
            "A pricing-test checklist adopted by finance and product",
        ),
        goals=("pricing", "experimentation", "forecasting"),
        applications=(
            "test a delivery-window surcharge in one region",
            "try annual-plan framing on the renewal page",
            "model the revenue risk of a free tier before we test it",
        ),
        formats=("case", "demo", "workshop"),
        project_kinds="Pricing and packaging questions the business is asking now.",
        mission_detail="Price is a hypothesis; we test it as carefully as any other.",
        session_minutes=45,
        revisions=("focus", "hours"),
    ),
    Topic(
        name="Forecasting for finance partners",
        objective="Make forecasts that operations trusts: ranges, not points, revisited monthly.",
        outcomes=(
            "Forecast error on members' key lines down 20%",
            "Every forecast shared with a range and its assumptions",
            "A monthly forecast review ritual in three members' teams",
        ),
        goals=("forecasting", "metrics", "data storytelling"),
        applications=(
            "rebuild the volume forecast with ranges for peak season",
            "share assumptions alongside the headcount forecast",
        ),
        formats=("workshop", "case"),
        project_kinds="Forecasts members own or consume every month.",
        mission_detail="A forecast is a conversation, not a number.",
        cadence="biweekly",
        revisions=("formats",),
    ),
    Topic(
        name="Accessible product design",
        objective="Find and fix the accessibility barriers that stop real people using our products.",
        outcomes=(
            "Each member audits one journey with assistive technology",
            "Ten barriers fixed and verified with users",
            "An accessibility checklist used in design reviews",
        ),
        goals=("accessibility", "service design", "customer discovery"),
        applications=(
            "audit the appointment booking journey with a screen reader",
            "add keyboard checks to our design review",
        ),
        formats=("workshop", "demo", "reading"),
        project_kinds="Journeys members' teams own.",
        mission_detail="We test with people, not only with tools.",
        revisions=("norm",),
    ),
    Topic(
        name="Change management in practice",
        objective="Help teams through changes they did not choose, with less churn and rework.",
        outcomes=(
            "Each member runs a change-readiness check on one live change",
            "Rework during rollouts down in three members' teams",
        ),
        goals=("change management", "stakeholder management", "onboarding"),
        applications=(
            "plan the rollout of the new rostering system with the site leads",
            "run a readiness survey before the finance system switch",
        ),
        formats=("case", "coaching"),
        project_kinds="Changes that are already on members' calendars.",
        mission_detail="People support what they help to shape.",
        cadence="biweekly",
        revisions=("hours",),
    ),
    Topic(
        name="AI in everyday operations",
        objective="Try AI assistants on real operational tasks and keep what measurably helps.",
        outcomes=(
            "Each member trials one assistant on a recurring task for four weeks",
            "Time saved and error rate measured for every trial",
            "A shared register of what worked, what did not and why",
        ),
        goals=("ai in operations", "process improvement", "experimentation"),
        applications=(
            "draft supplier follow-ups with an assistant and measure the rework",
            "summarise incident timelines automatically and check them by hand",
        ),
        formats=("demo", "hackathon", "case"),
        project_kinds="Recurring tasks with a measurable cost today.",
        mission_detail="We measure before we believe.",
        revisions=("focus",),
    ),
)

LEARNING_STATEMENTS = (
    "I will {application} and report the before-and-after numbers to my team.",
    "By the end of the cohort I want to {application}; my manager has agreed to it.",
    "This will show up in my work when I {application}.",
    "I plan to {application}, then share what I learned with the cohort.",
    "My project: {application}. Success is my team asking to keep doing it.",
)

BASE_NORMS = (
    "Start and end on time; tell the cohort a day ahead if you cannot come.",
    "What is said here stays here unless the person who said it agrees.",
    "Bring one real problem or result to every session.",
    "Feedback is about what someone did and its effect.",
)

EXTRA_NORMS = (
    "Cameras on when you can; say so in the chat when you cannot.",
    "Failed experiments are demoed too.",
    "Every session ends with written commitments.",
    "Nobody speaks twice before everyone has spoken once.",
)

FOCUS_SUFFIXES = (
    "This quarter we narrow the focus to work that customers notice within a week.",
    "After the first month we agreed to favour smaller experiments we can finish.",
    "We now pair every experiment with a measure the team already reports.",
)

REGIONS = {
    "Europe": ("Europe/London", "Europe/Berlin", "Europe/Paris", "Europe/Madrid"),
    "Americas": ("America/New_York", "America/Chicago", "America/Los_Angeles", "America/Toronto"),
    "Asia-Pacific": ("Asia/Singapore", "Asia/Kolkata", "Australia/Sydney", "Asia/Dubai"),
}


def region_of(time_zone: str) -> str:
    for region, zones in REGIONS.items():
        if time_zone in zones:
            return region
    if time_zone.startswith(("Europe/", "Africa/")):
        return "Europe"
    if time_zone.startswith("America/"):
        return "Americas"
    return "Asia-Pacific"


@dataclass(frozen=True)
class FixedPerson:
    """One of the demo log-ins. `key` names the part they play."""

    key: str
    email: str
    name: str
    role: str  # network role
    function: str
    seniority: str
    organization: str
    time_zone: str
    title: str
    goals: tuple[str, ...]
    sees: str


FIXED_PEOPLE: tuple[FixedPerson, ...] = (
    FixedPerson(
        "admin",
        "admin@demo.cadre.test",
        "Adaeze Okafor",
        "admin",
        "People/HR",
        "executive",
        "Lumen Freight",
        "Europe/London",
        "Head of Learning",
        ("facilitation", "inclusive leadership"),
        "everything in Northwind (network admin) and Django admin at /admin/",
    ),
    FixedPerson(
        "organizer",
        "organizer@demo.cadre.test",
        "Oliver Grant",
        "organizer",
        "Operations",
        "lead",
        "Quillstone Software",
        "Europe/Berlin",
        "Community & Programmes Lead",
        ("facilitation", "metrics", "change management"),
        "every Northwind cohort, the directory, invitations",
    ),
    FixedPerson(
        "facilitator",
        "facilitator@demo.cadre.test",
        "Farid Haddad",
        "member",
        "Operations",
        "senior",
        "Lumen Freight",
        "Europe/London",
        "Senior Operations Manager",
        ("experimentation", "facilitation", "process improvement"),
        "hosts “Experimentation in Ops” (charter review due); shared cohorts",
    ),
    FixedPerson(
        "member",
        "member@demo.cadre.test",
        "Mina Park",
        "member",
        "Data",
        "mid",
        "Ostara Foods",
        "Europe/Berlin",
        "Data Analyst",
        ("experimentation", "data storytelling"),
        "member of “Experimentation in Ops”; shared cohorts; the directory",
    ),
    FixedPerson(
        "newcomer",
        "newcomer@demo.cadre.test",
        "Noah Becker",
        "member",
        "Engineering",
        "early",
        "Cobalt Mobility",
        "Europe/Berlin",
        "Associate Platform Engineer",
        ("experimentation", "reliability"),
        "just joined “Experimentation in Ops”; must accept code of conduct v2 first",
    ),
    FixedPerson(
        "mentor",
        "mentor@demo.cadre.test",
        "Grace Mensah",
        "mentor",
        "Product",
        "executive",
        "Kestrel Institute of Technology",
        "America/New_York",
        "Visiting Professor of Product Practice",
        ("peer coaching", "customer discovery"),
        "the Northwind directory and cohorts shared with the network",
    ),
)

OUTSIDER = FixedPerson(
    "outsider",
    "outsider@demo.cadre.test",
    "Selin Arslan",
    "member",
    "Operations",
    "lead",
    "Arslan Build Partners",
    "Europe/London",
    "Principal Surveyor",
    ("estimating", "client briefs"),
    "only Southgate Guild and its cohort; Northwind answers 404",
)

SOUTHGATE_PEOPLE = (
    ("Tom Ashworth", "Ashworth Joinery", "Master Joiner"),
    ("Priti Chauhan", "Chauhan Architects", "Architect"),
    ("Gareth Pryce", "Pryce & Daughters Building", "Site Manager"),
    ("Helen Marsh", "Marsh Surveying", "Chartered Surveyor"),
    ("Kemi Adebayo", "Adebayo Interiors", "Interior Designer"),
    ("Ruth Okoro", "Okoro Structural", "Structural Engineer"),
    ("Dan Whitlock", "Whitlock Roofing", "Roofing Contractor"),
)

SOUTHGATE_SKILLS = (
    ("Estimating", "Trade"),
    ("Client briefs", "Practice"),
    ("Site surveying", "Trade"),
    ("Planning applications", "Practice"),
)
