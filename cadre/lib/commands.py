"""The arguments that several `cadre` commands take, each with its help written once."""

from __future__ import annotations

from argparse import ArgumentParser


def add_network(parser: ArgumentParser) -> None:
    parser.add_argument("network", help="The network's address (slug), e.g. northwind.")


def add_output(parser: ArgumentParser) -> None:
    parser.add_argument("-o", "--output", help="Write to this file instead of standard output.")
