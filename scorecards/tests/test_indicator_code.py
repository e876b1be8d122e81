from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from scorecards.models import Indicator
from scorecards.tests.test_edit_views import indicator_data


def test_a_bad_indicator_code_gets_a_plain_swedish_message(client, world):
    client.force_login(world.editor)
    response = client.post(reverse("indicator_create"), indicator_data(code="energi lokaler"))
    assert response.status_code == 200
    assertContains(response, "Koden får bara innehålla bokstäverna a–z")
    assertNotContains(response, "slug")
    assert not Indicator.objects.exists()
