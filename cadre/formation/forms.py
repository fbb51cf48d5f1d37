"""The formation pages' forms. They read what was sent and show what was refused; the rules
are the services' (services.py, proposals.py, publishing.py, criteria.py) and the models'."""

from typing import Any, TypedDict

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadre.accounts.models import User
from cadre.cohorts.forms import PersonChoiceField
from cadre.lib import markdown
from cadre.lib.dates import validate_date_in_range
from cadre.lib.rules import Refused, show_on_form
from cadre.networks.models import Network, Skill
from cadre.people.models import GOALS_HELP, HOURS_PER_WEEK, SkillLevel, parse_goals

from . import criteria as choices
from .criteria import Criteria, CriteriaProblem
from .models import (
    MAX_ANSWER_LENGTH,
    MAX_RUN_SECONDS,
    MAX_SESSION_MINUTES,
    MIN_RUN_SECONDS,
    MIN_SESSION_MINUTES,
    Application,
    Intake,
    answer_problems,
)
from .services import IntakeValues

# The intake's own fields on the form, as the model defines them.
INTAKE_MODEL_FIELDS = [
    "title",
    "slug",
    "description",
    "objective",
    "opens_on",
    "closes_on",
    "min_size",
    "max_size",
    "session_minutes",
]


class IntakeForm(forms.Form):
    """An intake: what it is for, its questions (one per line), its dates and cohort sizes.
    services.create_intake and update_intake check and save what it reads (`values()`)."""

    questions_text = forms.CharField(
        label=_("Questions for applicants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line, e.g. “What would you like to change in your work?”"),
    )
    target_skills = forms.MultipleChoiceField(
        label=_("Skills each cohort should cover"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to use every skill of the network."),
    )

    def __init__(
        self, *args: Any, network: Network, intake: Intake | None = None, **kwargs: Any
    ) -> None:
        if intake is not None:
            kwargs.setdefault(
                "initial",
                {
                    **model_to_dict(intake, fields=INTAKE_MODEL_FIELDS),
                    "questions_text": "\n".join(intake.questions),
                    "target_skills": list(intake.target_skills),
                },
            )
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Intake,
                fields=INTAKE_MODEL_FIELDS,
                labels={
                    "title": gettext("Title"),
                    "slug": gettext("Short name for links"),
                    "description": gettext("Description"),
                    "objective": gettext("Objective"),
                    "opens_on": gettext("Opens on"),
                    "closes_on": gettext("Closes on"),
                    "min_size": gettext("Smallest cohort"),
                    "max_size": gettext("Largest cohort"),
                    "session_minutes": gettext("Session length (minutes)"),
                },
                help_texts={"description": str(markdown.HELP_TEXT)},
                widgets={
                    "description": forms.Textarea(attrs={"rows": 3}),
                    "objective": forms.Textarea(attrs={"rows": 2}),
                    "opens_on": forms.DateInput(attrs={"type": "date"}),
                    "closes_on": forms.DateInput(attrs={"type": "date"}),
                },
            )
        )
        target_skills = self.fields["target_skills"]
        assert isinstance(target_skills, forms.MultipleChoiceField)
        target_skills.choices = [(s.slug, s.name) for s in Skill.objects.filter(network=network)]
        self.order_fields(["title", "slug", "description", "objective", "questions_text"])

    def clean_questions_text(self) -> list[str]:
        text = self.cleaned_data["questions_text"]
        return [q for q in (" ".join(line.split()) for line in text.splitlines()) if q]

    def values(self) -> IntakeValues:
        data = self.cleaned_data
        return IntakeValues(
            title=data["title"],
            slug=data["slug"],
            description=data["description"],
            objective=data["objective"],
            questions=data["questions_text"],
            target_skills=list(data["target_skills"]),
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            min_size=data["min_size"],
            max_size=data["max_size"],
            session_minutes=data["session_minutes"],
        )

    def show(self, refusal: Refused) -> None:
        """The service's refusal on this form, whose `questions_text` is its `questions`."""
        fields = {
            ("questions_text" if name == "questions" else name): messages
            for name, messages in (refusal.fields or {}).items()
        }
        show_on_form(self, Refused(refusal.message, fields=fields or None, kind=refusal.kind))


def skill_field_name(skill: Skill) -> str:
    return f"skill_{skill.slug}"


def answer_field_name(index: int) -> str:
    return f"answer_{index}"


class ApplicationValues(TypedDict):
    """What the application form read, as services.save_application takes it."""

    goals: list[str]
    availability: list[int]
    time_zone: str
    skills: dict[str, int]
    answers: dict[str, str]
    statement: str


