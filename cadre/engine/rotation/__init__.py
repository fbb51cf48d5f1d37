"""Rotation: rounds of pairs or groups in which nobody meets anyone twice while that can be
avoided (the Social Golfer Problem and virtual coffee), role rotas, meeting slots and
mentor matching. Django-free."""

from .golfer import GolferError, Progress, RotationResult, repeat_free, solve_golfer
from .mentors import MatchingResult, MentorMatch, match_mentors
from .pairing import RoundsResult, count_repeats, group_sizes, plan_rounds
from .roles import RotaResult, rotate_roles
from .slots import SlotOption, find_slots

__all__ = [
    "GolferError",
    "MatchingResult",
    "MentorMatch",
    "Progress",
    "RotaResult",
    "RotationResult",
    "RoundsResult",
    "SlotOption",
    "count_repeats",
    "find_slots",
    "group_sizes",
    "match_mentors",
    "plan_rounds",
    "repeat_free",
    "rotate_roles",
    "solve_golfer",
]
