import pytest

from .helpers import NOW


@pytest.fixture(autouse=True)
def _clock_at_now(time_machine):
    """Every reminder test runs with the clock standing at NOW, the helpers' Monday morning,
    so the cast (its members join "today"), the models' date defaults and the NOW the tests
    send at are one moment, whatever the date the suite runs on."""
    time_machine.move_to(NOW, tick=False)
