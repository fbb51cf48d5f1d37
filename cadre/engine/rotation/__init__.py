"""Rotation: rounds of pairs or groups in which nobody meets anyone twice while that can be
avoided (the Social Golfer Problem). Django-free."""

from .golfer import GolferError, Progress, RotationResult, repeat_free, solve_golfer

__all__ = ["GolferError", "Progress", "RotationResult", "repeat_free", "solve_golfer"]
