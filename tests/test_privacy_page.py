"""Issue #20, Privacy for parents and the Verwerkingsoverzicht for the school: both are
generated from the running settings (retention periods, session timeout, mail provider)
and the modules the school uses."""

import pytest
from django.test import override_settings
from django.urls import reverse

from schoolportal.people.models import StaffRole
from tests.factories import GroupFactory, PupilFactory, StaffMemberFactory, parent_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    group = GroupFactory()
    school = group.school
    return {
        "school": school,
        "parent": parent_of(PupilFactory(group=group)),
        "teacher": StaffMemberFactory(school=school, role=StaffRole.TEACHER),
        "management": StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT),
    }


def privacy_page(client, user):
    client.force_login(user)
    response = client.get(reverse("privacy:privacy"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_privacy_page_states_the_periods_in_force(client, world):
    text = privacy_page(client, world["parent"].user)

    assert "Berichten (gesprekken met hun bijlagen): verwijderd 2 jaar na het laatste" in text
    assert "U wordt uitgelogd na 12 uur zonder activiteit, en uiterlijk 7 dagen" in text
    assert "Leerplichtwet 1969" in text
    assert text.count("<h1") == 1


def test_changed_settings_change_the_privacy_page(client, world, settings):
    periods = {**settings.RETENTION_DAYS, "conversations": 90}
    with override_settings(
        RETENTION_DAYS=periods, SESSION_IDLE_TIMEOUT=30 * 60, SESSION_COOKIE_AGE=2 * 24 * 3600
    ):
        text = privacy_page(client, world["parent"].user)

    assert "Berichten (gesprekken met hun bijlagen): verwijderd 90 dagen na het laatste" in text
    assert "U wordt uitgelogd na 30 minuten zonder activiteit, en uiterlijk 2 dagen" in text


def test_a_switched_off_module_is_not_on_the_privacy_page(client, world):
    assert "Absentiemeldingen" in privacy_page(client, world["parent"].user)
    assert "Overblijfdagen" not in privacy_page(client, world["parent"].user)

    world["school"].absences_enabled = False
    world["school"].lunch_enabled = True
    world["school"].save()

    text = privacy_page(client, world["parent"].user)
    assert "Absentiemeldingen" not in text
    assert "Overblijfdagen" in text


def test_the_footer_links_to_the_privacy_page(client, world):
    client.force_login(world["parent"].user)

    response = client.get(reverse("portal:help"))

    assert reverse("privacy:privacy") in response.content.decode()


def test_the_privacy_page_is_for_logged_in_parents(client, world):
    response = client.get(reverse("privacy:privacy"))

    assert response.status_code == 302


def test_the_processing_overview_is_generated_and_printable(client, world):
    client.force_login(world["management"].user)

    response = client.get(reverse("privacy_overview"))

    assert response.status_code == 200
    text = response.content.decode()
    assert "schoolportal-printable" in text
    for column in ("Doel", "Grondslag", "Bewaartermijn", "Wie heeft toegang", "Verwerkers"):
        assert column in text
    assert "Geen mailprovider ingesteld" in text
    assert "Niet in gebruik" in text  # Overblijven: lunch is off by default
    assert "verwijderd 2 jaar" in text


def test_the_processing_overview_names_the_mail_provider_and_the_periods_set(
    client, world, settings
):
    client.force_login(world["management"].user)
    periods = {**settings.RETENTION_DAYS, "conversations": 365 * 3}

    with override_settings(
        EMAIL_BACKEND="schoolportal.notifications.smtp.EmailBackend",
        EMAIL_HOST="smtp.mailprovider.example",
        RETENTION_DAYS=periods,
    ):
        text = client.get(reverse("privacy_overview")).content.decode()

    assert "smtp.mailprovider.example" in text
    assert "verwijderd 3 jaar na het laatste bericht" in text


def test_only_management_and_administration_open_the_overview(client, world):
    client.force_login(world["teacher"].user)
    assert client.get(reverse("privacy_overview")).status_code == 404

    client.force_login(world["parent"].user)
    assert client.get(reverse("privacy_overview")).status_code in (302, 403, 404)
