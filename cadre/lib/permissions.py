"""Access rules of the feature apps that have not moved to a `policy.py` of their own yet.

The core (who is in a network and in which role, who may open a cohort, the code of conduct,
the per-request cache) lives in `cadre.networks.policy` and `cadre.cohorts.policy` and is
re-exported here for the callers that still import this module. Each feature app's rules move
to its own `policy.py` (see docs/architecture.md); this module goes when the last one has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cadre.cohorts.models import Cohort

from cadre.cohorts.policy import (  # noqa: F401
    annotate_is_member,
    can_edit_charter,
    can_edit_cohort,
    can_view_cohort,
    cohort_role,
    get_cohort_or_404,
    is_cohort_member,
    visible_cohorts,
)
from cadre.networks.policy import (  # noqa: F401
    can_administer_network,
    can_manage_network,
    can_view_directory,
    can_view_network,
    forget,
    get_network_or_404,
    insider_network_ids,
    is_network_insider,
    is_organizer_anywhere,
    must_accept_conduct,
    network_role,
    visible_networks,
)

# --- intakes and cohort formation: cadre.formation.policy ---------------------------------

# isort: split
# --- accountability: commitments, progress updates, blockers, experiments ------------------
from cadre.accountability.policy import (  # noqa: F401
    can_take_part,
    can_view_board,
    can_view_private_item,
)
from cadre.formation.policy import can_manage_intakes, can_view_intake  # noqa: F401

# --- impact report: cadre/impact/policy.py ---------------------------------------------------
from cadre.impact.policy import can_view_impact_report  # noqa: F401

# --- sessions, role rotas and mentors: cadre.schedule.policy (re-exported below) -----------
# --- peer rotations: coaching and virtual coffee (cadre.rotations.policy) ------------------
from cadre.rotations.policy import visible_rituals  # noqa: F401

# --- running sessions: agenda, attendance, notes, reports (cadre.schedule.policy) ----------
from cadre.schedule.policy import (  # noqa: F401
    can_edit_report,
    can_manage_mentoring,
    can_run_session,
    can_view_report,
    can_view_session,
    visible_session_reports,
)

# --- exports --------------------------------------------------------------------------------


def can_export_cohort(user: Any, cohort: Cohort) -> bool:
    """A cohort's data is for its hosts and the network's organizers to download; each gets
    exactly the rows the pages let them open (cadre.transfer.cohort.READABLE)."""
    return can_edit_charter(user, cohort)


# --- peer coaching and feedback: cadre.coaching.policy -----------------------------------

from cadre.coaching.policy import (  # noqa: E402, F401
    visible_coaching_sessions,
    visible_feedback,
)

# --- skill diagnostics: cadre/diagnostics/policy.py ------------------------------------------
from cadre.diagnostics.policy import can_view_diagnostics  # noqa: E402, F401

# --- shared repository and partner groups (cadre.repository.policy) -------------------------
# --- cohort health: cadre/health/policy.py ----------------------------------------------------
from cadre.health.policy import can_view_cohort_health  # noqa: E402, F401

# --- learning journal: cadre.journal.policy ------------------------------------------------
from cadre.journal.policy import (  # noqa: E402, F401
    can_view_journal_entry,
    visible_journal_entries,
)

# --- metrics: cadre/metrics/policy.py -------------------------------------------------------
from cadre.metrics.policy import (  # noqa: E402, F401
    can_view_builtin_metrics,
    can_view_metric,
    visible_cohort_metrics,
)
from cadre.repository.policy import (  # noqa: E402, F401
    can_add_repository_item,
    can_promote_experiment,
    can_promote_report,
    can_view_repository_item,
    visible_repository_items,
    visible_reuses,
)
