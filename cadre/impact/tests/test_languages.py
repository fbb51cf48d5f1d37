"""The impact report, page and PDF, in the reader's language (docs/languages.md)."""

from cadre.testing import save_language

from .story import impact_url
from .test_views import pdf_text


def test_the_report_page_speaks_spanish(cast, client_for, story):
    save_language(cast.host, "es")
    page = client_for(cast.host).get(impact_url(cast)).content.decode()
    assert "Informe de impacto: " in page
    assert "Lo que hicimos" in page and "Asistencia, desde el inicio" in page
    assert "Descargar PDF" in page and "cuanto más bajo, mejor" in page
    assert "What we did" not in page and "Download PDF" not in page


def test_the_pdf_speaks_german(cast, client_for, story):
    save_language(cast.host, "de")
    text = " ".join(pdf_text(client_for(cast.host).get(impact_url(cast, "pdf")).content).split())
    assert "Was wir getan haben" in text and "Anwesenheit, seit Beginn" in text
    assert "Kennzahlen im Vergleich zum Ausgangspunkt" in text
    assert "What we did" not in text
