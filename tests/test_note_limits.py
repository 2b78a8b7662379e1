"""Issue 13: what parents type about a child or a babysitter has a length limit.

Before it a megabyte of notes was stored. A longer text now comes back with a clear Dutch
error and everything that was typed; the admin's forms get the same limit from the model.
"""

import pytest
from django.urls import reverse

from schoolportal.people.models import (
    MEDICAL_NOTES_MAX_LENGTH,
    NOTES_MAX_LENGTH,
    Babysitter,
    StaffRole,
)
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db

TOO_LONG_ERROR = "Zorg dat deze waarde niet meer dan %d tekens bevat (het zijn er nu %d)."


@pytest.fixture
def family(client):
    child = PupilFactory(first_name="Lotte", medical_notes="Astma", allergies="")
    guardian = parent_of(child)
    client.force_login(guardian.user)
    return guardian, child


def test_too_long_medical_notes_are_refused_and_kept_in_the_form(client, family):
    _guardian, child = family
    typed = "Puffer mee op schoolreis. " * 100  # 2600 characters

    response = client.post(
        reverse("portal:child_edit", args=[child.pk, "medisch"]),
        {"medical_notes": typed, "allergies": ""},
        HTTP_ACCEPT_LANGUAGE="nl",
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert TOO_LONG_ERROR % (MEDICAL_NOTES_MAX_LENGTH, len(typed.strip())) in content
    assert typed.strip() in content  # nothing typed is lost
    # The browser must not cut pasted text off unnoticed: the limit is said, not enforced.
    assert "maxlength" not in content.split('name="medical_notes"')[1].split(">")[0]
    assert f"Hooguit {MEDICAL_NOTES_MAX_LENGTH} tekens." in content
    child.refresh_from_db()
    assert child.medical_notes == "Astma"


def test_medical_notes_up_to_the_limit_are_saved(client, family):
    _guardian, child = family
    typed = "x" * MEDICAL_NOTES_MAX_LENGTH

    response = client.post(
        reverse("portal:child_edit", args=[child.pk, "medisch"]),
        {"medical_notes": typed, "allergies": "Noten"},
    )

    assert response.status_code == 302
    child.refresh_from_db()
    assert child.medical_notes == typed


def test_too_long_allergies_are_refused(client, family):
    _guardian, child = family

    response = client.post(
        reverse("portal:child_edit", args=[child.pk, "medisch"]),
        {"medical_notes": "", "allergies": "n" * (NOTES_MAX_LENGTH + 1)},
    )

    assert response.status_code == 400
    child.refresh_from_db()
    assert child.allergies == ""


def test_too_long_babysitter_notes_are_refused_and_kept_in_the_form(client, family):
    typed = "Haalt op woensdag op. " * 50  # 1100 characters

    response = client.post(
        reverse("portal:babysitter_add"),
        {"name": "Sanne", "phone": "06-12345678", "notes": typed},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert TOO_LONG_ERROR % (NOTES_MAX_LENGTH, len(typed.strip())) in content
    assert typed.strip() in content
    assert not Babysitter.objects.exists()


def test_a_megabyte_of_notes_is_refused(client, family):
    response = client.post(
        reverse("portal:babysitter_add"),
        {"name": "Sanne", "phone": "06-12345678", "notes": "x" * 1_000_000},
    )

    assert response.status_code == 400
    assert not Babysitter.objects.exists()


def test_the_admin_forms_get_the_same_limits(client):
    group = GroupFactory()
    guardian = parent_of(PupilFactory(group=group, school=group.school))
    babysitter = Babysitter.objects.create(guardian=guardian, name="Sanne", phone="06-12345678")
    client.force_login(StaffMemberFactory(school=group.school, role=StaffRole.MANAGEMENT).user)

    response = client.post(
        reverse("wagtailsnippets_people_babysitter:edit", args=[babysitter.pk]),
        {
            "guardian": guardian.pk,
            "name": "Sanne",
            "phone": "06-12345678",
            "notes": "x" * (NOTES_MAX_LENGTH + 1),
        },
    )

    assert response.status_code == 200  # the form again, with its error
    assert (TOO_LONG_ERROR % (NOTES_MAX_LENGTH, NOTES_MAX_LENGTH + 1)).encode() in response.content
    babysitter.refresh_from_db()
    assert babysitter.notes == ""
    form_class = type(response.context["form"])
    assert form_class.base_fields["notes"].max_length == NOTES_MAX_LENGTH


def test_the_admin_pupil_form_limits_medical_notes(client):
    school = SchoolFactory()
    client.force_login(StaffMemberFactory(school=school, role=StaffRole.MANAGEMENT).user)

    response = client.get(reverse("wagtailsnippets_people_pupil:add"))

    fields = response.context["form"].base_fields
    assert fields["medical_notes"].max_length == MEDICAL_NOTES_MAX_LENGTH
    assert fields["allergies"].max_length == NOTES_MAX_LENGTH
