"""Whatever an author writes, the entry's page shows it as text or harmless markup: never a
script, an event handler, an htmx attribute, a javascript: link or a remote image."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from .helpers import write

HOSTILE = [
    "<script>alert('x')</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src="https://evil.example/pixel.png" onerror="alert(1)">',
    "![tracking pixel](https://evil.example/pixel.png)",
    "[click me](javascript:alert(1))",
    "[click me](JaVaScRiPt:alert(1))",
    "[click me](&#106;avascript:alert(1))",
    '<a href="javascript:alert(1)">raw link</a>',
    '<div hx-get="/account/delete" hx-trigger="load">boom</div>',
    '<p data-hx-post="/x">boom</p>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
]


class MarkdownPart(HTMLParser):
    """Collects the tags and attributes inside <div class="markdown">."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.depth:
            self.tags.append((tag, attributes))
            if tag not in ("br", "hr"):
                self.depth += 1
        elif tag == "div" and attributes.get("class") == "markdown":
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth and tag not in ("br", "hr"):
            self.depth -= 1


def rendered_body(client, entry):
    response = client.get(reverse("journal:entry", args=["northwind", entry.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<div class="markdown">')
    end = html.index("</div>", start)
    parser = MarkdownPart()
    parser.feed(html)
    return html[start:end], parser.tags


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_never_reaches_the_page_as_markup(cast, client_for, source):
    entry = write(cast.member, cast.network, visibility="network", body=f"Intro\n\n{source}\n")
    text, tags = rendered_body(client_for(cast.host), entry)
    assert tags, "the body is rendered"
    for tag, attrs in tags:
        assert tag in {"p", "a", "br", "em", "strong", "code", "pre"}, (tag, text)
        for name, value in attrs.items():
            assert name in {"href", "rel", "title"}, (name, text)
            if name == "href":
                assert (value or "").lower().startswith(("http://", "https://", "mailto:")), text
    # What was raw HTML is shown as text: escaped, so the browser never parses it.
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert "<svg" not in text.lower() and "<iframe" not in text.lower()


def test_a_markdown_image_becomes_a_plain_link(cast, client_for):
    entry = write(
        cast.member, cast.network, visibility="network", body="![pixel](https://e.x/p.png)"
    )
    text, tags = rendered_body(client_for(cast.host), entry)
    assert ("a", {"href": "https://e.x/p.png", "rel": "nofollow noopener noreferrer"}) in tags
    assert all(tag != "img" for tag, _ in tags)


def test_the_title_is_escaped_too(cast, client_for):
    entry = write(cast.member, cast.network, visibility="network", title="<b onmouseover=x>T</b>")
    html = client_for(cast.host).get(reverse("journal:entry", args=["northwind", entry.pk]))
    assert "<b onmouseover" not in html.content.decode()
    assert "&lt;b onmouseover=x&gt;T&lt;/b&gt;" in html.content.decode()


def test_ordinary_markdown_renders(cast, client_for):
    body = "# Heading\n\n- one\n- two\n\n`code` and [a link](https://example.org)"
    entry = write(cast.member, cast.network, visibility="network", body=body)
    text, tags = rendered_body(client_for(cast.host), entry)
    names = [t for t, _ in tags]
    assert {"h1", "ul", "li", "code", "a"} <= set(names)
