"""Issue 4, parents keep their data up to date: profile, children, link codes and babysitters."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from schoolportal.people import linking
from schoolportal.people.models import (
    Babysitter,
    EmergencyContact,
    Guardian,
    Guardianship,
    LinkCodeAttempt,
    PupilLinkCode,
    Relation,
)
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db

PREFIX = "emergency_contacts"


def snapshot(obj):
    """Every stored column of ``obj`` as it is in the database now."""
    fresh = type(obj).objects.get(pk=obj.pk)
    return {field.attname: getattr(fresh, field.attname) for field in obj._meta.concrete_fields}


def contacts_of(pupil):
    return list(
        EmergencyContact.objects.filter(pupil=pupil)
        .order_by("pk")
        .values_list("pk", "name", "relation", "phone")
    )


def formset_data(*forms, initial=0):
    """POST data for the emergency contacts formset; each form a dict of its fields."""
    data = {
        f"{PREFIX}-TOTAL_FORMS": str(len(forms)),
        f"{PREFIX}-INITIAL_FORMS": str(initial),
        f"{PREFIX}-MIN_NUM_FORMS": "0",
        f"{PREFIX}-MAX_NUM_FORMS": "5",
    }
    for index, form in enumerate(forms):
        data.update({f"{PREFIX}-{index}-{name}": value for name, value in form.items()})
    return data


@pytest.fixture
def family():
    child = PupilFactory(first_name="Lotte", last_name="Jansen")
    guardian = parent_of(child, first_name="Marieke", last_name="Jansen")
    return guardian, child


@pytest.fixture
def other_family(family):
    """A classmate's family: same group, their own child, contacts and babysitter."""
    _guardian, child = family
    other_child = PupilFactory(
        first_name="Sem",
        last_name="Bakker",
        group=child.group,
        street="Achterom",
        house_number="8",
        postcode="3511 AA",
        medical_notes="Epilepsie",
        allergies="Noten",
    )
    other = parent_of(other_child, first_name="Ilse", last_name="Bakker")
    EmergencyContact.objects.create(
        pupil=other_child, name="Oma Bakker", relation="oma", phone="030-2223344"
    )
    return other, other_child


@pytest.fixture
def parent(client, family):
    guardian, _child = family
    client.force_login(guardian.user)
    return client


# --- Mijn profiel ------------------------------------------------------------------

VALID_PROFILE_INPUT = [
    pytest.param(
        "persoonlijk",
        {"first_name": "Mariëlle", "infix": "van", "last_name": "Dijk"},
        {"first_name": "Mariëlle", "infix": "van", "last_name": "Dijk"},
        id="persoonlijk",
    ),
    pytest.param(
        "adres",
        {"street": "Nieuwe Gracht", "house_number": "12a", "postcode": "2511ab", "city": "Leiden"},
        {
            "street": "Nieuwe Gracht",
            "house_number": "12a",
            "postcode": "2511 AB",
            "city": "Leiden",
            "address_hidden": False,
        },
        id="adres",
    ),
    pytest.param(
        "contact",
        {
            "email": "Nieuw@Example.net",
            "phone": "020-1234567",
            "mobile_phone": "",
            "email_hidden": "on",
        },
        {
            "email": "nieuw@example.net",
            "phone": "020-1234567",
            "mobile_phone": "",
            "email_hidden": True,
            "phone_hidden": False,
            "mobile_phone_hidden": False,
        },
        id="contact",
    ),
]


