"""Writing an entry, and filtering the lists. The entry form is used by the pages and, with the
same rules and messages, by the API (cadre.api.routers.journal)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.formats import date_format
from django.utils.text import format_lazy, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadre.lib import markdown
from cadre.networks.models import Network

from . import policy
from .models import (
    BODY_TOO_LONG,
    MAX_BODY_CHARS,
    MAX_TAGS,
    JournalEntry,
    JournalTag,
    JournalVisibility,
)

MAX_TAG_CHARS = 40
LINKS = ("session", "experiment", "commitment")


def parse_tags(text: str) -> list[str]:
    """ "Incident Review, on-call ,on-call" -> ["incident-review", "on-call"]. Raises a
    ValidationError naming the tag that cannot be used."""
    tags: list[str] = []
    for raw in text.split(","):
        raw = raw.strip()
        if not raw:
            continue
        tag = slugify(raw.lower())
        if not tag:
            raise forms.ValidationError(
                _("“%(tag)s” has no letters or digits to make a tag from.") % {"tag": raw}
            )
        if len(tag) > MAX_TAG_CHARS:
            raise forms.ValidationError(
                _("“%(tag)s” is too long for a tag: at most %(count)s characters.")
                % {"tag": raw[:50], "count": MAX_TAG_CHARS}
            )
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise forms.ValidationError(
            _("Use at most %(most)s tags; you gave %(count)s.")
            % {"most": MAX_TAGS, "count": len(tags)}
        )
    return tags


class SessionChoiceField(forms.ModelChoiceField):
    """A session named by its cohort, its label and its day."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.cohort.name}: {obj.label}, {date_format(obj.starts_at, 'j M Y')}"


