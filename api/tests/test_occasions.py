"""The follow-up occasion has one name in the API: ``/occasions/``. ``/periods/``, its first name,
still answers the same, marked deprecated in the schema and in a ``Deprecation`` header."""

from drf_spectacular.generators import SchemaGenerator


def test_occasions_and_the_deprecated_periods_answer_alike(api, occasions):
    client = api()
    listed = client.get("/api/v1/occasions/")
    assert listed.status_code == 200
    assert [o["name"] for o in listed.json()["results"]] == ["Tertialrapport T1", "Delårsrapport"]
    assert "Deprecation" not in listed
    old = client.get("/api/v1/periods/")
    assert old.status_code == 200
    assert old.json() == listed.json()
    assert old["Deprecation"] == "true"
    assert old["Link"] == '</api/v1/occasions/>; rel="successor-version"'
    one = occasions[8].pk
    assert client.get(f"/api/v1/periods/{one}/").json() == (
        client.get(f"/api/v1/occasions/{one}/").json()
    )


def test_the_schema_marks_only_periods_deprecated():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/v1/periods/", "/api/v1/periods/{id}/"):
        assert paths[path]["get"]["deprecated"] is True
    for path in ("/api/v1/occasions/", "/api/v1/occasions/{id}/"):
        assert not paths[path]["get"].get("deprecated", False)
    occasion = paths["/api/v1/occasions/{id}/"]["get"]["responses"]["200"]["content"]
    assert occasion["application/json"]["schema"]["$ref"].endswith("/Occasion")


def test_an_assessment_names_its_occasion_and_keeps_period_as_a_deprecated_copy(api, draft):
    found = api("admin").get("/api/v1/assessments/").json()["results"]
    assert [a["occasion"] for a in found] == [draft.assessment.occasion_id]
    assert found[0]["period"] == found[0]["occasion"]
    schema = SchemaGenerator().get_schema(request=None, public=True)
    fields = schema["components"]["schemas"]["Assessment"]["properties"]
    assert fields["period"]["deprecated"] is True
    assert not fields["occasion"].get("deprecated", False)
