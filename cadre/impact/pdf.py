"""The impact report as a PDF, written with fpdf2 (pure Python, installs from wheels).

The text is set in DejaVu Sans, taken from the system (Debian's fonts-dejavu-core; the
setting CADRE_PDF_FONT_DIR names another folder holding DejaVuSans.ttf and
DejaVuSans-Bold.ttf), because the PDF core fonts know only Latin-1 and members are called Zoë,
Łukasz or Ђорђе. Without DejaVu the PDF falls back to the core font Helvetica. Either way a
character the font cannot draw (a CJK name, an emoji) is replaced by "?" rather than silently
dropped, so a reader sees that something is missing. The content follows the page section by section;
the charts' numbers are printed as tables."""

from __future__ import annotations

import logging
from datetime import date
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fontTools.ttLib import TTFont
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from cadre.lib.markdown import to_text

from .report import ImpactReport, MetricChange, SkillChange
from .text import counts_note, figure, hours, metric_value, no_metrics, number, rate

# fpdf2 subsets the font with fontTools, which narrates every subset at INFO level.
logging.getLogger("fontTools.subset").setLevel(logging.WARNING)

# Where systems keep DejaVu Sans: Debian and Ubuntu, Fedora, Arch, Alpine, FreeBSD.
FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts/dejavu",
)
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"
BODY = 10
INK = (29, 36, 51)
MUTED = (91, 100, 117)
LINE = (200, 205, 214)


def font_dir() -> Path | None:
    """The folder holding DejaVu Sans (regular and bold), or None to use Helvetica."""
    configured = getattr(settings, "CADRE_PDF_FONT_DIR", "")
    candidates = [configured] if configured else list(FONT_DIRS)
    for candidate in candidates:
        folder = Path(candidate)
        if (folder / REGULAR).is_file() and (folder / BOLD).is_file():
            return folder
    return None


@cache
def _glyphs(folder: Path | None) -> frozenset[int]:
    """The code points the font can draw (read once per process)."""
    if folder is None:  # Helvetica, as fpdf2 encodes core fonts: Latin-1
        return frozenset(range(32, 256)) - frozenset(range(127, 160))
    with TTFont(folder / REGULAR, lazy=True) as font:
        return frozenset(font.getBestCmap())


def printable(text: str, folder: Path | None) -> str:
    """`text` with every character the font in `folder` (None: Helvetica) cannot draw
    replaced by "?"."""
    glyphs = _glyphs(folder)
    return "".join(c if ord(c) in glyphs or c in "\n\t" else "?" for c in text)