class JournalEntryForm(forms.ModelForm):
    """An entry by `instance.author` in `instance.network`. Every choice is limited to what the
    author may use: their visibilities, the cohorts they are an active member of, the sessions
    of those cohorts and the experiments and commitments they may see there, the network's
    skills, and the network's people to share with. When no cohort is chosen and the entry is
    tied to something, the cohort is that thing's."""

    tags = forms.CharField(
        required=False,
        max_length=1000,
        label=gettext_lazy("Tags"),
        help_text=format_lazy(
            gettext_lazy("Comma-separated, at most {count}, e.g. “incident review, on-call”."),
            count=MAX_TAGS,
        ),
    )

    field_order = ["title", "body", "tags", "visibility"]

    class Meta:
        model = JournalEntry
        fields = [
            "title",
            "body",
            "visibility",
            "cohort",
            "session",
            "experiment",
            "commitment",
            "skills",
            "shared_with",
        ]
        labels = {
            "title": gettext_lazy("Title"),
            "body": gettext_lazy("Entry"),
            "visibility": gettext_lazy("Who can read it"),
            "cohort": gettext_lazy("Cohort"),
            "session": gettext_lazy("Session"),
            "experiment": gettext_lazy("Experiment"),
            "commitment": gettext_lazy("Commitment"),
            "skills": gettext_lazy("Skills"),
            "shared_with": gettext_lazy("Also share with"),
        }
        help_texts = {
            "body": markdown.HELP_TEXT,
            "shared_with": gettext_lazy(
                "People of this network who may read it whatever its visibility: "
                "your mentor, a coach, a host."
            ),
        }
        field_classes = {"session": SessionChoiceField}
        widgets = {
            "body": forms.Textarea(attrs={"rows": 12}),
            "visibility": forms.RadioSelect,
            "skills": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, share_choices: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        entry: JournalEntry = self.instance
        author, network = entry.author, entry.network
        allowed = policy.journal_visibilities(author, network)
        visibility = self.fields["visibility"]
        assert isinstance(visibility, forms.ChoiceField)
        visibility.choices = [
            (value, label) for value, label in JournalVisibility.choices if value in allowed
        ]
        visibility.error_messages["invalid_choice"] = _(
            "Choose who can read it: %(choices)s (partners keep private entries)."
        ) % {"choices": ", ".join(allowed)}
        body = self.fields["body"]
        assert isinstance(body, forms.CharField)
        body.max_length = MAX_BODY_CHARS
        body.validators.append(_max_length(MAX_BODY_CHARS, BODY_TOO_LONG))
        cohort = self.fields["cohort"]
        assert isinstance(cohort, forms.ModelChoiceField)
        cohort.queryset = policy.journal_cohorts(author, network).order_by("name")
        cohort.to_field_name = "slug"
        cohort.empty_label = _("None")
        cohort.error_messages["invalid_choice"] = _(
            "Choose one of the cohorts you are a member of."
        )
        links = policy.journal_link_choices(author, network)
        messages = {
            "session": _("Choose a session of one of your cohorts."),
            "experiment": _("Choose an experiment of one of your cohorts that you may see."),
            "commitment": _("Choose a commitment of one of your cohorts that you may see."),
        }
        for name in LINKS:
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = links[name].select_related("cohort").order_by("-pk")
            field.empty_label = _("None")
            field.error_messages["invalid_choice"] = messages[name]
        skills = self.fields["skills"]
        assert isinstance(skills, forms.ModelMultipleChoiceField)
        kept = self.instance.skills.values("pk") if self.instance.pk else ()
        skills.queryset = network.skills.offered(kept).order_by("category", "name")
        skills.to_field_name = "slug"
        # %(value)s is Django's, filled in when the choice is refused.
        skills.error_messages["invalid_choice"] = _(
            "Choose skills of %(network)s: “%%(value)s” is not one of them."
        ) % {"network": network.name}
        people = self.fields["shared_with"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        people.queryset = (
            get_user_model()
            .objects.filter(network_memberships__network=network)
            .exclude(pk=author.pk)
        )
        people.error_messages["invalid_choice"] = _(
            "Share only with people of %(network)s: %%(value)s is not one of them."
        ) % {"network": network.name}
        people.error_messages["invalid_pk_value"] = _("“%(pk)s” is not a person’s id.")
        # Validation accepts anyone in the network; the page offers the people the author
        # works with, so a network of thousands does not become a select of thousands.
        if share_choices is not None:
            people.widget.choices = [(p.pk, p.name or p.email) for p in share_choices]
        if entry.pk:
            self.initial.setdefault("tags", ", ".join(t.name for t in entry.tags.all()))
            self.initial["cohort"] = entry.cohort

    def clean_tags(self) -> list[str]:
        return parse_tags(self.cleaned_data.get("tags") or "")

    def clean(self) -> dict[str, Any]:
        """Take the cohort from what the entry is tied to when none was chosen. The model's
        own clean() then checks that the links belong to the cohort and that a cohort entry
        has one, with messages naming the field."""
        super().clean()
        data = self.cleaned_data
        linked = [data[name] for name in LINKS if data.get(name) is not None]
        if data.get("cohort") is None and linked and "cohort" not in self.errors:
            data["cohort"] = linked[0].cohort
        return data

    def save(self, commit: bool = True) -> JournalEntry:
        """Save the entry, its tags, skills and readers together (the caller wraps this in a
        transaction)."""
        from django.utils import timezone

        entry = super().save(commit=False)
        if entry.pk:
            entry.updated_at = timezone.now()
        if commit:
            entry.save()
            self.save_m2m()
            entry.tags.exclude(name__in=self.cleaned_data["tags"]).delete()
            have = set(entry.tags.values_list("name", flat=True))
            JournalTag.objects.bulk_create(
                [
                    JournalTag(entry=entry, name=name)
                    for name in self.cleaned_data["tags"]
                    if name not in have
                ]
            )
        return entry


def _max_length(limit: int, message: Any) -> Any:
    from django.core.validators import MaxLengthValidator

    return MaxLengthValidator(limit, message=message)


class JournalFilterForm(forms.Form):
    """The filters of the lists: a tag, a skill, a cohort and (network journal) an author."""

    tag = forms.CharField(required=False, max_length=MAX_TAG_CHARS, label=gettext_lazy("Tag"))
    skill = forms.ChoiceField(required=False, label=gettext_lazy("Skill"))
    cohort = forms.ChoiceField(required=False, label=gettext_lazy("Cohort"))
    author = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, network: Network, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        skill, cohort = self.fields["skill"], self.fields["cohort"]
        assert isinstance(skill, forms.ChoiceField) and isinstance(cohort, forms.ChoiceField)
        skill.choices = [("", gettext_lazy("Any skill"))] + [
            (s.slug, s.name) for s in network.skills.order_by("name")
        ]
        cohort.choices = [("", gettext_lazy("Any cohort"))] + [
            (c.slug, c.name) for c in cohorts.order_by("name")
        ]

    def clean_tag(self) -> str:
        return slugify((self.cleaned_data.get("tag") or "").lower())

    def apply(self, entries: Any) -> Any:
        """`entries` narrowed to what the valid filters ask for (invalid ones are ignored)."""
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data.get("tag"):
            entries = entries.filter(tags__name=data["tag"])
        if data.get("skill"):
            entries = entries.filter(skills__slug=data["skill"])
        if data.get("cohort"):
            entries = entries.filter(cohort__slug=data["cohort"])
        if data.get("author"):
            entries = entries.filter(author_id=data["author"])
        return entries

    @property
    def filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())
