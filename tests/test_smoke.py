import pytest

from tests.factories import PASSWORD, GuardianFactory


@pytest.mark.django_db
def test_parent_logs_in_and_lands_on_dashboard(client):
    guardian = GuardianFactory()
    response = client.post(
        "/account/inloggen/", {"username": guardian.user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/portaal/"
