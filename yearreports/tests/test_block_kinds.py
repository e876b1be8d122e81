"""Every data block kind a template may choose — the scorecard's own and those of forecasts,
assignments, internal control and economy — builds blocks a renderer can draw, for a unit with
data and for one without."""

import pytest

from core.testing import World
from yearreports import blocks
from yearreports.document import SCHEMA, problems
from yearreports.testing import make_report

pytestmark = pytest.mark.django_db


def test_the_features_kinds_are_registered():
    assert {"forecast", "assignments", "internal_control", "economy"} <= set(blocks.REGISTRY)


@pytest.mark.parametrize("key", sorted(blocks.REGISTRY))
def test_every_kind_builds_drawable_blocks(key):
    world = World()
    for unit in (world.city, world.unit_a):
        built = blocks.build(key, make_report(unit))
        document = {"schema": SCHEMA, "sections": [{"heading": "A", "blocks": built}]}
        assert problems(document) == []
