"""Peer coaching pages: sessions (opened by the coachee, with the coach's prompts, notes, the
observer's notes and the coachee's next step, which can become a commitment), structured
feedback with the engine's check, the reciprocity counts, and the organizers' prompt bank.

Session and reciprocity pages are cohort pages (`cohort_page`: 404 for people who may not see
the cohort, the code-of-conduct gate) for the cohort's active members and the network's
organizers; everyone else gets 404. A session's content is for its participants alone (404
for hosts and organizers too). Feedback pages also open to people a receiver shared feedback
with (a mentor, say), who may not otherwise see the cohort."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from cadre.accountability import services as accountability
from cadre.accountability.forms import CommitmentForm, rewrite_form
from cadre.accountability.policy import can_view_private_item
from cadre.accounts.http import AuthenticatedRequest
from cadre.cohorts.models import Cohort
from cadre.cohorts.views import cohort_page
from cadre.lib.rules import Refused, show_on_form
from cadre.networks.models import Network
from cadre.networks.policy import must_accept_conduct

from . import policy, services
from .forms import FeedbackForm, PromptForm, SessionForm, SessionUpdateForm, VisibilityForm
from .models import (
    CoachingSession,
    CoachPrompt,
    Feedback,
    PromptStage,
    current_round,
    current_seat,
    reciprocity,
)

_FEEDBACK_PARTS = ("situation", "behaviour", "impact", "suggestion")


def _is_htmx(request: HttpRequest) -> bool:
    htmx: HtmxDetails | None = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _refused(refusal: Refused) -> Exception:
    """A refusal that ends a page: 404 for not_found, 403 with its sentence otherwise."""
    if refusal.kind == "not_found":
        return Http404(refusal.message)
    return PermissionDenied(refusal.message)


# `cohort_page`, then 404 for people who see the cohort but are neither its active members
# nor the network's organizers (network members of a shared cohort).
coaching_page = cohort_page(require=policy.can_view_reciprocity)


def feedback_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The cohort for feedback pages: its members and organizers, and people someone shared
    feedback with; 404 for everyone else, then the code of conduct."""

    @wraps(view)
    def wrapper(
        request: AuthenticatedRequest, network: str, cohort: str, **kwargs: Any
    ) -> HttpResponse:
        found = policy.get_feedback_cohort_or_404(request.user, network, cohort)
        if must_accept_conduct(request.user, found.network):
            back = request.get_full_path() if request.method == "GET" else found.get_absolute_url()
            target = reverse("networks:conduct", args=[network]) + "?next=" + quote(back)
            if _is_htmx(request):
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return view(request, found.network, found, **kwargs)

    return wrapper


# --- sessions -------------------------------------------------------------------------------


