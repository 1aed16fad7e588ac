import pytest

from tests.opendata.city import City, build_city


@pytest.fixture(autouse=True)
def _quick_hot_spots(settings):
    """Fewer permutations: the tests read which cells are public, not their p-values."""
    settings.ROUNDTABLE_HOTSPOT_PERMUTATIONS = 99


@pytest.fixture
def city(agency) -> City:
    return build_city(agency)
