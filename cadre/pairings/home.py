"""On the network home: "Did you meet?" when pairings wait for the person's answer, with the
link to answer them. One query when nothing waits; then one more per waiting pairing for
who was in it (a person has few at a time)."""

from __future__ import annotations

from cadre.networks.contributions import NetworkHome, Section

from . import asking


def add_did_you_meet(home: NetworkHome) -> None:
    waiting = asking.waiting_for(home.user, home.network)
    if waiting:
        home.sections.append(Section("pairings/_home_prompt.html", {"meetings_waiting": waiting}))
