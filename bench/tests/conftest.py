import pytest

from bench.generate import SCALES, generate_city


@pytest.fixture
def tiny_city(db):
    """A five-level synthetic city with a handful of units (about a second to build)."""
    return generate_city(SCALES["tiny"], progress=lambda message: None)
