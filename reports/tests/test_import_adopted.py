"""Targets imported into an adopted scorecard change what was decided: the confirm asks why, and the
import is marked "ändrat efter beslut" (issue #17.6). Values need no reason."""

from decimal import Decimal

from django.urls import reverse

from reports import imports
from scorecards.models import ChangeAfterAdoption, ScorecardStatus, Target

from .conftest import filled, row_of, xlsx_upload

REFUSED = "Styrkortet är fastställt: ange varför det ändras efter beslutet."


def preview_url(client, card) -> str:
    template = imports.targets_template(card, card.year)
    data = filled(template, {(row_of(template, "energi"), "I"): "150"})
    upload = xlsx_upload(data, "malvarden.xlsx")
    url = reverse("import_upload", args=[card.pk, "malvarden"])
    return client.post(url, {"malvarden-file": upload}).url


def energy_target(card) -> Decimal:
    return Target.objects.get(metric__goal__scorecard=card, metric__indicator__code="energi").value


def test_a_target_import_into_an_adopted_scorecard_needs_a_reason(client, world, card):
    assert card.status == ScorecardStatus.ADOPTED
    client.force_login(world.editor)
    url = preview_url(client, card)
    assert "Varför ändras det fastställda styrkortet?" in client.get(url).content.decode()
    response = client.post(url, {"confirm": "1", "change_reason": "  "}, follow=True)
    assert REFUSED in response.content.decode()
    assert energy_target(card) == 160
    response = client.post(url, {"confirm": "1", "change_reason": "Ny budget."}, follow=True)
    assert "Importen är klar." in response.content.decode()
    assert energy_target(card) == 150
    mark = ChangeAfterAdoption.objects.get()
    assert (mark.by, mark.reason, mark.kind) == (world.editor, "Ny budget.", "target")
    assert mark.what == "Målvärden 2026 importerade från malvarden.xlsx"


def test_a_draft_imports_targets_without_a_reason(client, world, card):
    card.status = ScorecardStatus.DRAFT
    card.save()
    client.force_login(world.editor)
    url = preview_url(client, card)
    assert "Varför ändras" not in client.get(url).content.decode()
    client.post(url, {"confirm": "1"})
    assert energy_target(card) == 150
    assert not ChangeAfterAdoption.objects.exists()
