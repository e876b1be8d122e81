"""The scorecard page counts each goal's direct contributors in the database (issue #16): the
count is the reader's, so a draft's goal counts only for those who may read the draft."""

from organisation.models import Role, RoleAssignment


def test_the_direct_count_counts_what_the_reader_may_see(client, world, chain):
    url = chain.city.get_absolute_url()
    # The city goal has two direct contributors: Miljöförvaltningen's and a draft in Skola.
    assert "1 mål bidrar direkt" in client.get(url).content.decode()
    client.force_login(world.admin)
    assert "2 mål bidrar direkt" in client.get(url).content.decode()


def test_the_count_of_a_reader_of_the_drafts_unit_includes_the_draft(client, world, chain):
    from django.contrib.auth import get_user_model

    reader = get_user_model().objects.create_user("skolans-lasare")
    RoleAssignment.objects.create(user=reader, unit=world.unit_b, role=Role.READER)
    client.force_login(reader)
    assert "2 mål bidrar direkt" in client.get(chain.city.get_absolute_url()).content.decode()