@login_required
@require_GET
@coaching_page
def session_list(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """My sessions in this cohort, and how to open the next one."""
    me = request.user
    seat = current_seat(me, cohort)
    # (session, my role in it) for the table.
    sessions = [
        (s, s.role_of(me))
        for s in policy.visible_coaching_sessions(me, cohort).select_related(
            "coachee", "coach", "observer", "commitment", "cohort__network"
        )
    ]
    group = [s for s in seat.group.seats.all() if s.user_id != me.pk] if seat else []
    return render(
        request,
        "coaching/sessions.html",
        {
            "network": network,
            "cohort": cohort,
            "sessions": sessions,
            "round": current_round(cohort),
            "seat": seat,
            "group": group,
            "can_open": services.opening_refusal(me, cohort) is None,
            "can_coach": policy.can_coach(me, cohort),
            "can_manage_prompts": policy.can_manage_prompts(me, network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@coaching_page
def session_new(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The coachee opens a session: with their group of the running round, or ad hoc with
    a coach they choose when the cohort has no round running."""
    me = request.user
    refusal = services.opening_refusal(me, cohort)
    if refusal is not None:
        raise _refused(refusal)
    form = SessionForm(request.POST or None, coaches=services.coach_choices(me, cohort))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        coach = data.get("coach")
        try:
            session = services.open_session(
                me,
                cohort,
                focus=data["focus"],
                help_wanted=data["help_wanted"],
                coach_id=coach.pk if coach is not None else None,
            )
        except Refused as refused:
            show_on_form(form, refused)
        else:
            messages.success(request, _("Your coaching session is open."))
            return redirect(session.get_absolute_url())
    seat = current_seat(me, cohort)
    group = [s for s in seat.group.seats.all() if s.user_id != me.pk] if seat else []
    return render(
        request,
        "coaching/session_form.html",
        {
            "network": network,
            "cohort": cohort,
            "form": form,
            "group": group,
            "round": current_round(cohort),
        },
        status=422 if form.errors else 200,
    )


def _session_context(
    request: AuthenticatedRequest, session: CoachingSession, form: SessionUpdateForm | None = None
) -> dict[str, Any]:
    me = request.user
    editable = policy.editable_coaching_fields(me, session)
    feedback = list(
        policy.visible_feedback(me, session.cohort)
        .filter(coaching_session=session)
        .select_related("giver", "receiver")
    )
    # The next step's commitment is shown as the board shows it: a private one to its owner
    # alone, not to the coach or observer who sat in the session.
    commitment = session.commitment
    if commitment is not None and not can_view_private_item(me, commitment):
        commitment = None
    return {
        "network": session.cohort.network,
        "cohort": session.cohort,
        "session": session,
        "commitment": commitment,
        "role": session.role_of(me),
        "form": form or SessionUpdateForm(instance=session, editable=editable),
        "feedback": feedback,
        "can_commit": services.next_step_refusal(me, session) is None,
    }


@login_required
@require_http_methods(["GET", "POST"])
@coaching_page
def session_detail(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """The session for its participants; each writes the fields that are theirs."""
    session = policy.get_coaching_session_or_404(request.user, cohort, pk)
    if request.method == "GET":
        return render(request, "coaching/session.html", _session_context(request, session))
    editable = policy.editable_coaching_fields(request.user, session)
    form = SessionUpdateForm(request.POST, instance=session, editable=editable)
    if form.is_valid():
        try:
            services.write_in_session(
                request.user, session, changes={f: form.cleaned_data[f] for f in form.fields}
            )
        except Refused as refused:
            show_on_form(form, refused)
        else:
            messages.success(request, _("Saved."))
            return redirect(session.get_absolute_url())
    session.refresh_from_db()
    return render(
        request, "coaching/session.html", _session_context(request, session, form), status=422
    )


@login_required
@require_http_methods(["GET", "POST"])
@coaching_page
def session_commitment(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """The coachee's next step becomes a commitment on the board, through the board's own
    form and its check (its "keep it anyway", its due date)."""
    session = policy.get_coaching_session_or_404(request.user, cohort, pk)
    refusal = services.next_step_refusal(request.user, session)
    if refusal is not None and refusal.kind == "conflict":
        messages.info(request, refusal.message)
        return redirect(session.get_absolute_url())
    if refusal is not None:
        raise _refused(refusal)
    lint = None
    if request.method != "POST":
        form = CommitmentForm(initial={"text": session.next_step})
    elif request.POST.get("use_rewrite", "").strip():
        form = rewrite_form(cohort, request.POST)
    else:
        form = CommitmentForm(request.POST)
        if form.is_valid():
            try:
                services.commit_next_step(request.user, session, **form.commitment())
            except accountability.CommitmentRefused as refused:
                show_on_form(form, refused)
                lint = refused.check.lint
            except Refused as refused:
                show_on_form(form, refused)
            else:
                messages.success(request, _("Your next step is a commitment on the board."))
                return redirect(session.get_absolute_url())
    return render(
        request,
        "coaching/commitment_form.html",
        {
            "network": network,
            "cohort": cohort,
            "session": session,
            "form": form,
            "lint": lint,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


# --- reciprocity ----------------------------------------------------------------------------


@login_required
@require_GET
@coaching_page
def reciprocity_page(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> HttpResponse:
    """Who coached whom and how often: counts only, never what was said."""
    return render(
        request,
        "coaching/reciprocity.html",
        {"network": network, "cohort": cohort, "r": reciprocity(cohort)},
    )


# --- prompts --------------------------------------------------------------------------------


def _bank(request: AuthenticatedRequest, network: Network) -> list[CoachPrompt]:
    try:
        return list(services.managed_prompt_bank(request.user, network))
    except Refused as refused:
        raise _refused(refused) from None


@login_required
@require_http_methods(["GET", "POST"])
@coaching_page
def prompts(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The network's bank of coach prompts: organizers add, edit and retire them."""
    bank = _bank(request, network)
    form = PromptForm(request.POST or None, instance=CoachPrompt(network=network))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_prompt(request.user, network, **form.cleaned_data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            messages.success(request, _("Prompt added."))
            return redirect("peer_coaching:prompts", network.slug, cohort.slug)
    return _prompts_page(request, network, cohort, bank, form)


def _prompts_page(
    request: AuthenticatedRequest,
    network: Network,
    cohort: Cohort,
    bank: list[CoachPrompt],
    form: PromptForm,
    edit: tuple[int, PromptForm] | None = None,
) -> HttpResponse:
    labels = dict(PromptStage.choices)
    bank = sorted(bank, key=lambda p: (p.stage, p.position, p.pk))
    stages = []
    for stage in PromptStage.values:
        rows = []
        for prompt in (p for p in bank if p.stage == stage):
            bound = edit[1] if edit and edit[0] == prompt.pk else None
            rows.append((prompt, bound or PromptForm(instance=prompt, prefix=f"p{prompt.pk}")))
        stages.append((labels[stage], rows))
    return render(
        request,
        "coaching/prompts.html",
        {"network": network, "cohort": cohort, "form": form, "stages": stages},
        status=422 if form.errors or (edit and edit[1].errors) else 200,
    )


@login_required
@require_POST
@coaching_page
def prompt_edit(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    bank = _bank(request, network)
    prompt = next((p for p in bank if p.pk == pk), None)
    if prompt is None:
        raise Http404("No such prompt.")
    form = PromptForm(request.POST, instance=prompt, prefix=f"p{prompt.pk}")
    if form.is_valid():
        try:
            services.edit_prompt(request.user, prompt, **form.cleaned_data)
        except Refused as refused:
            show_on_form(form, refused)
        else:
            messages.success(request, _("Prompt saved."))
            return redirect("peer_coaching:prompts", network.slug, cohort.slug)
    bank = list(CoachPrompt.objects.filter(network=network))
    return _prompts_page(request, network, cohort, bank, PromptForm(), edit=(prompt.pk, form))


# --- feedback -------------------------------------------------------------------------------


def _feedback_list(request: AuthenticatedRequest, cohort: Cohort) -> QuerySet[Feedback]:
    return (
        policy.visible_feedback(request.user, cohort)
        .select_related("giver", "receiver", "coaching_session")
        .prefetch_related("shared_with")
    )


@login_required
@require_GET
@feedback_page
def feedback_received(
    request: AuthenticatedRequest, network: Network, cohort: Cohort
) -> HttpResponse:
    """Feedback for me, with who may read each; and what others shared with me."""
    me = request.user
    visible = list(_feedback_list(request, cohort))
    received = [f for f in visible if f.receiver_id == me.pk]
    candidates = list(services.share_candidates(cohort, me)) if received else []
    # (feedback, the form that sets who reads it) for each piece of feedback about me.
    received_forms = [
        (
            item,
            VisibilityForm(
                initial={
                    "visibility": item.visibility,
                    "shared_with": [str(u.pk) for u in item.shared_with.all()],
                },
                people=[p for p in candidates if p.pk != item.giver_id],
                prefix=f"f{item.pk}",
            ),
        )
        for item in received
    ]
    shared = [f for f in visible if me.pk not in (f.receiver_id, f.giver_id)]
    return render(
        request,
        "coaching/feedback_received.html",
        {
            "network": network,
            "cohort": cohort,
            "received": received_forms,
            "shared": shared,
            "can_give": policy.can_coach(me, cohort),
        },
    )


@login_required
@require_GET
@feedback_page
def feedback_given(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    given = list(
        Feedback.objects.given_by(request.user)
        .filter(cohort=cohort)
        .select_related("receiver", "coaching_session")
    )
    return render(
        request,
        "coaching/feedback_given.html",
        {
            "network": network,
            "cohort": cohort,
            "given": given,
            "can_give": policy.can_coach(request.user, cohort),
        },
    )


def _feedback_session(
    request: AuthenticatedRequest, cohort: Cohort, raw: str
) -> CoachingSession | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404(policy.SESSION_NOT_FOUND)
    return policy.get_coaching_session_or_404(request.user, cohort, int(raw))


@login_required
@require_http_methods(["GET", "POST"])
@feedback_page
def feedback_new(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Give feedback: the engine checks it on submit (and live, with htmx); feedback with
    problems is given only with "Give it as written" ticked."""
    me = request.user
    refusal = services.giving_refusal(me, cohort)
    if refusal is not None:
        raise _refused(refusal)
    raw_session = request.POST.get("session") or request.GET.get("session", "")
    session = _feedback_session(request, cohort, raw_session)
    receivers = services.receiver_choices(me, cohort, session)
    lint = None
    if request.method == "POST" and request.POST.get("use_rewrite"):
        # The rewrite is worked out again from what was posted, and its parts fill the
        # four fields; the parts it could not find stay empty and say what to write.
        posted = {f: request.POST.get(f, "")[:2000] for f in _FEEDBACK_PARTS}
        rewrite = services.check(**posted)
        form = FeedbackForm(
            initial={"receiver": request.POST.get("receiver"), **rewrite.parts.as_dict()},
            receivers=receivers,
            missing=rewrite.missing,
        )
    elif request.method == "POST":
        form = FeedbackForm(request.POST, receivers=receivers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    services.give_feedback(
                        me,
                        cohort,
                        receiver_id=data["receiver"].pk,
                        situation=data["situation"],
                        behaviour=data["behaviour"],
                        impact=data["impact"],
                        suggestion=data["suggestion"],
                        give_anyway=data["give_anyway"],
                        coaching_session_id=session.pk if session is not None else None,
                    )
            except services.FeedbackNotYet as refused:
                show_on_form(form, refused)
                lint = refused.result
            except Refused as refused:
                show_on_form(form, refused)
            else:
                messages.success(
                    request,
                    _("%(person)s can read your feedback now.") % {"person": data["receiver"]},
                )
                if session is not None:
                    return redirect(session.get_absolute_url())
                return redirect("peer_coaching:feedback_given", network.slug, cohort.slug)
    else:
        to: str | int | None = request.GET.get("to")
        if not to and session is not None:
            # In a session, feedback usually goes to the coachee (or, from them, to the coach).
            to = session.coach_id if session.coachee_id == me.pk else session.coachee_id
        form = FeedbackForm(initial={"receiver": to}, receivers=receivers)
    return render(
        request,
        "coaching/feedback_form.html",
        {
            "network": network,
            "cohort": cohort,
            "form": form,
            "session": session,
            "lint": lint,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
@feedback_page
def feedback_check(request: AuthenticatedRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The live check while typing: only the check's result, as a fragment of the form."""
    refusal = services.giving_refusal(request.user, cohort)
    if refusal is not None:
        raise _refused(refusal)
    fields = {f: request.POST.get(f, "")[:2000] for f in ("situation", "behaviour", "impact")}
    suggestion = request.POST.get("suggestion", "")[:2000]
    lint = services.check(**fields, suggestion=suggestion) if fields["behaviour"].strip() else None
    return render(
        request,
        "coaching/feedback_form.html#check",
        {"network": network, "cohort": cohort, "lint": lint, "live": True},
    )


@login_required
@require_POST
@feedback_page
def feedback_visibility(
    request: AuthenticatedRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """The receiver alone chooses who else reads feedback about them."""
    feedback = policy.get_feedback_or_404(request.user, cohort, pk)
    refusal = services.visibility_refusal(request.user, feedback)
    if refusal is not None:
        raise _refused(refusal)
    form = VisibilityForm(
        request.POST, people=list(services.share_choices(feedback)), prefix=f"f{feedback.pk}"
    )
    if form.is_valid():
        try:
            services.set_visibility(
                request.user,
                feedback,
                visibility=form.cleaned_data["visibility"],
                shared_with=form.cleaned_data["shared_with"],
            )
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(
                request,
                _("Visibility set: %(choice)s.") % {"choice": feedback.get_visibility_display()},
            )
    else:
        # Iterating an ErrorList gives each message as text.
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return redirect("peer_coaching:feedback", network.slug, cohort.slug)