class ApplicationForm(forms.Form):
    """An application: learning goals, weekly availability, this network's skills and the
    intake's questions. Prefilled from the profile for a first application. Its hours are in
    the application's time zone (the profile's for a first one), which `values()` passes on;
    services.save_application checks and saves them."""

    goals = forms.CharField(
        label=_("Learning goals"),
        required=False,
        max_length=1000,
        help_text=GOALS_HELP,
    )
    availability = forms.TypedMultipleChoiceField(
        label=_("When you can meet"),
        required=False,
        coerce=int,
        choices=[(str(h), str(h)) for h in range(HOURS_PER_WEEK)],
        widget=forms.CheckboxSelectMultiple,
    )
    statement = forms.CharField(
        label=_("Why you are applying"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_ANSWER_LENGTH}),
        help_text=_("And how the learning will show up in your work, in a sentence or two."),
    )

    def __init__(
        self,
        *args: Any,
        intake: Intake,
        user: User,
        application: Application | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.intake = intake
        self.skills = list(Skill.objects.filter(network_id=intake.network_id))
        profile = getattr(user, "profile", None)
        if application is not None:
            goals, availability = application.goals, application.availability
            levels = dict(application.skills)
            self.time_zone = application.time_zone
            answers = application.answers
            self.fields["statement"].initial = application.statement
        else:
            goals = profile.learning_goals if profile else []
            availability = profile.availability if profile else []
            levels = {
                r.skill.slug: r.level
                for r in (
                    profile.skills.filter(skill__network_id=intake.network_id).select_related(
                        "skill"
                    )
                    if profile
                    else []
                )
            }
            self.time_zone = profile.time_zone if profile else "UTC"
            answers = {}
        self.fields["goals"].initial = ", ".join(goals)
        self.fields["availability"].initial = list(availability)
        levels_shown = [("", _("not rated"))] + [(str(v), label) for v, label in SkillLevel.choices]
        for skill in self.skills:
            self.fields[skill_field_name(skill)] = forms.TypedChoiceField(
                label=skill.name,
                required=False,
                choices=levels_shown,
                coerce=int,
                empty_value=None,
                initial=levels.get(skill.slug),
            )
        for index, question in enumerate(intake.questions):
            self.fields[answer_field_name(index)] = forms.CharField(
                label=question,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_ANSWER_LENGTH}),
                initial=answers.get(question, ""),
            )

    def skill_fields(self) -> list[forms.BoundField]:
        return [self[skill_field_name(s)] for s in self.skills]

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[answer_field_name(i)] for i in range(len(self.intake.questions))]

    def clean_goals(self) -> list[str]:
        return parse_goals(self.cleaned_data["goals"])

    def clean(self) -> dict[str, Any]:
        """Each answer's problems (models.answer_problems, which the service checks too)
        beside its question."""
        super().clean()
        answers = {
            question: self.cleaned_data.get(answer_field_name(index)) or ""
            for index, question in enumerate(self.intake.questions)
        }
        for question, messages in answer_problems(self.intake.questions, answers).items():
            index = self.intake.questions.index(question)
            for message in messages:
                self.add_error(answer_field_name(index), message)
        return self.cleaned_data

    def values(self) -> ApplicationValues:
        data = self.cleaned_data
        return ApplicationValues(
            goals=data["goals"],
            availability=data["availability"],
            time_zone=self.time_zone,
            skills={
                s.slug: data[skill_field_name(s)]
                for s in self.skills
                if data.get(skill_field_name(s)) is not None
            },
            answers={q: data[answer_field_name(i)] for i, q in enumerate(self.intake.questions)},
            statement=data["statement"],
        )


def importance_field_name(part: str) -> str:
    return f"importance_{part}"


