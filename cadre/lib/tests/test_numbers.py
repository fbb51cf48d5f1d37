"""One way to print a number (cadre.lib.numbers), in Python and through the template filter."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.template import Context, Template

from cadre.lib.numbers import number, percent


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (Decimal("6.9000"), "", "6.9"),
        (Decimal("30.0000"), "minutes", "30 minutes"),
        (6.9, "", "6.9"),
        (50.0, "%", "50%"),
        (46.4, "%", "46.4%"),
        (46.428571, "%", "46.429%"),
        (0.125, "", "0.125"),
        (10000, "", "10,000"),
        (Decimal("1234567.5"), "h", "1,234,567.5 h"),
        (-3, "", "-3"),
        (-0.0001, "", "0"),
        (0, "%", "0%"),
        (None, "%", "—"),
        (True, "", "1"),
    ],
)
def test_numbers_print_without_trailing_zeros_with_separators_and_units(value, unit, shown):
    assert number(value, unit) == shown


def test_percent_rounds_to_one_decimal_and_has_nothing_to_say_without_a_whole():
    assert percent(13, 28) == 46.4
    assert percent(2, 3) == 66.7
    assert percent(0, 0) is None


@dataclass
class Figure:
    value: float | None
    unit: str


def render(text: str, **context: object) -> str:
    return Template(text).render(Context(context))


def test_the_filter_is_there_in_every_template_without_loading_it():
    assert render("{{ v|number }}", v=Decimal("6.9000")) == "6.9"
    assert render('{{ v|number:"%" }}', v=28.571428) == "28.571%"
    assert render("{{ v|number:unit }}", v=10000, unit="people") == "10,000 people"
    assert render("{{ v|number }}", v=None) == "—"
    assert render("{{ v|number }}", v="") == "—"
    assert render("{{ v|number }}", v="4.50") == "4.5"
    assert render("{{ v|number }}", v="n/a") == "n/a"


def test_a_figure_brings_its_own_unit():
    assert render("{{ f|number }}", f=Figure(46.4, "%")) == "46.4%"
    assert render("{{ f|number }}", f=Figure(None, "%")) == "—"
    assert number(Figure(7, "")) == "7"
