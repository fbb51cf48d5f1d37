"""Every route of the site and every operation of the API, with their path parameters filled
from the matrix's world (cadre/tests/matrix_world.py), for the route × role matrix.

Pages come from Django's URL resolver, walked recursively; API operations from the OpenAPI
document. A parameter is filled by its name (`cohort`, `session`...) or, for a bare `pk`, by
the word before it in the path (`commitments/<int:pk>` is a commitment). A route with a
parameter this module cannot fill fails the matrix (CannotFill) rather than going untested.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.resolvers import RegexPattern, RoutePattern

from cadre.tests.matrix_world import World

# `pk` after these words is a row of that model (pages and API alike).
PK_NOUNS: dict[str, str] = {
    "commitments": "accountability.Commitment",
    "experiments": "accountability.Experiment",
    "experiment": "accountability.Experiment",  # library/promote/experiment/<pk>
    "report": "schedule.SessionReport",  # library/promote/report/<pk>
    "blockers": "accountability.Blocker",
    "updates": "accountability.ProgressUpdate",  # activity/updates/<pk>
    "comments": "conversation.Comment",
    "inbox": "conversation.Notification",  # me/inbox/<pk>/read
    "notifications": "conversation.Notification",
    "offers": "accountability.HelpOffer",
    "sessions": "coaching.CoachingSession",  # coaching/sessions/<pk>; schedule's is <session>
    "prompts": "coaching.CoachPrompt",
    "feedback": "coaching.Feedback",
    "journal": "journal.JournalEntry",
    "library": "repository.RepositoryItem",
    "items": "repository.RepositoryItem",
    "partners": "repository.PartnerGroup",
    "partner-groups": "repository.PartnerGroup",
    "metrics": "metrics.Metric",
    "observations": "metrics.Observation",
    "invitations": "networks.Invitation",
    "tokens": "api.ApiToken",
}

# Parameters named for what they hold.
NAMED: dict[str, str] = {
    "run": "formation.FormationRun",
    "session": "schedule.Session",
    "ritual": "rotations.Ritual",
    "exclusion": "rotations.PairingExclusion",
    "grant": "metrics.MetricReporter",
    "match": "schedule.MentorMatch",
    "holiday": "schedule.Holiday",
    "swap": "schedule.RoleSwap",
    "skill": "networks.Skill",
    "programme": "programmes.Programme",
    "check": "pairings.MeetingCheck",
    "endpoint": "webhooks.Endpoint",
    "delivery": "webhooks.Delivery",
    "idp": "sso.IdentityProvider",
    "provider": "sso.IdentityProvider",  # /sso/<provider>/start/
    "chat_delivery": "chat.ChatDelivery",
}

# The people a `user`/`user_id` parameter is filled with: in the first cohort, in the other
# cohort, and someone of the other network.
PEOPLE_PARAMS = ("user", "user_id", "id")
PEOPLE = ("n1.member_a2", "n1.member_b", "n2.member_a")

# Links that work without signing in because they carry a secret: who they act for, and what
# else they show (the invitation link shows the invitation and its network). The pages are
# judged as that person would be.
SECRET_LINKS = {
    "calendar:feed": "n1.member_a",
    "reminders:unsubscribe": "n1.member_a",
    "meet:link": "n1.member_a",
    "rsvp:link": "n1.member_a",
}

# Parameters filled with a value that is not real, on purpose, and why. Keep this short.
UNREAL = {
    ("account_confirm_email", "key"): "allauth makes e-mail confirmation keys when it sends them",
    ("account_reset_password_from_key", "uidb36"): "allauth makes password-reset links on request",
    ("account_reset_password_from_key", "key"): "allauth makes password-reset links on request",
    ("/admin/{url}", "url"): "the admin's answer to an address it does not know",
    **{
        (name, "organization_slug"): "allauth's SAML pages need a browser's Host header; "
        "cadre/sso/tests/test_saml.py tries them with a real provider"
        for name in ("saml_acs", "saml_finish_acs", "saml_sls", "saml_metadata", "saml_login")
    },
}


class CannotFill(Exception):
    pass


@dataclass(frozen=True)
class Route:
    kind: str  # "page" or "api"
    method: str
    template: str  # "/n/{network}/c/{cohort}/board/" or "/api/v1/networks/{slug}/..."
    name: str  # the URL name (pages) or the operation id (API)
    params: tuple[tuple[str, str], ...]  # (name, the path segment before it)
    view: Any = field(default=None, compare=False, hash=False)  # a page's view function
    operation: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def __str__(self) -> str:
        return f"{self.method} {self.template}"


@dataclass(frozen=True)
class Request:
    route: Route
    url: str
    values: tuple[tuple[str, str], ...] = ()  # the path parameters it was filled with
    row: tuple[str, int] | None = None  # the row the path names last: (label, pk)
    foreign: bool = False  # that row is not of the path's cohort or network
    acts_for: str | None = None  # a secret link: judged as this person
    also_readable: frozenset[str] = frozenset()  # canaries the link itself shows

    def value(self, name: str) -> str | None:
        return dict(self.values).get(name)


# --- pages -----------------------------------------------------------------------------------

_GROUP = re.compile(r"\(\?P<(\w+)>")
_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _regex_template(regex: str) -> tuple[str, dict[str, list[str]]]:
    """A RegexPattern as a template: named groups become {name}; a group that is a list of
    words (the admin's app labels) gives those words as its choices."""
    out: list[str] = []
    choices: dict[str, list[str]] = {}
    i = 0
    body = regex.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    while i < len(body):
        m = _GROUP.match(body, i)
        if m:
            depth, j = 1, m.end()
            while depth:
                depth += {"(": 1, ")": -1}.get(body[j], 0)
                j += 1
            inner = body[m.end() : j - 1]
            if re.fullmatch(r"[\w|-]+", inner):
                choices[m.group(1)] = inner.split("|")
            out.append("{" + m.group(1) + "}")
            i = j
        elif body[i] == "\\" and i + 1 < len(body):
            out.append(body[i + 1])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out), choices


