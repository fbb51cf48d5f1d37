from cadre.api.tests.conftest import api_as  # noqa: F401 - the API tests' caller fixture
