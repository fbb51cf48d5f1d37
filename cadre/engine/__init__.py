"""Cadre's engine: Django-free optimisation over plain data.

Each problem has one public entry point returning a result object (status, objective,
assignment, message). Inputs are validated up front; randomness comes only from an explicit
seed. Nothing here imports Django.
"""