def _walk(resolver: URLResolver, prefix: str, choices: dict[str, list[str]]) -> Iterator[Any]:
    for p in resolver.url_patterns:
        if isinstance(p.pattern, RoutePattern):
            piece = _CONVERTER.sub(lambda m: "{" + m.group(2) + "}", str(p.pattern))
            extra: dict[str, list[str]] = {}
        elif isinstance(p.pattern, RegexPattern):
            piece, extra = _regex_template(p.pattern.regex.pattern)
        else:  # pragma: no cover - Django has only these two
            raise CannotFill(f"Unknown pattern type {type(p.pattern)}")
        if isinstance(p, URLResolver):
            yield from _walk(p, prefix + piece, {**choices, **extra})
        elif isinstance(p, URLPattern):
            yield prefix + piece, p, {**choices, **extra}


def _params(template: str) -> tuple[tuple[str, str], ...]:
    found = []
    for m in re.finditer(r"\{(\w+)\}", template):
        before = template[: m.start()].rstrip("/").rsplit("/", 1)[-1]
        found.append((m.group(1), before))
    return tuple(found)


def page_routes() -> list[tuple[Route, dict[str, list[str]]]]:
    """Every URL pattern outside the API's operations (which come from the OpenAPI document),
    with the fixed choices of regex groups."""
    routes = []
    seen: set[tuple[str, str]] = set()
    for template, pattern, choices in _walk(get_resolver(), "/", {}):
        if getattr(pattern.callback, "__module__", "").startswith("ninja."):
            continue
        address = (template, repr(sorted(choices.items())))
        if address in seen:
            # Shadowed by an earlier pattern for the same address, which Django always picks
            # (Cadre's own answers at some of allauth's addresses, cadre/sso/saml_urls.py).
            continue
        seen.add(address)
        name = pattern.name or template
        route = Route("page", "GET", template, name, _params(template), view=pattern.callback)
        routes.append((route, choices))
    return routes


def api_operations() -> list[Route]:
    from cadre.api.api import api

    schema = api.get_openapi_schema()
    routes = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            routes.append(
                Route(
                    "api",
                    method.upper(),
                    path,
                    operation["operationId"],
                    _params(path),
                    operation=operation,
                )
            )
    return routes


