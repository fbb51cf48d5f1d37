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
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from cadre.accountability.views import commitment_form
from cadre.cohorts.models import Cohort
from cadre.cohorts.views import cohort_page
from cadre.lib import permissions
from cadre.networks.models import Network

from .forms import (
    FeedbackForm,
    PromptForm,
    SessionForm,
    SessionUpdateForm,
    VisibilityForm,
    check,
    problem_list,
)
from .models import (
    CoachingSession,
    CoachPrompt,
    Feedback,
    PromptStage,
    SeatRole,
    active_members,
    current_round,
    current_seat,
    give_feedback,
    open_session,
    reciprocity,
    set_visibility,
    share_candidates,
    share_choices,
)

EDITABLE = ["focus", "help_wanted", "notes", "observer_notes", "next_step"]
_FEEDBACK_PARTS = ("situation", "behaviour", "impact", "suggestion")


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


# `cohort_page`, then 404 for people who see the cohort but are neither its active members
# nor the network's organizers (network members of a shared cohort).
coaching_page = cohort_page(require=permissions.can_view_reciprocity)


def feedback_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The cohort for feedback pages: its members and organizers, and people someone shared
    feedback with; 404 for everyone else, then the code of conduct."""

    @wraps(view)
    def wrapper(request: HttpRequest, network: str, cohort: str, **kwargs: Any) -> HttpResponse:
        found_network = permissions.get_network_or_404(request.user, network)
        found = (
            Cohort.objects.select_related("network")
            .filter(network=found_network, slug=cohort)
            .first()
        )
        if found is None or not permissions.can_use_feedback_pages(request.user, found):
            raise Http404("No such page.")
        if permissions.must_accept_conduct(request.user, found_network):
            back = request.get_full_path() if request.method == "GET" else found.get_absolute_url()
            target = reverse("networks:conduct", args=[network]) + "?next=" + quote(back)
            if _is_htmx(request):
                return HttpResponseClientRedirect(target)
            return redirect(target)
        return view(request, found_network, found, **kwargs)

    return wrapper


def _require_member(request: HttpRequest, cohort: Cohort) -> None:
    if not permissions.can_coach(request.user, cohort):
        raise PermissionDenied("Coaching and feedback are for the cohort’s active members.")


def _session_or_404(request: HttpRequest, cohort: Cohort, pk: int) -> CoachingSession:
    session = (
        CoachingSession.objects.select_related(
            "coachee", "coach", "observer", "commitment", "cohort__network"
        )
        .filter(cohort=cohort, pk=pk)
        .first()
    )
    if session is None or not permissions.can_view_coaching_session(request.user, session):
        raise Http404("No such coaching session.")
    return session


# --- sessions -------------------------------------------------------------------------------


@login_required
@require_GET
@coaching_page
def session_list(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """My sessions in this cohort, and how to open the next one."""
    me = request.user
    seat = current_seat(me, cohort)
    round_ = current_round(cohort)
    sessions = list(
        permissions.visible_coaching_sessions(me, cohort).select_related(
            "coachee", "coach", "observer", "commitment", "cohort__network"
        )
    )
    for s in sessions:
        s.my_role = s.role_of(me)  # type: ignore[attr-defined]
    group = [s for s in seat.group.seats.all() if s.user_id != me.pk] if seat else []
    return render(
        request,
        "coaching/sessions.html",
        {
            "network": network,
            "cohort": cohort,
            "sessions": sessions,
            "round": round_,
            "seat": seat,
            "group": group,
            "can_open": permissions.can_coach(me, cohort)
            and (round_ is None or (seat is not None and seat.role == SeatRole.COACHEE)),
            "can_coach": permissions.can_coach(me, cohort),
            "can_manage_prompts": permissions.can_manage_prompts(me, network),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@coaching_page
def session_new(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The coachee opens a session: with their group of the running round, or ad hoc with
    a coach they choose when the cohort has no round running."""
    _require_member(request, cohort)
    me = request.user
    round_ = current_round(cohort)
    seat = current_seat(me, cohort)
    if round_ is not None and (seat is None or seat.role != SeatRole.COACHEE):
        raise PermissionDenied(
            "In this round you are not a coachee; the coachee of your group opens the session."
        )
    coaches = None if round_ is not None else active_members(cohort).exclude(pk=me.pk)
    form = SessionForm(request.POST or None, coaches=coaches)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = open_session(
                cohort,
                me,
                focus=data["focus"],
                help_wanted=data["help_wanted"],
                coach=data.get("coach"),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, "Your coaching session is open.")
            return redirect(session.get_absolute_url())
    group = [s for s in seat.group.seats.all() if s.user_id != me.pk] if seat else []
    return render(
        request,
        "coaching/session_form.html",
        {"network": network, "cohort": cohort, "form": form, "group": group, "round": round_},
        status=422 if form.errors else 200,
    )


