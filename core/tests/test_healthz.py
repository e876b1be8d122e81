import pytest


@pytest.mark.django_db
def test_healthz_says_the_process_is_alive_without_asking_the_database(
    client, django_assert_num_queries
):
    with django_assert_num_queries(0):  # a database outage must not make it fail (readyz does)
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_pages_are_swedish_whatever_the_browser_asks_for(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "sv"