def api_components() -> dict[str, Any]:
    from cadre.api.api import api

    return dict(api.get_openapi_schema().get("components", {}).get("schemas", {}))


# --- filling parameters ----------------------------------------------------------------------


class Filler:
    """Values for path parameters, from the world. For rows: those of the cohort (or network)
    already chosen in the path, one of the other cohort and one of the other network, so a
    page that finds a row by its id alone shows up as a leak."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.admin_models = _admin_models()

    def requests(self, route: Route, choices: dict[str, list[str]]) -> list[Request]:
        names = [n for n, _ in route.params]
        if not names:
            return [Request(route, route.template)]
        # (the parameters so far, the row the path names, whether that row is foreign to it)
        filled: list[tuple[dict[str, str], tuple[str, int] | None, bool]] = [({}, None, False)]
        for name, before in route.params:
            grown: list[tuple[dict[str, str], tuple[str, int] | None, bool]] = []
            for context, row, foreign in filled:
                values = self.values(route, name, before, context, choices)
                if not values:
                    raise CannotFill(f"{route}: no value for {{{name}}} (after {before!r})")
                label = self.row_label(name, before)
                for value in values:
                    if isinstance(value, tuple):  # a row: (pk, foreign)
                        assert label is not None, f"rows come only for a row's {{{name}}}"
                        pk, alien = value
                        grown.append(({**context, name: str(pk)}, (label, pk), foreign or alien))
                    else:
                        grown.append(({**context, name: value}, row, foreign))
            filled = grown
        out = []
        for params, row, foreign in filled:
            url = route.template
            for name, value in params.items():
                url = url.replace("{" + name + "}", value, 1)
            out.append(self.request(route, url, params, row, foreign))
        return out

    @staticmethod
    def row_label(name: str, before: str) -> str | None:
        return NAMED.get(name) or (PK_NOUNS.get(before) if name == "pk" else None)

    def request(
        self,
        route: Route,
        url: str,
        filled: dict[str, str],
        row: tuple[str, int] | None = None,
        foreign: bool = False,
    ) -> Request:
        values = tuple(filled.items())
        if route.kind == "page":
            match = resolve(url.split("?")[0])
            name = match.view_name
            if match.func is not route.view:
                raise CannotFill(f"{route}: filled as {url}, which is {name}")
            if name == "invitations:accept":
                invitation = self.world.rows_by_pk("networks.Invitation")[0]
                shown = self.world.canaries_of(invitation) | self.world.canaries_of(
                    invitation.network
                )
                if invitation.invited_by is not None:
                    shown |= self.world.canaries_of(invitation.invited_by)
                return Request(route, url, values, also_readable=frozenset(shown))
            if name in SECRET_LINKS:
                return Request(route, url, values, acts_for=SECRET_LINKS[name])
        return Request(route, url, values, row, foreign)

    def values(
        self,
        route: Route,
        name: str,
        before: str,
        context: dict[str, str],
        choices: dict[str, list[str]],
    ) -> list[str] | list[tuple[int, bool]]:
        """The values to try for {name}: text, or rows as (pk, foreign to the path)."""
        w = self.world
        if name in choices:
            return choices[name]
        if name in ("network", "slug"):
            return ["n1"]
        if name == "cohort":
            return ["alpha", "beta"]
        if name == "intake":
            return ["open", "draft"]
        if name == "number":
            return ["1"]
        if name in PEOPLE_PARAMS and before != "password":
            return [str(w.people[key].pk) for key in PEOPLE]
        if (route.name, name) in UNREAL:
            return [{"uidb36": "0", "url": "no/such/page/"}.get(name, "not-a-real-key")]
        if name == "token":
            return [self.token(route)]
        if name == "provider_id":  # allauth's OpenID Connect pages: n1's provider
            from cadre.sso.models import IdentityProvider

            return [IdentityProvider.objects.get(network__slug="n1", protocol="oidc").slug]
        if name == "key":  # a built-in metric
            from cadre.metrics.builtins import BUILTINS

            return sorted(BUILTINS)
        if name == "name":  # a cohort chart
            from cadre.metrics.builtins import BUILTINS

            return ["composition", "follow-through-by-week", *sorted(BUILTINS)[:1]]
        if name == "tag":
            return sorted(
                {r.name for r in w.rows["journal.JournalTag"] if r.entry.network.slug == "n1"}
            )
        if name in ("object_id", "id") or (name == "content_type_id"):
            return self.admin_values(route, name, context)
        label = self.row_label(name, before)
        if label is None:
            return []
        network = context.get("network") or context.get("slug")
        return w.row_choices(label, network, context.get("cohort"))

    def token(self, route: Route) -> str:
        from cadre.networks.invitations import make_token
        from cadre.reminders.sending import unsubscribe_token
        from cadre.schedule.models import CalendarToken

        member = self.world.people["n1.member_a"]
        if "calendar" in route.template:
            return CalendarToken.objects.get(user=member).token
        if "unsubscribe" in route.template:
            return unsubscribe_token(member, "digest")
        if "invitations" in route.template:
            return make_token(self.world.rows_by_pk("networks.Invitation")[0])
        if route.template.startswith("/rsvp/"):
            from cadre.schedule.models import Session
            from cadre.schedule.rsvp import token

            session = Session.objects.filter(cohort__memberships__user=member).order_by("pk")[0]
            return token(session, member)
        if route.template.startswith("/meet/"):
            from cadre.pairings.models import MeetingCheck
            from cadre.pairings.services import link_token

            return link_token(MeetingCheck.objects.filter(user=member).order_by("pk")[0])
        raise CannotFill(f"{route}: which token?")

    def admin_values(self, route: Route, name: str, context: dict[str, str]) -> list[str]:
        m = re.match(r"^/admin/(\w+)/(\w+)/", route.template)
        if name == "content_type_id":  # the admin's "view on site" link: one row of each kind
            from django.contrib.contenttypes.models import ContentType

            return [str(ContentType.objects.get_for_model(apps.get_model("cohorts.Cohort")).pk)]
        if route.template.startswith("/admin/r/"):
            return [str(self.world.cohorts["n1.alpha"].pk)]
        if not m:
            return []
        model = apps.get_model(m.group(1), m.group(2))
        return [str(pk) for pk in self.world.admin_choices(model)]


def _admin_models() -> set[str]:
    from django.contrib import admin

    return {model._meta.label for model in admin.site._registry}


def all_requests(world: World) -> tuple[list[Request], list[str]]:
    """Every page and API operation as requests; and the routes that could not be filled."""
    filler = Filler(world)
    requests: list[Request] = []
    problems: list[str] = []
    for route, choices in page_routes():
        try:
            requests.extend(filler.requests(route, choices))
        except CannotFill as problem:
            problems.append(str(problem))
    for route in api_operations():
        try:
            requests.extend(filler.requests(route, {}))
        except CannotFill as problem:
            problems.append(str(problem))
    return requests, problems


# --- a request body that passes the API's schema --------------------------------------------


def example(schema: dict[str, Any], components: dict[str, Any], today: date) -> Any:
    """A small value that satisfies `schema` (so a request reaches the endpoint's own checks,
    which are what the matrix tests)."""
    if "$ref" in schema:
        return example(components[schema["$ref"].rsplit("/", 1)[-1]], components, today)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return example(options[0] if options else {}, components, today)
    if "allOf" in schema:
        return example(schema["allOf"][0], components, today)
    if "default" in schema:
        return schema["default"]
    if "enum" in schema:
        return schema["enum"][0]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        return {
            name: example(props[name], components, today) for name in schema.get("required", [])
        }
    if kind == "array":
        return [example(schema.get("items", {}), components, today)] * schema.get("minItems", 0)
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date":
            return today.isoformat()
        if fmt == "date-time":
            return f"{today.isoformat()}T10:00:00Z"
        if fmt == "email":
            return "someone@matrix.test"
        text = "matrix-write" if "pattern" in schema else "matrix write"
        return text.ljust(schema.get("minLength", 0), "x")
    return None


def request_body(route: Route, components: dict[str, Any], today: date) -> Any:
    content = route.operation.get("requestBody", {}).get("content", {})
    schema = content.get("application/json", {}).get("schema")
    return None if schema is None else example(schema, components, today)
