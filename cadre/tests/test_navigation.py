"""The network menu, the cohort tabs and the breadcrumbs (cadre/navigation.py): each person
sees exactly the places the linked pages let them into, and every link shown opens."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


class _Nav(HTMLParser):
    """The links inside each <nav>, by its aria-label, and which one is aria-current."""

    def __init__(self) -> None:
        super().__init__()
        self.navs: dict[str, list[tuple[str, str, bool]]] = {}
        self._nav: list[str] = []
        self._link: tuple[str, bool] | None = None
        self._text: list[str] = []
        self._current_span: bool = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "nav":
            self._nav.append(a.get("aria-label") or "")
            self.navs.setdefault(self._nav[-1], [])
        elif tag == "a" and self._nav:
            self._link = (a.get("href") or "", a.get("aria-current") == "page")
            self._text = []
        elif tag == "span" and self._nav and a.get("aria-current") == "page":
            self._current_span = True
            self._text = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self._nav:
            self._nav.pop()
        elif tag == "a" and self._link is not None:
            href, current = self._link
            self.navs[self._nav[-1]].append(("".join(self._text).strip(), href, current))
            self._link = None
        elif tag == "span" and self._current_span:
            self.navs[self._nav[-1]].append(("".join(self._text).strip(), "", True))
            self._current_span = False

    def handle_data(self, data: str) -> None:
        if self._link is not None or self._current_span:
            self._text.append(data)


def navs(response: Any) -> dict[str, list[tuple[str, str, bool]]]:
    parser = _Nav()
    parser.feed(response.content.decode())
    return parser.navs


def labels(links: list[tuple[str, str, bool]]) -> list[str]:
    return [re.sub(r"\s+", " ", label) for label, _, _ in links]
