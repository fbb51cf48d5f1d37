"""Cadre: collaborative learning cohorts across professional networks."""

__version__ = "0.1.0"
