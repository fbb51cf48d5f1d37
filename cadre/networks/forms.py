from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cadre.lib import markdown
from cadre.lib.rules import Refused
from cadre.networks.models import Invitation, Network, Role, Skill
from cadre.networks.policy import can_administer_network
from cadre.networks.services import check_invitee
from cadre.people.models import Profile, ProfileQuerySet, SkillLevel


def _distinct_values(profiles: QuerySet[Profile], field: str) -> list[str]:
    values = (
        profiles.exclude(**{field: ""}).order_by(field).values_list(field, flat=True).distinct()
    )
    return sorted(set(values), key=str.casefold)


class DirectoryFilterForm(forms.Form):
    """The directory's filters. Choices come from the network itself: its skill taxonomy and
    the functions and organizations its members gave."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Name, headline, organization…")}
        ),
    )
    skill = forms.ChoiceField(label=_("Skill"), required=False)
    min_level = forms.TypedChoiceField(
        label=_("At least"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("any level"))] + [(v, label) for v, label in SkillLevel.choices if v > 0],
    )
    function = forms.ChoiceField(label=_("Function"), required=False)
    organization = forms.ChoiceField(label=_("Organization"), required=False)

    def __init__(
        self,
        data: Any,
        *,
        skills: list[Skill],
        profiles: QuerySet[Profile],
    ) -> None:
        super().__init__(data)
        self.skills_by_slug = {skill.slug: skill for skill in skills}
        cast(forms.ChoiceField, self.fields["skill"]).choices = [("", _("any skill"))] + [
            (s.slug, s.name) for s in skills
        ]
        cast(forms.ChoiceField, self.fields["function"]).choices = [("", _("any function"))] + [
            (v, v) for v in _distinct_values(profiles, "function")
        ]
        cast(forms.ChoiceField, self.fields["organization"]).choices = [
            ("", _("any organization"))
        ] + [(v, v) for v in _distinct_values(profiles, "organization")]

    def filtered(self, profiles: ProfileQuerySet) -> ProfileQuerySet:
        """`profiles` narrowed by every filter that is valid (an invalid one is reported next
        to its field and ignored)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        profiles = profiles.search(data.get("q") or "")
        if data.get("function"):
            profiles = profiles.filter(function__iexact=data["function"])
        if data.get("organization"):
            profiles = profiles.filter(organization__iexact=data["organization"])
        skill = self.skills_by_slug.get(data.get("skill") or "")
        if skill is not None:
            level = data.get("min_level") or 0
            profiles = profiles.filter(skills__skill=skill, skills__level__gte=level)
        return profiles


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "role", "message"]
        labels = {
            "email": _("E-mail address"),
            "role": _("Role"),
            "message": _("Personal message (optional)"),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, network: Network, inviter: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        self.inviter = inviter
        roles = Role.choices
        if not can_administer_network(inviter, network):
            roles = [(v, label) for v, label in roles if v != Role.ADMIN]
        cast(forms.ChoiceField, self.fields["role"]).choices = roles
        cast(forms.CharField, self.fields["message"]).max_length = 2000

    def clean_email(self) -> str:
        try:
            return check_invitee(self.network, self.cleaned_data["email"])
        except Refused as refusal:
            raise forms.ValidationError(refusal.message) from None


class ConductPublishForm(forms.Form):
    body = forms.CharField(
        label=_("New version"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=20000,
        help_text=markdown.HELP_TEXT,
    )
    change_note = forms.CharField(
        label=_("What changed"),
        max_length=200,
        help_text=_("One line for the people who will be asked to accept it again."),
    )


class JoinWithNewAccountForm(forms.Form):
    """For someone invited who has no account yet: the invitation proves their e-mail address,
    so only a name and a password are asked."""

    name = forms.CharField(label=_("Your name"), max_length=150, help_text=_("How others see you."))
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", gettext("The two passwords differ."))
        elif password1:
            user = get_user_model()(email=self.email, name=data.get("name", ""))
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


# --- the network's admins: settings, skills, invitations in bulk ------------------------------


class NetworkSettingsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the network is for, shown on its home page."),
    )


class SkillForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    category = forms.CharField(
        label=_("Category"),
        required=False,
        max_length=80,
        help_text=_("Skills are listed by category, e.g. “Facilitation” or “Delivery”."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What being good at it looks like, in a sentence or two."),
    )


class SkillMergeForm(forms.Form):
    into = forms.ChoiceField(label=_("Merge into"))

    def __init__(self, *args: Any, skill: Skill, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = Skill.objects.filter(network_id=skill.network_id).exclude(pk=skill.pk)
        cast(forms.ChoiceField, self.fields["into"]).choices = [("", gettext("choose a skill"))] + [
            (str(s.pk), f"{s.name} ({s.category})" if s.category else s.name) for s in others
        ]


def _role_choices(network: Network, inviter: Any) -> list[tuple[str, str | Promise]]:
    roles: list[tuple[str, str | Promise]] = list(Role.choices)
    if not can_administer_network(inviter, network):
        roles = [(v, label) for v, label in roles if v != Role.ADMIN]
    return roles


class BulkInvitationForm(forms.Form):
    """The list (pasted or a CSV file); the role and message are chosen with the preview."""

    text = forms.CharField(
        label=_("People to invite"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        # Django writes help text into the page as HTML: the angle brackets are escaped.
        help_text=escape(
            _(
                "One person a line: “ada@example.org”, “Ada Lovelace <ada@example.org>” or "
                "“ada@example.org, Ada Lovelace”."
            )
        ),
    )
    file = forms.FileField(
        label=_("Or a CSV file"),
        required=False,
        help_text=_(
            "With a header row naming an “email” column and, if you like, a “name” column."
        ),
    )
    role = forms.ChoiceField(label=_("Role"))
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    format = forms.ChoiceField(
        choices=[("lines", "lines"), ("csv", "csv")],
        required=False,
        widget=forms.HiddenInput,
    )

    MAX_FILE_BYTES = 512 * 1024

    def __init__(self, *args: Any, network: Network, inviter: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["role"]).choices = _role_choices(network, inviter)
        self.fields["role"].initial = Role.MEMBER

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > self.MAX_FILE_BYTES:
                self.add_error(
                    "file", gettext("The CSV file is larger than 512 KB; split it, please.")
                )
                return data
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error(
                    "file", gettext("The CSV file is not UTF-8 text; save it as “CSV UTF-8”.")
                )
                return data
            data["format"] = "csv"
        else:
            data["format"] = data.get("format") or "lines"
        return data