def _session_context(
    request: HttpRequest, session: CoachingSession, form: SessionUpdateForm | None = None
) -> dict[str, Any]:
    me = request.user
    editable = [f for f in EDITABLE if permissions.can_edit_coaching_field(me, session, f)]
    role = session.role_of(me)
    feedback = list(
        permissions.visible_feedback(me, session.cohort)
        .filter(coaching_session=session)
        .select_related("giver", "receiver")
    )
    # The next step's commitment is shown as the board shows it: a private one to its owner
    # alone, not to the coach or observer who sat in the session.
    commitment = session.commitment
    if commitment is not None and not permissions.can_view_private_item(me, commitment):
        commitment = None
    return {
        "network": session.cohort.network,
        "cohort": session.cohort,
        "session": session,
        "commitment": commitment,
        "role": role,
        "form": form or SessionUpdateForm(instance=session, editable=editable),
        "feedback": feedback,
        "can_commit": role == "coachee"
        and permissions.can_take_part(me, session.cohort)
        and session.commitment_id is None,
    }


@login_required
@require_http_methods(["GET", "POST"])
@coaching_page
def session_detail(request: HttpRequest, network: Network, cohort: Cohort, pk: int) -> HttpResponse:
    """The session for its participants; each writes the fields that are theirs."""
    session = _session_or_404(request, cohort, pk)
    if request.method == "GET":
        return render(request, "coaching/session.html", _session_context(request, session))
    editable = [
        f for f in EDITABLE if permissions.can_edit_coaching_field(request.user, session, f)
    ]
    form = SessionUpdateForm(request.POST, instance=session, editable=editable)
    if form.is_valid():
        session = form.save(commit=False)
        session.updated_at = timezone.now()
        session.save()
        messages.success(request, "Saved.")
        return redirect(session.get_absolute_url())
    session.refresh_from_db()
    return render(
        request, "coaching/session.html", _session_context(request, session, form), status=422
    )


