"""The metrics pages in the reader's language, their CSV files in English whatever the page's
language, unit words with their plurals, and a service's refusal (docs/languages.md)."""

import pytest
from django.utils import translation

from cadre.metrics import builtins, services
from cadre.testing import save_language

from .helpers import cohort_metric, observe
from .test_views import c_url, n_url

pytestmark = pytest.mark.time_machine("2026-03-04 10:00:00+00:00", tick=False)


def test_the_cohort_metrics_page_speaks_spanish(cast, client_for):
    metric = cohort_metric(cast)
    observe(metric, 42, days_ago=3)
    save_language(cast.host, "es")
    page = client_for(cast.host).get(c_url(cast, "index")).content.decode()
    assert "<h1>Métricas</h1>" in page
    assert "Lo que ve Cadre" in page and "Tiempo de ciclo" in page
    assert "Asistencia, últimas 4 semanas" in page  # a figure with its window
    assert "Semana que empieza" in page  # a chart's axis
    assert "What Cadre sees" not in page and "Week starting" not in page
    english = client_for(cast.organizer).get(c_url(cast, "index")).content.decode()
    assert "What Cadre sees" in english and "Attendance, last 4 weeks" in english


def test_a_metric_page_and_its_form_speak_german(cast, client_for):
    metric = cohort_metric(cast)
    observe(metric, 42, days_ago=3)
    save_language(cast.host, "de")
    browser = client_for(cast.host)
    page = browser.get(c_url(cast, "detail", metric.pk)).content.decode()
    assert "Einen Messwert erfassen" in page and "Datenmelder:innen für diese Kennzahl" in page
    assert "Record an observation" not in page
    refused = browser.post(
        c_url(cast, "record", metric.pk), {"observed_on": "2026-03-01", "value": "viel"}
    )
    assert refused.status_code == 422
    assert "„viel“ ist keine Zahl." in refused.content.decode()


def test_the_csv_files_stay_english_for_a_german_reader(cast, client_for):
    metric = cohort_metric(cast)
    observe(metric, 42, days_ago=3)
    save_language(cast.host, "de")
    save_language(cast.organizer, "de")
    browser = client_for(cast.host)
    weekly = browser.get(c_url(cast, "builtin_csv", "follow-through-by-week")).content.decode()
    assert weekly.splitlines()[0] == "Week starting,Done,Missed or still open"
    assert browser.get(c_url(cast, "csv", metric.pk)).content.decode().startswith("Date,")
    across = client_for(cast.organizer).get(n_url(cast, "index") + "?format=csv")
    header = across.content.decode().splitlines()[0]
    assert "Follow-through, last 4 weeks (%)" in header and "Active members, today" in header


def test_unit_words_take_their_plural_in_the_readers_language():
    with translation.override("de"):
        assert builtins.amount(1, "hours") == "1 Stunde"
        assert builtins.amount(2.5, "hours") == "2,5 Stunden"
    with translation.override("es"):
        assert builtins.amount(3, "meetings") == "3 encuentros"
    assert builtins.amount(1.5, "hours") == "1.5 hours"


def test_a_refusal_is_written_in_the_active_language(cast):
    with translation.override("es"), pytest.raises(services.Refused) as refused:
        services.check_can_define(cast.member, network=cast.network, cohort=cast.cohort)
    assert refused.value.message == (
        "Solo quienes facilitan la cohorte y quienes organizan la red definen sus métricas."
    )


@pytest.mark.parametrize(
    "language, unit, baseline", [("es", "Unidad", "Punto de partida"), ("de", "Einheit", None)]
)
def test_the_metric_forms_labels_follow_the_reader(cast, client_for, language, unit, baseline):
    save_language(cast.host, language)
    page = client_for(cast.host).get(c_url(cast, "new")).content.decode()
    assert unit in page and ">Unit" not in page and ">Baseline" not in page
    if baseline:
        assert baseline in page