class ReportPDF(FPDF):
    """A4 pages with the cohort's name in the header and page numbers in the footer."""

    def printable(self, text: str) -> str:
        return printable(text, self.fonts_folder)

    def __init__(self, report: ImpactReport) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.report = report
        self.fonts_folder = font_dir()
        if self.fonts_folder is not None:
            self.add_font(FAMILY, "", str(self.fonts_folder / REGULAR))
            self.add_font(FAMILY, "B", str(self.fonts_folder / BOLD))
        self.text_family = FAMILY if self.fonts_folder is not None else "Helvetica"
        self.set_margins(18, 18, 18)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(
            self.printable(_("Impact report: %(cohort)s") % {"cohort": report.cohort_name})
        )
        self.set_author(self.printable(report.network_name))
        self.set_creator("Cadre")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(self.text_family, "", 8)
        self.set_text_color(*MUTED)
        title = _("%(name)s · impact report") % {"name": self.report.cohort_name}
        self.cell(0, 6, self.printable(title), align="R")
        self.ln(8)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.text_family, "", 8)
        self.set_text_color(*MUTED)
        page = _("Page %(number)s of %(total)s") % {"number": self.page_no(), "total": "{nb}"}
        self.cell(0, 6, self.printable(page), align="C")

    # --- building blocks -------------------------------------------------------------------

    def heading(self, text: str, size: int = 14) -> None:
        # Keep a heading with at least a few lines of what follows it.
        if self.will_page_break(size + 24):
            self.add_page()
        self.ln(3)
        self.set_font(self.text_family, "B", size)
        self.set_text_color(*INK)
        self.multi_cell(
            0, size * 0.5, self.printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
        self.ln(1.5)

    def paragraph(self, text: str, *, muted: bool = False, size: int = BODY) -> None:
        self.set_font(self.text_family, "", size)
        self.set_text_color(*(MUTED if muted else INK))
        self.multi_cell(
            0, size * 0.5, self.printable(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT, align="L"
        )
        self.ln(1)

    def bullets(self, items: list[str]) -> None:
        self.set_font(self.text_family, "", BODY)
        self.set_text_color(*INK)
        for item in items:
            self.set_x(self.l_margin + 3)
            self.multi_cell(
                0,
                BODY * 0.5,
                self.printable(f"•  {item}"),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                align="L",
            )
        self.ln(1)

    def facts(self, rows: list[tuple[str, str]], widths: tuple[int, int] = (3, 1)) -> None:
        """Label and value pairs, two columns."""
        self.grid(["", ""], rows, widths=widths, header=False)

    def grid(
        self,
        headers: list[str],
        rows: list[list[str]] | list[tuple[str, str]],
        *,
        widths: tuple[int, ...] | None = None,
        header: bool = True,
    ) -> None:
        self.set_font(self.text_family, "", BODY - 1)
        self.set_text_color(*INK)
        self.set_draw_color(*LINE)
        self.set_line_width(0.2)
        with self.table(
            col_widths=widths,
            first_row_as_headings=header,
            headings_style=FontFace(family=self.text_family, emphasis="BOLD", color=MUTED),
            line_height=BODY * 0.55,
            padding=1.2,
            borders_layout="HORIZONTAL_LINES",
            text_align="LEFT",
        ) as table:
            if header:
                head = table.row()
                for h in headers:
                    head.cell(self.printable(h))
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(self.printable(value))
        self.ln(2)


def _long(day: date) -> str:
    """ "4 March 2026", the month in the active language."""
    return date_format(day, "j F Y")


def _short(day: date) -> str:
    return date_format(day, "j M Y")


def render_pdf(report: ImpactReport) -> bytes:
    """The report as PDF bytes."""
    pdf = ReportPDF(report)
    pdf.add_page()

    pdf.set_font(pdf.text_family, "", 9)
    pdf.set_text_color(*MUTED)
    pdf.cell(0, 5, pdf.printable(_("%(name)s · impact report") % {"name": report.network_name}))
    pdf.ln(7)
    pdf.heading(report.cohort_name, size=20)
    period = _("Status: %(status)s.") % {"status": report.status}
    if report.starts_on:
        period += " " + _("Started %(day)s.") % {"day": _long(report.starts_on)}
    period += " " + _("Report of %(day)s.") % {"day": _long(report.generated_on)}
    pdf.paragraph(period, muted=True)

    _set_out_to_do(pdf, report)
    _did(pdf, report)
    _changed(pdf, report)
    return bytes(pdf.output())


def _set_out_to_do(pdf: ReportPDF, report: ImpactReport) -> None:
    purpose = report.purpose
    pdf.heading(_("What we set out to do"))
    pdf.paragraph(purpose.objective)
    if purpose.outcomes:
        pdf.heading(_("Outcomes we aimed for"), size=11)
        pdf.bullets(purpose.outcomes)
    if purpose.charter_version is not None:
        pdf.heading(
            _("Charter (version %(version)s)") % {"version": purpose.charter_version}, size=11
        )
        pdf.paragraph(to_text(purpose.mission))
        facts = [(_("Weekly time"), hours(purpose.weekly_hours))]
        if purpose.learning_formats:
            facts.append((_("Learning formats"), ", ".join(purpose.learning_formats)))
        if purpose.project_kinds:
            facts.append((_("Kinds of projects"), to_text(purpose.project_kinds)))
        pdf.facts(facts, widths=(1, 3))
    pdf.heading(
        _("Members (%(label)s: %(count)s)")
        % {"label": report.active_members.label.lower(), "count": number(report.active_members)},
        size=11,
    )
    pdf.paragraph(", ".join(f"{p.name} ({p.role.lower()})" for p in report.members) or _("None."))


def _did(pdf: ReportPDF, report: ImpactReport) -> None:
    s, c, e, h = report.sessions, report.commitments, report.experiments, report.help
    pdf.heading(_("What we did"))
    pdf.facts(
        [
            (_("Sessions held"), number(s.held)),
            (_("Hours together"), number(s.hours)),
            (s.attendance.label, figure(s.attendance)),
            (_("Commitments made"), number(c.made)),
            (_("Done"), number(c.done)),
            (c.follow_through.label, figure(c.follow_through)),
            (
                _("Done on time, since the start"),
                rate(c.on_time_rate, c.done_on_time, c.with_due_date),
            ),
            (_("Missed"), number(c.missed)),
            (_("Still open (overdue)"), f"{number(c.open)} ({number(c.overdue)})"),
            (_("Experiments run"), number(e.run)),
            (
                _("Concluded: succeeded / failed / inconclusive"),
                f"{number(e.succeeded)} / {number(e.failed)} / {number(e.inconclusive)}",
            ),
            (
                _("Blockers raised / resolved"),
                f"{number(h.blockers_raised)} / {number(h.blockers_resolved)}",
            ),
            (
                _("%(label)s (by how many people)") % {"label": h.offers.label},
                f"{number(h.offers)} ({number(h.helpers)})",
            ),
            (_("Coaching sessions held"), number(report.coaching.sessions)),
            (_("Case studies in the library"), number(len(report.case_studies))),
            (_("Times they were reused"), number(report.total_reuses)),
        ]
    )
    pdf.paragraph(counts_note(), muted=True, size=8)
    if e.concluded:
        pdf.heading(_("Experiments concluded"), size=11)
        for row in e.concluded:
            pdf.set_font(pdf.text_family, "B", BODY)
            pdf.set_text_color(*INK)
            pdf.multi_cell(
                0,
                BODY * 0.5,
                pdf.printable(row.title),
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
                align="L",
            )
            pdf.paragraph(
                _("%(outcome)s · ended %(day)s · %(owner)s · %(capability)s")
                % {
                    "outcome": row.outcome,
                    "day": _long(row.ends_on),
                    "owner": row.owner,
                    "capability": row.capability,
                },
                muted=True,
                size=8,
            )
            if row.result_data:
                pdf.paragraph(_("Result: %(text)s") % {"text": to_text(row.result_data)})
            if row.learnings:
                pdf.paragraph(_("Learnings: %(text)s") % {"text": to_text(row.learnings)})
            if row.next_steps:
                pdf.paragraph(_("Next steps: %(text)s") % {"text": to_text(row.next_steps)})
    if report.case_studies:
        pdf.heading(_("Case studies from this cohort"), size=11)
        pdf.grid(
            [_("Case study"), _("Added"), _("Reused")],
            [
                [cs.title, _short(cs.created_on), number(cs.reuse_count)]
                for cs in report.case_studies
            ],
            widths=(5, 2, 1),
        )


def _changed(pdf: ReportPDF, report: ImpactReport) -> None:
    pdf.heading(_("What changed"))
    pdf.heading(_("Metrics against where we started"), size=11)
    if report.metrics:
        pdf.grid(
            [_("Metric"), _("Start"), _("Latest"), _("Target"), _("Change")],
            [_metric_row(m) for m in report.metrics],
            widths=(4, 3, 3, 2, 2),
        )
    else:
        pdf.paragraph(no_metrics(), muted=True)
    pdf.heading(_("Skill growth (cohort average, 0 to 4)"), size=11)
    growth = report.skills
    if not growth.skills or not growth.first_round:
        pdf.paragraph(_("No target skills or assessment rounds yet."), muted=True)
        return
    first = _("Round %(round)s") % {"round": growth.first_round}
    if growth.latest_round:
        latest = _("Round %(round)s") % {"round": growth.latest_round}
    else:
        latest = _("Round (no later round yet)")
    pdf.grid(
        [_("Skill"), first, latest, _("Target"), _("Change")],
        [_skill_row(s) for s in growth.skills],
        widths=(4, 3, 3, 2, 2),
    )
    pdf.paragraph(
        _("An average is shown when at least two learners answered in that round."),
        muted=True,
        size=8,
    )


def _metric_row(m: MetricChange) -> list[str]:
    start = metric_value(m.start, m.unit)
    if m.start_source == "baseline":
        start += " (" + _("baseline") + ")"
    elif m.start_source:
        start += " (" + _("first observation") + ")"
    latest = metric_value(m.latest, m.unit)
    if m.latest_on:
        latest = _("%(value)s on %(day)s") % {"value": latest, "day": _short(m.latest_on)}
    target = metric_value(m.target, m.unit)
    if m.meets_target:
        target += " (" + _("met") + ")"
    elif m.meets_target is False:
        target += " (" + _("not yet") + ")"
    verdicts = {"better": _("better"), "worse": _("worse"), "unchanged": _("unchanged")}
    return [m.name, start, latest, target, verdicts.get(m.verdict or "", "—")]


def _skill_row(s: SkillChange) -> list[str]:
    def level(value: float | None, answers: int) -> str:
        counted = ngettext("%(count)s answer", "%(count)s answers", answers) % {"count": answers}
        return f"{number(value)} ({counted})" if value is not None else f"— ({counted})"

    change = "—" if s.change is None else ("+" if s.change > 0 else "") + number(s.change)
    return [
        s.skill,
        level(s.first, s.first_answers),
        level(s.latest, s.latest_answers),
        str(s.target_level),
        change,
    ]