@pytest.mark.parametrize("section, data, expected", VALID_PROFILE_INPUT)
def test_saving_a_profile_tab_stores_it_and_records_who_changed_it_when(
    parent, family, section, data, expected
):
    guardian, _child = family
    before = timezone.now()

    response = parent.post(reverse("portal:profile_edit", args=[section]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:profile") + f"#{section}"
    guardian.refresh_from_db()
    assert {name: getattr(guardian, name) for name in expected} == expected
    assert guardian.updated_at is not None
    assert guardian.updated_at >= before
    assert guardian.updated_by == guardian.user


def test_profile_edit_form_shows_the_current_values(parent, family):
    guardian, _child = family

    response = parent.get(reverse("portal:profile_edit", args=["adres"]))

    assert response.status_code == 200
    content = response.content.decode()
    assert f'value="{guardian.street}"' in content
    assert f'value="{guardian.postcode}"' in content


def test_unknown_profile_section_answers_404(parent):
    assert parent.get(reverse("portal:profile_edit", args=["wachtwoord"])).status_code == 404


def test_saved_postcode_is_shown_normalised_on_the_profile(parent, family):
    parent.post(
        reverse("portal:profile_edit", args=["adres"]),
        {"street": "Laan", "house_number": "3", "postcode": " 9711xy ", "city": "Groningen"},
    )

    content = parent.get(reverse("portal:profile")).content.decode()

    assert "9711 XY" in content
    assert "De wijzigingen zijn opgeslagen." in content


INVALID_PROFILE_INPUT = [
    pytest.param(
        "adres",
        {
            "street": "Nieuwe Gracht",
            "house_number": "12a",
            "postcode": "12345",
            "city": "Leiden",
            "address_hidden": "on",
        },
        "Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB.",
        id="postcode",
    ),
    pytest.param(
        "contact",
        {"email": "nieuw@example.net", "phone": "12", "mobile_phone": "06-11122233"},
        "Vul een geldig telefoonnummer in, bijvoorbeeld 06-12345678 of +32 2 123 45 67.",
        id="phone",
    ),
    pytest.param(
        "contact",
        {"email": "geen-e-mailadres", "phone": "020-1234567", "mobile_phone": "06-11122233"},
        "Voer een geldig e-mailadres in.",
        id="email",
    ),
]


@pytest.mark.parametrize("section, data, message", INVALID_PROFILE_INPUT)
def test_invalid_profile_input_is_refused_in_dutch_and_keeps_what_was_typed(
    parent, family, section, data, message
):
    guardian, _child = family
    stored = snapshot(guardian)

    response = parent.post(reverse("portal:profile_edit", args=[section]), data)

    assert response.status_code == 400
    content = response.content.decode()
    assert message in content
    for name, value in data.items():
        if value == "on":
            assert f'name="{name}" id="id_{name}" checked' in content
        else:
            assert f'value="{value}"' in content, name
    assert snapshot(guardian) == stored
    assert stored["updated_at"] is None


def test_failed_profile_save_leaves_the_header_showing_the_stored_name(parent, family):
    response = parent.post(
        reverse("portal:profile_edit", args=["persoonlijk"]),
        {"first_name": "", "infix": "", "last_name": "Gekaapt"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert 'value="Gekaapt"' in content
    assert f'href="{reverse("portal:profile")}">Marieke Jansen</a>' in content


def test_invalid_child_postcode_is_refused_in_dutch_and_nothing_is_saved(parent, family):
    _guardian, child = family
    stored = snapshot(child)

    response = parent.post(
        reverse("portal:child_edit", args=[child.pk, "adres"]),
        {"street": "Kindstraat", "house_number": "4", "postcode": "AB1234", "city": "Delft"},
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Vul een Nederlandse postcode in" in content
    assert 'value="AB1234"' in content
    assert 'value="Kindstraat"' in content
    assert snapshot(child) == stored


def test_new_guardian_hides_address_phone_and_email_by_default():
    guardian = Guardian.objects.create(first_name="Nieuw", last_name="Ouder")

    guardian.refresh_from_db()
    assert guardian.address_hidden is True
    assert guardian.phone_hidden is True
    assert guardian.mobile_phone_hidden is True
    assert guardian.email_hidden is True


def test_profile_post_ignores_fields_outside_its_own_tab(client, family, other_family):
    guardian, _child = family
    other, other_child = other_family
    guardian_before = snapshot(guardian)
    links_before = set(Guardianship.objects.values_list("guardian", "pupil"))

    client.force_login(guardian.user)
    response = client.post(
        reverse("portal:profile_edit", args=["contact"]),
        {
            "email": guardian.email,
            "phone": guardian.phone,
            "mobile_phone": guardian.mobile_phone,
            "email_hidden": "on",
            "phone_hidden": "on",
            "mobile_phone_hidden": "on",
            # Not part of the contact tab:
            "user": other.user.pk,
            "address_hidden": "false",
            "pupils": [other_child.pk],
            "first_name": "Gekaapt",
            "street": "Elders",
            "id": other.pk,
        },
    )

    assert response.status_code == 302
    after = snapshot(guardian)
    changed = {name for name in after if after[name] != guardian_before[name]}
    assert changed == {"updated_at", "updated_by_id"}
    assert after["address_hidden"] is True
    assert after["user_id"] == guardian.user.pk
    assert set(Guardianship.objects.values_list("guardian", "pupil")) == links_before
    assert snapshot(other)["first_name"] == "Ilse"


# --- Mijn kinderen -----------------------------------------------------------------


def test_children_page_lists_own_children_only(parent, family, other_family):
    content = parent.get(reverse("portal:children")).content.decode()

    assert "Lotte Jansen" in content
    assert "Sem Bakker" not in content


def test_child_detail_shows_the_childs_data(parent, family):
    _guardian, child = family
    EmergencyContact.objects.create(pupil=child, name="Opa Jansen", phone="030-9998877")

    response = parent.get(reverse("portal:child", args=[child.pk]))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Lotte Jansen" in content
    assert "Opa Jansen" in content


OTHER_CHILD_REQUESTS = [
    ("get", "child", None),
    ("get", "child_edit", "adres"),
    ("post", "child_edit", "adres"),
    ("get", "child_edit", "medisch"),
    ("post", "child_edit", "medisch"),
    ("get", "child_edit", "toestemming"),
    ("post", "child_edit", "toestemming"),
    ("get", "child_emergency_contacts", None),
    ("post", "child_emergency_contacts", None),
]

CHILD_SECTION_INPUT = {
    "adres": {"street": "Kaapstraat", "house_number": "1", "postcode": "1011 AA", "city": "A"},
    "medisch": {"medical_notes": "Gekaapt", "allergies": "Gekaapt"},
    "toestemming": {
        "photo_consent_group_page": "on",
        "photo_consent_website": "on",
        "photo_consent_social_media": "on",
    },
}


@pytest.mark.parametrize(
    "method, url_name, section",
    OTHER_CHILD_REQUESTS,
    ids=[f"{m}-{n}-{s or ''}" for m, n, s in OTHER_CHILD_REQUESTS],
)
def test_another_familys_child_answers_404_and_nothing_changes(
    parent, other_family, method, url_name, section
):
    _other, other_child = other_family
    args = [other_child.pk, section] if section else [other_child.pk]
    url = reverse(f"portal:{url_name}", args=args)
    [contact] = other_child.emergency_contacts.all()
    pupil_before = snapshot(other_child)
    contacts_before = contacts_of(other_child)
    if url_name == "child_emergency_contacts":
        data = formset_data(
            {"id": contact.pk, "name": "Gekaapt", "phone": "06-99999999", "DELETE": "on"},
            {"name": "Indringer", "phone": "06-88888888"},
            initial=1,
        )
    else:
        data = CHILD_SECTION_INPUT.get(section)

    response = getattr(parent, method)(url, data) if method == "post" else parent.get(url)

    assert response.status_code == 404
    assert snapshot(other_child) == pupil_before
    assert contacts_of(other_child) == contacts_before
    assert "Sem" not in response.content.decode()


def test_unknown_child_section_answers_404(parent, family):
    _guardian, child = family

    assert parent.get(reverse("portal:child_edit", args=[child.pk, "groep"])).status_code == 404


@pytest.mark.parametrize("section", sorted(CHILD_SECTION_INPUT))
def test_child_edit_saves_only_its_own_section_whatever_else_is_posted(
    parent, family, other_family, section
):
    guardian, child = family
    other, other_child = other_family
    other_school = SchoolFactory()
    other_group = GroupFactory(school_year=child.group.school_year)
    own_section = CHILD_SECTION_INPUT[section]
    smuggled = {
        "group": other_group.pk,
        "school": other_school.pk,
        "first_name": "Gekaapt",
        "last_name": "Gekaapt",
        "date_of_birth": "2010-01-01",
        "guardians": [other.pk],
        "guardianships": [other.pk],
        "id": other_child.pk,
        "pk": other_child.pk,
        "updated_by": other.user.pk,
        # Fields of the other sections:
        "street": "Smokkelpad",
        "medical_notes": "Gesmokkeld",
        "photo_consent_social_media": "on",
    }
    data = {**{k: v for k, v in smuggled.items() if k not in own_section}, **own_section}
    child_before = snapshot(child)
    other_child_before = snapshot(other_child)
    links_before = set(Guardianship.objects.values_list("guardian", "pupil"))
    before = timezone.now()

    response = parent.post(reverse("portal:child_edit", args=[child.pk, section]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:child", args=[child.pk]) + f"#{section}"
    child_after = snapshot(child)
    own_fields = set(own_section) | {"updated_at", "updated_by_id"}
    if section == "toestemming":
        own_fields |= {"photo_consent_group_page", "photo_consent_website"}
    unchanged = {k: v for k, v in child_before.items() if k not in own_fields}
    assert {k: child_after[k] for k in unchanged} == unchanged
    assert child_after["group_id"] == child.group_id
    assert child_after["school_id"] == child.school_id
    assert child_after["first_name"] == "Lotte"
    assert child_after["date_of_birth"] == date(2019, 5, 1)
    assert child_after["updated_by_id"] == guardian.user.pk
    assert child_after["updated_at"] >= before
    assert snapshot(other_child) == other_child_before
    assert set(Guardianship.objects.values_list("guardian", "pupil")) == links_before


def test_child_address_postcode_is_normalised(parent, family):
    _guardian, child = family

    parent.post(
        reverse("portal:child_edit", args=[child.pk, "adres"]),
        {"street": "Kindstraat", "house_number": "4", "postcode": "3512jk", "city": "Utrecht"},
    )

    child.refresh_from_db()
    assert child.postcode == "3512 JK"


def test_medical_notes_and_allergies_are_saved_and_shown_to_the_parent(parent, family):
    _guardian, child = family

    response = parent.post(
        reverse("portal:child_edit", args=[child.pk, "medisch"]),
        {"medical_notes": "Gebruikt een puffer bij sport", "allergies": "Pinda's"},
    )

    assert response.status_code == 302
    child.refresh_from_db()
    assert child.medical_notes == "Gebruikt een puffer bij sport"
    assert child.allergies == "Pinda's"
    content = parent.get(reverse("portal:child", args=[child.pk])).content.decode()
    assert "Gebruikt een puffer bij sport" in content


def test_photo_consents_are_saved(parent, family):
    _guardian, child = family

    parent.post(
        reverse("portal:child_edit", args=[child.pk, "toestemming"]),
        {"photo_consent_group_page": "on"},
    )

    child.refresh_from_db()
    assert child.photo_consent_group_page is True
    assert child.photo_consent_website is False
    assert child.photo_consent_social_media is False


# --- Noodcontacten -------------------------------------------------------------------


def test_emergency_contacts_form_uses_the_emergency_contacts_prefix(parent, family):
    _guardian, child = family

    response = parent.get(reverse("portal:child_emergency_contacts", args=[child.pk]))

    assert response.status_code == 200
    assert f'name="{PREFIX}-TOTAL_FORMS"' in response.content.decode()


def test_parent_adds_an_emergency_contact(parent, family):
    guardian, child = family

    response = parent.post(
        reverse("portal:child_emergency_contacts", args=[child.pk]),
        formset_data({"name": "Tante Els", "relation": "tante", "phone": "06-12312312"}),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:child", args=[child.pk]) + "#noodcontacten"
    assert [row[1:] for row in contacts_of(child)] == [("Tante Els", "tante", "06-12312312")]
    child.refresh_from_db()
    assert child.updated_by == guardian.user
    assert child.updated_at is not None


def test_parent_edits_an_emergency_contact(parent, family):
    _guardian, child = family
    contact = EmergencyContact.objects.create(pupil=child, name="Buurman", phone="030-1110000")

    response = parent.post(
        reverse("portal:child_emergency_contacts", args=[child.pk]),
        formset_data(
            {
                "id": contact.pk,
                "name": "Buurman Piet",
                "relation": "buurman",
                "phone": "030-1110001",
            },
            {"name": "", "relation": "", "phone": ""},
            initial=1,
        ),
    )

    assert response.status_code == 302
    assert contacts_of(child) == [(contact.pk, "Buurman Piet", "buurman", "030-1110001")]


def test_parent_deletes_an_emergency_contact(parent, family):
    _guardian, child = family
    gone = EmergencyContact.objects.create(pupil=child, name="Weg", phone="030-1110000")
    kept = EmergencyContact.objects.create(pupil=child, name="Blijft", phone="030-1110002")

    response = parent.post(
        reverse("portal:child_emergency_contacts", args=[child.pk]),
        formset_data(
            {"id": gone.pk, "name": "Weg", "phone": "030-1110000", "DELETE": "on"},
            {"id": kept.pk, "name": "Blijft", "phone": "030-1110002"},
            initial=2,
        ),
    )

    assert response.status_code == 302
    assert [row[1] for row in contacts_of(child)] == ["Blijft"]


def test_invalid_emergency_contact_phone_is_refused_in_dutch(parent, family):
    _guardian, child = family

    response = parent.post(
        reverse("portal:child_emergency_contacts", args=[child.pk]),
        formset_data({"name": "Tante Els", "relation": "", "phone": "bel me"}),
    )

    assert response.status_code == 400
    content = response.content.decode()
    assert "Vul een geldig telefoonnummer in" in content
    assert 'value="Tante Els"' in content
    assert contacts_of(child) == []


def test_emergency_contacts_formset_cannot_reach_another_childs_contact(
    parent, family, other_family
):
    _guardian, child = family
    _other, other_child = other_family
    [foreign] = other_child.emergency_contacts.all()
    before = contacts_of(other_child)

    response = parent.post(
        reverse("portal:child_emergency_contacts", args=[child.pk]),
        formset_data(
            {"id": foreign.pk, "name": "Gekaapt", "phone": "06-99999999", "DELETE": "on"},
            initial=1,
        ),
    )

    # Django ignores a row outside the formset's queryset (or refuses the form): either way
    # the other child's contact stays as it was.
    assert response.status_code in (302, 400)
    assert contacts_of(other_child) == before
    assert contacts_of(child) == []


def test_a_child_has_at_most_five_emergency_contacts(parent, family):
    _guardian, child = family
    forms = [{"name": f"Contact {n}", "phone": f"06-1234567{n}"} for n in range(6)]

    response = parent.post(
        reverse("portal:child_emergency_contacts", args=[child.pk]), formset_data(*forms)
    )

    assert response.status_code == 400
    assert len(contacts_of(child)) == 0
    assert 'value="Contact 5"' in response.content.decode()  # what was typed is kept


# --- Kind koppelen -------------------------------------------------------------------


@pytest.fixture
def unlinked_pupil(family):
    _guardian, child = family
    return PupilFactory(
        first_name="Noor", last_name="Jansen", group__school_year=child.group.school_year
    )


def link(client, code, relation=Relation.MOTHER):
    return client.post(reverse("portal:link_child"), {"code": code, "relation": relation})


def test_valid_link_code_links_the_child_and_leads_to_my_children(parent, family, unlinked_pupil):
    guardian, _child = family
    code = linking.issue_code(unlinked_pupil)

    response = link(parent, code)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:children")
    link_row = Guardianship.objects.get(guardian=guardian, pupil=unlinked_pupil)
    assert link_row.relation == Relation.MOTHER
    used = PupilLinkCode.objects.get(pupil=unlinked_pupil)
    assert used.used_by == guardian
    assert used.used_at is not None
    content = parent.get(reverse("portal:children")).content.decode()
    assert "Noor Jansen is gekoppeld aan uw account." in content
    assert reverse("portal:child", args=[unlinked_pupil.pk]) in content


def test_link_code_may_be_typed_in_lower_case_without_dash(parent, family, unlinked_pupil):
    guardian, _child = family
    code = linking.issue_code(unlinked_pupil)

    response = link(parent, f" {code.replace('-', '').lower()} ")

    assert response.status_code == 302
    assert Guardianship.objects.filter(guardian=guardian, pupil=unlinked_pupil).exists()


def test_used_link_code_is_refused_with_a_clear_message(client, family, unlinked_pupil):
    guardian, _child = family
    code = linking.issue_code(unlinked_pupil)
    client.force_login(guardian.user)
    link(client, code)
    stranger = parent_of()
    client.force_login(stranger.user)

    response = link(client, code)

    assert response.status_code == 400
    assert "Deze code is al gebruikt of vervangen." in response.content.decode()
    assert not Guardianship.objects.filter(guardian=stranger).exists()


def test_wrong_link_code_is_refused_with_a_clear_message(parent, family, unlinked_pupil):
    guardian, _child = family
    linking.issue_code(unlinked_pupil)

    response = link(parent, "ABCDE-FGH23")

    assert response.status_code == 400
    content = response.content.decode()
    assert "Deze code klopt niet. Controleer de code op de brief van school." in content
    assert 'value="ABCDE-FGH23"' in content
    assert not Guardianship.objects.filter(guardian=guardian, pupil=unlinked_pupil).exists()
    assert LinkCodeAttempt.objects.filter(user=guardian.user).count() == 1


def test_new_link_code_revokes_the_previous_one(parent, family, unlinked_pupil):
    guardian, _child = family
    old = linking.issue_code(unlinked_pupil)
    new = linking.issue_code(unlinked_pupil)

    refused = link(parent, old)
    accepted = link(parent, new)

    assert refused.status_code == 400
    assert "Deze code is al gebruikt of vervangen." in refused.content.decode()
    assert accepted.status_code == 302
    assert Guardianship.objects.filter(guardian=guardian, pupil=unlinked_pupil).exists()


def fail(client, times):
    for _ in range(times):
        assert link(client, "ZZZZZ-ZZZZZ").status_code == 400


LOCK_MESSAGE = "U heeft te vaak een verkeerde code ingevuld. Probeer het over een uur opnieuw."


def test_four_wrong_codes_do_not_lock_the_form(parent, family, unlinked_pupil):
    guardian, _child = family
    code = linking.issue_code(unlinked_pupil)
    fail(parent, 4)

    assert link(parent, code).status_code == 302
    assert Guardianship.objects.filter(guardian=guardian, pupil=unlinked_pupil).exists()


def test_five_wrong_codes_lock_the_form_even_for_a_valid_code(parent, family, unlinked_pupil):
    guardian, _child = family
    code = linking.issue_code(unlinked_pupil)
    fail(parent, 5)

    response = link(parent, code)

    assert response.status_code == 400
    assert LOCK_MESSAGE in response.content.decode()
    assert not Guardianship.objects.filter(guardian=guardian, pupil=unlinked_pupil).exists()
    assert PupilLinkCode.objects.get(pupil=unlinked_pupil).used_at is None
    page = parent.get(reverse("portal:link_child")).content.decode()
    assert LOCK_MESSAGE in page
    assert 'name="code"' not in page


def test_lock_applies_only_to_the_account_that_guessed(client, family, unlinked_pupil):
    guardian, _child = family
    code = linking.issue_code(unlinked_pupil)
    client.force_login(guardian.user)
    fail(client, 5)
    partner = parent_of(first_name="Partner")
    client.force_login(partner.user)

    assert 'name="code"' in client.get(reverse("portal:link_child")).content.decode()
    assert link(client, code).status_code == 302
    assert Guardianship.objects.filter(guardian=partner, pupil=unlinked_pupil).exists()


def test_lock_still_holds_just_within_the_hour(parent, family, unlinked_pupil):
    guardian, _child = family
    code = linking.issue_code(unlinked_pupil)
    fail(parent, 5)
    LinkCodeAttempt.objects.filter(user=guardian.user).update(
        created_at=F("created_at") - timedelta(minutes=58)
    )

    assert link(parent, code).status_code == 400


def test_lock_is_lifted_after_an_hour(parent, family, unlinked_pupil):
    guardian, _child = family
    code = linking.issue_code(unlinked_pupil)
    fail(parent, 5)
    LinkCodeAttempt.objects.filter(user=guardian.user).update(
        created_at=F("created_at") - timedelta(hours=1, minutes=1)
    )

    assert 'name="code"' in parent.get(reverse("portal:link_child")).content.decode()
    assert link(parent, code).status_code == 302
    assert Guardianship.objects.filter(guardian=guardian, pupil=unlinked_pupil).exists()


def test_lock_is_lifted_when_the_clock_passes_the_hour(parent, family, unlinked_pupil):
    guardian, _child = family
    code = linking.issue_code(unlinked_pupil)
    fail(parent, 5)
    later = timezone.now() + timedelta(hours=1, minutes=1)

    with mock.patch("schoolportal.people.linking.timezone.now", return_value=later):
        response = link(parent, code)

    assert response.status_code == 302
    assert Guardianship.objects.filter(guardian=guardian, pupil=unlinked_pupil).exists()


# --- Oppas ---------------------------------------------------------------------------


@pytest.fixture
def babysitters(family, other_family):
    guardian, _child = family
    other, _other_child = other_family
    own = Babysitter.objects.create(
        guardian=guardian, name="Oppas Fenna", phone="06-40404040", notes="Woensdagmiddag"
    )
    foreign = Babysitter.objects.create(
        guardian=other, name="Oppas Geheim", phone="06-50505050", notes="Vrijdag"
    )
    return own, foreign


def test_parent_adds_a_babysitter_to_their_own_family(parent, family, other_family):
    guardian, _child = family
    other, _other_child = other_family

    response = parent.post(
        reverse("portal:babysitter_add"),
        {"name": "Oppas Mila", "phone": "06-70707070", "notes": "", "guardian": other.pk},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:babysitters")
    babysitter = Babysitter.objects.get(name="Oppas Mila")
    assert babysitter.guardian == guardian
    assert "Oppas Mila" in parent.get(reverse("portal:babysitters")).content.decode()


def test_babysitter_with_invalid_phone_is_refused_in_dutch(parent):
    response = parent.post(reverse("portal:babysitter_add"), {"name": "Oppas Mila", "phone": "1"})

    assert response.status_code == 400
    assert "Vul een geldig telefoonnummer in" in response.content.decode()
    assert 'value="Oppas Mila"' in response.content.decode()  # what was typed is kept
    assert not Babysitter.objects.filter(name="Oppas Mila").exists()


def test_parent_edits_own_babysitter(parent, family, other_family, babysitters):
    guardian, _child = family
    other, _other_child = other_family
    own, _foreign = babysitters

    response = parent.post(
        reverse("portal:babysitter_edit", args=[own.pk]),
        {"name": "Oppas Fenna de Wit", "phone": "06-40404041", "notes": "", "guardian": other.pk},
    )

    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.name, own.phone, own.notes) == ("Oppas Fenna de Wit", "06-40404041", "")
    assert own.guardian == guardian


def test_deleting_own_babysitter_asks_first_and_deletes_on_post(parent, babysitters):
    own, _foreign = babysitters
    url = reverse("portal:babysitter_delete", args=[own.pk])

    confirm = parent.get(url)

    assert confirm.status_code == 200
    assert "Oppas Fenna" in confirm.content.decode()
    assert Babysitter.objects.filter(pk=own.pk).exists()

    response = parent.post(url)

    assert response.status_code == 302
    assert not Babysitter.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize(
    "method, url_name",
    [
        ("get", "babysitter_edit"),
        ("post", "babysitter_edit"),
        ("get", "babysitter_delete"),
        ("post", "babysitter_delete"),
    ],
)
def test_another_familys_babysitter_answers_404_and_nothing_changes(
    parent, babysitters, method, url_name
):
    _own, foreign = babysitters
    before = snapshot(foreign)
    url = reverse(f"portal:{url_name}", args=[foreign.pk])

    if method == "post":
        response = parent.post(url, {"name": "Gekaapt", "phone": "06-99999999"})
    else:
        response = parent.get(url)

    assert response.status_code == 404
    assert snapshot(foreign) == before
    assert "Oppas Geheim" not in response.content.decode()


def test_babysitter_list_shows_only_own_babysitters(parent, babysitters):
    content = parent.get(reverse("portal:babysitters")).content.decode()

    assert "Oppas Fenna" in content
    assert "Oppas Geheim" not in content
    assert "06-50505050" not in content


def test_a_babysitter_never_appears_on_another_parents_pages(
    client, family, other_family, babysitters
):
    _guardian, child = family
    other, _other_child = other_family
    child.group.teachers.add(StaffMemberFactory(school=child.school))
    client.force_login(other.user)
    urls = [
        reverse("portal:dashboard"),
        reverse("portal:school"),
        reverse("portal:class_list", args=[child.group.pk]),
        reverse("portal:class_list_print", args=[child.group.pk]),
        reverse("portal:children"),
        reverse("portal:babysitters"),
        reverse("portal:profile"),
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert "Oppas Fenna" not in content, url
        assert "06-40404040" not in content, url
        assert "Woensdagmiddag" not in content, url