class RunForm(forms.Form):
    """A formation run: how long to search, the seed, and what the cohorts are formed for
    (criteria.py). Choices left out of the request keep those of `start`."""

    seconds = forms.FloatField(
        label=_("Time to search (seconds)"),
        initial=10,
        min_value=MIN_RUN_SECONDS,
        max_value=MAX_RUN_SECONDS,
        help_text=_("Longer searches find better cohorts for large intakes."),
    )
    seed = forms.IntegerField(
        label=_("Seed"),
        initial=0,
        min_value=0,
        max_value=2**31 - 1,
        help_text=_("Change the seed to see a different proposal."),
    )
    require_common_slot = forms.BooleanField(
        label=_("Every cohort must be able to meet"),
        required=False,
        help_text=_(
            "Only cohorts whose members all share an hour of the week for a whole session."
        ),
    )
    session_minutes = forms.IntegerField(
        label=_("Session length (minutes)"),
        required=False,
        min_value=MIN_SESSION_MINUTES,
        max_value=MAX_SESSION_MINUTES,
    )

    def __init__(self, *args: Any, intake: Intake, start: Criteria, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.intake = intake
        self.start = start
        self.fields["require_common_slot"].initial = start.require_common_slot
        self.fields["session_minutes"].initial = start.session_minutes
        for part in choices.PARTS:
            self.fields[importance_field_name(part)] = forms.ChoiceField(
                label=choices.PART_LABELS[part],
                help_text=choices.PART_HELP[part],
                choices=choices.Importance.choices,
                widget=forms.RadioSelect,
                required=False,
                initial=start.importance[part],
            )

    def importance_fields(self) -> list[forms.BoundField]:
        return [self[importance_field_name(part)] for part in choices.PARTS]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if self.errors:
            return data
        importance = {
            part: data[importance_field_name(part)]
            for part in choices.PARTS
            if data.get(importance_field_name(part))
        }
        try:
            data["criteria"] = choices.build(
                self.intake,
                importance=importance,
                require_common_slot=bool(data.get("require_common_slot")),
                session_minutes=data.get("session_minutes"),
                start=self.start,
            )
        except CriteriaProblem as problem:
            for name, messages in (problem.fields or {}).items():
                if name.startswith("importance."):
                    name = importance_field_name(name.split(".", 1)[1])
                self.add_error(name if name in self.fields else None, messages)
        return data


class MoveForm(forms.Form):
    application = forms.IntegerField(min_value=1)
    cohort = forms.IntegerField(min_value=1, label=_("Move to cohort"))


class LockForm(forms.Form):
    application = forms.IntegerField(min_value=1)
    locked = forms.BooleanField(required=False)


def detail_field_name(field: str, number: int) -> str:
    return f"{field}_{number}"


class PublishForm(forms.Form):
    """Each proposed cohort's name, host and time zone, prefilled with the suggestions, and
    the confirmation that cohorts which cannot meet are published anyway. The rules are
    publishing.check_details'; the view puts its problems on these fields."""

    # Sent only by the "Publish anyway" button of the confirmation step.
    confirm = forms.BooleanField(required=False)

    def __init__(
        self,
        *args: Any,
        cohorts: Any,
        suggested: dict[int, Any],
        hosts: dict[int, list[Any]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cohorts = list(cohorts)
        self.suggested = suggested
        for cohort in self.cohorts:
            n = cohort.number
            hint = suggested[n]
            members = {m.user_id for m in cohort.members}
            people = [(str(u.pk), u.name or u.email) for u in hosts[n] if u.pk in members]
            organizers = [(str(u.pk), u.name or u.email) for u in hosts[n] if u.pk not in members]
            self.fields[detail_field_name("name", n)] = forms.CharField(
                label=_("Name"),
                max_length=120,
                required=False,
                initial=hint.name,
            )
            self.fields[detail_field_name("host", n)] = forms.TypedChoiceField(
                label=_("Host"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[("", _("No host yet"))]
                + [
                    (group, options)
                    for group, options in (
                        (_("Members of this cohort"), people),
                        (_("Organizers"), organizers),
                    )
                    if options
                ],
            )
            self.fields[detail_field_name("time_zone", n)] = forms.CharField(
                label=_("Time zone"),
                max_length=64,
                required=False,
                initial=hint.time_zone,
                widget=forms.TextInput(attrs={"list": "time-zones", "autocomplete": "off"}),
            )

    def rows(self) -> list[tuple[Any, Any, list[forms.BoundField]]]:
        """(cohort, its suggestion, its name, host and time zone fields) per cohort."""
        return [
            (
                cohort,
                self.suggested[cohort.number],
                [self[detail_field_name(f, cohort.number)] for f in ("name", "host", "time_zone")],
            )
            for cohort in self.cohorts
        ]

    def details(self) -> dict[int, Any]:
        from .publishing import CohortDetails

        data = self.cleaned_data
        return {
            c.number: CohortDetails(
                name=data.get(detail_field_name("name", c.number)) or "",
                host=data.get(detail_field_name("host", c.number)),
                time_zone=data.get(detail_field_name("time_zone", c.number)) or "",
            )
            for c in self.cohorts
        }

    def add_problems(self, problems: dict[int, dict[str, list[str]]]) -> None:
        for number, fields in problems.items():
            for field, messages in fields.items():
                name = detail_field_name(field, number)
                self.add_error(name if name in self.fields else None, messages)


class WaitlistAddForm(forms.Form):
    """Someone of the network to put at the end of an intake's waitlist."""

    person = PersonChoiceField(
        queryset=None,
        label=_("Person"),
        empty_label=_("Choose someone"),
        error_messages={"required": _("Choose who to put on the waitlist.")},
    )
    why = forms.CharField(
        max_length=200,
        required=False,
        label=_("Why (optional)"),
        help_text=_("Shown on the waitlist."),
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, PersonChoiceField)
        field.queryset = people


class NextIntakeForm(forms.Form):
    """The next intake's title, address and dates; the rest is copied from the last one."""

    title = forms.CharField(max_length=120, label=_("Title"))
    slug = forms.SlugField(max_length=60, label=_("Address (slug)"))
    opens_on = forms.DateField(
        label=_("Opens on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
    closes_on = forms.DateField(
        label=_("Closes on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[validate_date_in_range],
    )
