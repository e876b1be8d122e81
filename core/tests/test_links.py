"""Links made once per page give the same addresses as ``reverse``."""

from django.urls import reverse

from core.links import url_maker


def test_filled_in_links_equal_reversed_ones():
    for name, arg in [("goal_chain", 7), ("scorecard_detail", 123456), ("unit_detail", "msn-1")]:
        assert url_maker(name)(arg) == reverse(name, args=[arg])