@login_required
@require_http_methods(["GET", "POST"])
@coaching_page
def session_commitment(
    request: HttpRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """The coachee's next step becomes a commitment on the board, through the board's own
    form and services.make_commitment (its check, its "keep it anyway", its due date)."""
    session = _session_or_404(request, cohort, pk)
    if session.role_of(request.user) != "coachee" or not permissions.can_take_part(
        request.user, cohort
    ):
        raise PermissionDenied("The coachee turns their next step into a commitment.")
    if session.commitment_id is not None:
        messages.info(request, "This next step is already a commitment.")
        return redirect(session.get_absolute_url())
    with transaction.atomic():
        commitment, form, lint = commitment_form(
            request, cohort, initial={"text": session.next_step}
        )
        if commitment is not None:
            session.commitment = commitment
            session.next_step = session.next_step or commitment.text
            session.save(update_fields=["commitment", "next_step"])
    if commitment is not None:
        messages.success(request, "Your next step is a commitment on the board.")
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
def reciprocity_page(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Who coached whom and how often: counts only, never what was said."""
    return render(
        request,
        "coaching/reciprocity.html",
        {"network": network, "cohort": cohort, "r": reciprocity(cohort)},
    )


# --- prompts --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@coaching_page
def prompts(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The network's bank of coach prompts: organizers add, edit and retire them."""
    if not permissions.can_manage_prompts(request.user, network):
        raise PermissionDenied("The prompt bank is the organizers’.")
    CoachPrompt.objects.ensure_defaults(network)
    form = PromptForm(request.POST or None, instance=CoachPrompt(network=network))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Prompt added.")
        return redirect("peer_coaching:prompts", network.slug, cohort.slug)
    return _prompts_page(request, network, cohort, form)


def _prompts_page(
    request: HttpRequest,
    network: Network,
    cohort: Cohort,
    form: PromptForm,
    edit: tuple[int, PromptForm] | None = None,
) -> HttpResponse:
    bank = list(CoachPrompt.objects.filter(network=network))
    labels = dict(PromptStage.choices)
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
def prompt_edit(request: HttpRequest, network: Network, cohort: Cohort, pk: int) -> HttpResponse:
    if not permissions.can_manage_prompts(request.user, network):
        raise PermissionDenied("The prompt bank is the organizers’.")
    prompt = CoachPrompt.objects.filter(network=network, pk=pk).first()
    if prompt is None:
        raise Http404("No such prompt.")
    form = PromptForm(request.POST, instance=prompt, prefix=f"p{prompt.pk}")
    if form.is_valid():
        form.save()
        messages.success(request, "Prompt saved.")
        return redirect("peer_coaching:prompts", network.slug, cohort.slug)
    return _prompts_page(request, network, cohort, PromptForm(), edit=(prompt.pk, form))


# --- feedback -------------------------------------------------------------------------------


def _feedback_list(request: HttpRequest, cohort: Cohort) -> Any:
    return (
        permissions.visible_feedback(request.user, cohort)
        .select_related("giver", "receiver", "coaching_session")
        .prefetch_related("shared_with")
    )


@login_required
@require_GET
@feedback_page
def feedback_received(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Feedback for me, with who may read each; and what others shared with me."""
    me = request.user
    visible = list(_feedback_list(request, cohort))
    received = [f for f in visible if f.receiver_id == me.pk]
    candidates = list(share_candidates(cohort, me)) if received else []
    for item in received:
        item.form = VisibilityForm(  # type: ignore[attr-defined]
            initial={
                "visibility": item.visibility,
                "shared_with": [str(u.pk) for u in item.shared_with.all()],
            },
            people=[p for p in candidates if p.pk != item.giver_id],
            prefix=f"f{item.pk}",
        )
    shared = [f for f in visible if me.pk not in (f.receiver_id, f.giver_id)]
    return render(
        request,
        "coaching/feedback_received.html",
        {
            "network": network,
            "cohort": cohort,
            "received": received,
            "shared": shared,
            "can_give": permissions.can_coach(me, cohort),
        },
    )


@login_required
@require_GET
@feedback_page
def feedback_given(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
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
            "can_give": permissions.can_coach(request.user, cohort),
        },
    )


def _feedback_session(request: HttpRequest, cohort: Cohort, raw: str) -> CoachingSession | None:
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("No such coaching session.")
    return _session_or_404(request, cohort, int(raw))


@login_required
@require_http_methods(["GET", "POST"])
@feedback_page
def feedback_new(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """Give feedback: the engine checks it on submit (and live, with htmx); feedback with
    problems is given only with "Give it as written" ticked."""
    _require_member(request, cohort)
    me = request.user
    raw_session = request.POST.get("session") or request.GET.get("session", "")
    session = _feedback_session(request, cohort, raw_session)
    receivers = active_members(cohort).exclude(pk=me.pk)
    if session is not None:
        receivers = receivers.filter(pk__in=session.participant_ids())
    if request.method == "POST" and request.POST.get("use_rewrite"):
        # The rewrite is worked out again from what was posted, and its parts fill the
        # four fields; the parts it could not find stay empty and say what to write.
        posted = {f: request.POST.get(f, "")[:2000] for f in _FEEDBACK_PARTS}
        rewrite = check(**posted)
        form = FeedbackForm(
            initial={"receiver": request.POST.get("receiver"), **rewrite.parts.as_dict()},
            receivers=receivers,
            missing=rewrite.missing,
        )
    elif request.method == "POST":
        form = FeedbackForm(request.POST, receivers=receivers)
        if form.is_valid():
            data = form.cleaned_data
            assert form.lint is not None
            try:
                with transaction.atomic():
                    give_feedback(
                        cohort,
                        me,
                        data["receiver"],
                        situation=data["situation"],
                        behaviour=data["behaviour"],
                        impact=data["impact"],
                        suggestion=data["suggestion"],
                        problems=problem_list(form.lint),
                        coaching_session=session,
                    )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                messages.success(request, f"{data['receiver']} can read your feedback now.")
                if session is not None:
                    return redirect(session.get_absolute_url())
                return redirect("peer_coaching:feedback_given", network.slug, cohort.slug)
    else:
        to = request.GET.get("to")
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
            "lint": form.lint if form.is_bound else None,
        },
        status=422 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
@feedback_page
def feedback_check(request: HttpRequest, network: Network, cohort: Cohort) -> HttpResponse:
    """The live check while typing: only the check's result, as a fragment of the form."""
    _require_member(request, cohort)
    fields = {f: request.POST.get(f, "")[:2000] for f in ("situation", "behaviour", "impact")}
    suggestion = request.POST.get("suggestion", "")[:2000]
    lint = check(**fields, suggestion=suggestion) if fields["behaviour"].strip() else None
    return render(
        request,
        "coaching/feedback_form.html#check",
        {"network": network, "cohort": cohort, "lint": lint, "live": True},
    )


@login_required
@require_POST
@feedback_page
def feedback_visibility(
    request: HttpRequest, network: Network, cohort: Cohort, pk: int
) -> HttpResponse:
    """The receiver alone chooses who else reads feedback about them."""
    feedback = (
        _feedback_list(request, cohort).filter(pk=pk).first()
        if request.user.is_authenticated
        else None
    )
    if feedback is None:
        raise Http404("No such feedback.")
    if not permissions.can_set_feedback_visibility(request.user, feedback):
        raise PermissionDenied("Only the person who received the feedback decides who reads it.")
    form = VisibilityForm(
        request.POST, people=list(share_choices(feedback)), prefix=f"f{feedback.pk}"
    )
    if form.is_valid():
        try:
            set_visibility(
                feedback, form.cleaned_data["visibility"], list(form.cleaned_data["shared_with"])
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Visibility set: {feedback.get_visibility_display()}.")
    else:
        errors = [e for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors))
    return redirect("peer_coaching:feedback", network.slug, cohort.slug)
