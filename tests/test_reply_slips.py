"""Reply slips (antwoordbriefjes): who answers, validation, the deadline, and the admin results."""

import csv
import io
import re
from datetime import date, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from schoolportal.mailings.delivery import send_to_new_recipients
from schoolportal.mailings.models import Mailing, ReplySlipAnswer, ReplySlipReminder
from schoolportal.notifications.models import OutboxMessage
from schoolportal.parentviews.caching import bump_version
from schoolportal.people.models import StaffRole
from tests.factories import (
    GroupFactory,
    GuardianFactory,
    GuardianshipFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    parent_of,
    send_mailing,
)

pytestmark = pytest.mark.django_db

# Every field type a slip offers, by a short key: (label, field type, choices, required).
QUESTIONS = {
    "naam": ("Naam van de rijdende ouder", "singleline", "", True),
    "plaatsen": ("Aantal plaatsen", "number", "", False),
    "datum": ("Datum van vertrek", "date", "", False),
    "vervoer": ("Vervoer", "dropdown", "Auto\nFiets", False),
    "mee": ("Rijdt u mee?", "radio", "Ja\nNee", False),
    "meenemen": ("Wat neemt u mee?", "checkboxes", "Fruit\nDrinken\nKoek", False),
    "akkoord": ("Akkoord met de regels", "checkbox", "", False),
    "opmerkingen": ("Opmerkingen", "multiline", "", False),
}
VALID = {
    "naam": "Marieke de Boer",
    "plaatsen": "3",
    "datum": "2027-03-05",
    "vervoer": "Auto",
    "mee": "Ja",
    "meenemen": ["Fruit", "Koek"],
    "akkoord": "on",
    "opmerkingen": "Ik neem de bolderkar mee",
}
STORED = {**VALID, "akkoord": True}
CLOSED = "De termijn voor dit antwoordbriefje is verstreken."


def in_days(days):
    return timezone.now() + timedelta(days=days)


@pytest.fixture
def family():
    school = SchoolFactory(name="Basisschool Het Anker")
    group = GroupFactory(school_year__school=school, name="Groep 3a")
    other_group = GroupFactory(school_year=group.school_year, school=school, name="Groep 7b")
    child = PupilFactory(first_name="Lotte", last_name="Bakker", group=group)
    parent = parent_of(child, first_name="Marieke", last_name="Bakker")
    co_parent = parent_of(child, first_name="Joost", last_name="Bakker")
    classmate = PupilFactory(first_name="Sem", last_name="Smit", group=group)
    classmate_parent = parent_of(classmate, first_name="Ilse", last_name="Smit")
    return SimpleNamespace(
        school=school,
        group=group,
        other_group=other_group,
        child=child,
        parent=parent,
        co_parent=co_parent,
        classmate=classmate,
        classmate_parent=classmate_parent,
    )


def slip_mailing(groups, questions=QUESTIONS, **kwargs):
    kwargs.setdefault("reply_deadline", in_days(7))
    return send_mailing(groups, fields=list(questions.values()), **kwargs)


def detail_url(mailing):
    return reverse("mailings:detail", args=[mailing.pk])


def clean_names(mailing):
    by_label = {field.label: field.clean_name for field in mailing.reply_fields.all()}
    return {key: by_label[label] for key, (label, *_rest) in QUESTIONS.items() if label in by_label}


def slip_data(mailing, unit, answers):
    """The POST of one slip form: ``unit`` is the key pupil, ``answers`` by short key."""
    names = clean_names(mailing)
    data = {"unit": str(unit.pk if hasattr(unit, "pk") else unit)}
    for key, value in answers.items():
        if value is not None:
            data[f"unit{data['unit']}-{names[key]}"] = value
    return data


def answer(client, mailing, unit, answers):
    return client.post(detail_url(mailing), slip_data(mailing, unit, answers))


def stored(mailing, pupil):
    """The stored answer by short key, or None."""
    row = ReplySlipAnswer.objects.filter(mailing=mailing, pupil=pupil).first()
    if row is None:
        return None
    return {key: row.answers.get(name) for key, name in clean_names(mailing).items()}


def as_user(client, guardian):
    client.force_login(guardian.user)
    return client


def slip_units(response):
    """The key pupil ids of the slip forms on a mailing page, in page order."""
    return [int(pk) for pk in re.findall(r'name="unit" value="(\d+)"', response.content.decode())]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- Per family ---------------------------------------------------------------------------


def test_co_parents_share_one_family_answer(client, family):
    mailing = slip_mailing([family.group])

    saved = answer(as_user(client, family.parent), mailing, family.child, VALID)

    assert saved.status_code == 302
    assert saved["Location"] == detail_url(mailing) + "#antwoordbriefje"
    assert "Uw antwoord is opgeslagen." in messages_of(saved)
    co_parent_page = as_user(client, family.co_parent).get(detail_url(mailing))
    assert slip_units(co_parent_page) == [family.child.pk]
    assert "Ik neem de bolderkar mee" in co_parent_page.content.decode()

    changed = answer(client, mailing, family.child, {**VALID, "opmerkingen": "Toch met de bus"})

    assert changed.status_code == 302
    row = ReplySlipAnswer.objects.get(mailing=mailing)
    assert row.pupil_id == family.child.pk
    assert row.answered_by_id == family.co_parent.user_id
    assert stored(mailing, family.child) == {**STORED, "opmerkingen": "Toch met de bus"}
    parent_page = as_user(client, family.parent).get(detail_url(mailing)).content.decode()
    assert "Toch met de bus" in parent_page
    assert "Ik neem de bolderkar mee" not in parent_page


def test_a_co_parents_answer_shows_at_once_on_the_parents_cached_page(
    family, django_assert_max_num_queries
):
    mailing = slip_mailing([family.group])
    parent, co_parent = Client(), Client()
    parent.force_login(family.parent.user)
    co_parent.force_login(family.co_parent.user)
    parent.get(detail_url(mailing))  # read: the session's pages are forgotten once
    parent.get(detail_url(mailing))
    # A repeat view comes from the page cache: the session, the user and the data version.
    with django_assert_max_num_queries(3):
        assert "Nog niet beantwoord." in parent.get(detail_url(mailing)).content.decode()

    answer(co_parent, mailing, family.child, {**VALID, "opmerkingen": "Toch met de bus"})

    assert "Toch met de bus" in parent.get(detail_url(mailing)).content.decode()


def test_a_parent_with_children_from_two_relationships_answers_once_with_both_co_parents(
    client, family
):
    """Marieke has Lotte with Joost and Finn with Sanne: all four answer as one family."""
    finn = PupilFactory(first_name="Finn", last_name="Bakker", group=family.other_group)
    GuardianshipFactory(guardian=family.parent, pupil=finn)
    sanne = parent_of(finn, first_name="Sanne", last_name="Jansen")
    mailing = slip_mailing([], school=family.school)  # Lotte and Finn are in different groups

    sanne_page = as_user(client, sanne).get(detail_url(mailing))
    answer(client, mailing, family.child, {**VALID, "opmerkingen": "Sanne rijdt"})

    assert slip_units(sanne_page) == [family.child.pk]  # the family's answer sits on Lotte
    assert stored(mailing, family.child)["opmerkingen"] == "Sanne rijdt"
    joost_page = as_user(client, family.co_parent).get(detail_url(mailing))
    assert slip_units(joost_page) == [family.child.pk]
    assert "Sanne rijdt" in joost_page.content.decode()
    marieke_page = as_user(client, family.parent).get(detail_url(mailing))
    assert slip_units(marieke_page) == [family.child.pk]
    heading = re.search(r"Voor ons gezin \(([^)]*)\)", marieke_page.content.decode()).group(1)
    assert set(heading.split(", ")) == {"Lotte Bakker", "Finn Bakker"}

    answer(client, mailing, family.child, {**VALID, "opmerkingen": "Marieke rijdt"})

    assert ReplySlipAnswer.objects.filter(mailing=mailing).count() == 1
    assert stored(mailing, family.child)["opmerkingen"] == "Marieke rijdt"
    # An own child that is not the family's key is no unit of its own.
    assert answer(client, mailing, finn, VALID).status_code == 404


def _slip_page_queries(client, guardian, mailing):
    as_user(client, guardian)
    client.get(detail_url(mailing))  # the menu's unread count, kept per user, is read once
    bump_version()  # a rendered page and its families computed, not the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail_url(mailing)).status_code == 200
    return len(queries)


def test_a_slip_pages_queries_do_not_grow_with_a_family_joined_over_many_relationships(
    client, family
):
    """Marieke and Joost have Lotte; a chain of three more relationships joins four more
    children and parents to their family: the page still reads the families at once."""
    mailing = slip_mailing([], school=family.school)
    simple = _slip_page_queries(client, family.parent, mailing)
    previous_parent = family.co_parent
    for number in range(3):
        step_child = PupilFactory(first_name=f"Kind{number}", group=family.other_group)
        GuardianshipFactory(guardian=previous_parent, pupil=step_child)
        previous_parent = parent_of(step_child, first_name=f"Ouder{number}")
    mailing = slip_mailing([], school=family.school)

    chained = _slip_page_queries(client, family.parent, mailing)

    assert slip_units(client.get(detail_url(mailing))) == [family.child.pk]
    assert chained == simple


def test_a_child_added_to_the_audience_later_gets_its_own_family_slip(client, family):
    mailing = slip_mailing([family.group])
    assert slip_units(as_user(client, family.parent).get(detail_url(mailing)))  # families kept
    newcomer = PupilFactory(first_name="Noor", group=family.group)
    newcomer_parent = parent_of(newcomer, first_name="Fatima")
    as_user(client, family.parent).get(detail_url(mailing))  # kept again, without Noor

    send_to_new_recipients(mailing)

    page = as_user(client, newcomer_parent).get(detail_url(mailing))
    assert page.status_code == 200
    assert slip_units(page) == [newcomer.pk]


# --- Per child ----------------------------------------------------------------------------


def test_per_child_slip_has_one_form_per_child_in_the_audience(client, family):
    sister = PupilFactory(first_name="Eva", last_name="Bakker", group=family.group)
    brother = PupilFactory(first_name="Tim", last_name="Bakker", group=family.other_group)
    for pupil in (sister, brother):
        GuardianshipFactory(guardian=family.parent, pupil=pupil)
    mailing = slip_mailing([family.group], reply_per="child")
    client = as_user(client, family.parent)

    page = client.get(detail_url(mailing))

    assert sorted(slip_units(page)) == sorted([family.child.pk, sister.pk])
    content = page.content.decode()
    assert "Voor Lotte Bakker" in content
    assert "Voor Eva Bakker" in content
    assert "Tim" not in content

    answer(client, mailing, family.child, {**VALID, "opmerkingen": "Lotte"})
    answer(client, mailing, sister, {**VALID, "opmerkingen": "Eva"})
    refused = answer(client, mailing, brother, VALID)

    assert refused.status_code == 404
    assert stored(mailing, family.child)["opmerkingen"] == "Lotte"
    assert stored(mailing, sister)["opmerkingen"] == "Eva"
    assert stored(mailing, brother) is None


def test_per_child_forms_come_oldest_first_each_with_its_own_answer(client, family):
    family.child.date_of_birth = date(2018, 5, 1)
    family.child.save()
    older = PupilFactory(first_name="Eva", group=family.group, date_of_birth=date(2016, 2, 1))
    GuardianshipFactory(guardian=family.parent, pupil=older)
    mailing = slip_mailing([family.group], reply_per="child")
    client = as_user(client, family.parent)
    answer(client, mailing, older, {**VALID, "opmerkingen": "Alleen voor Eva"})
    answer(as_user(Client(), family.classmate_parent), mailing, family.classmate, VALID)

    page = client.get(detail_url(mailing))

    assert slip_units(page) == [older.pk, family.child.pk]
    eva_form, lotte_form = page.content.decode().split('name="unit"')[1:]
    assert "Alleen voor Eva" in eva_form and "Beantwoord op" in eva_form
    assert "Nog niet beantwoord" in lotte_form and "Alleen voor Eva" not in lotte_form


@pytest.mark.parametrize("reply_per", ["family", "child"])
def test_answering_for_a_pupil_of_another_family_answers_404(client, family, reply_per):
    mailing = slip_mailing([family.group], reply_per=reply_per)
    client = as_user(client, family.parent)

    for unit in (family.classmate.pk, 987_654_321, "abc", ""):
        response = client.post(detail_url(mailing), slip_data(mailing, unit, VALID))
        assert response.status_code == 404, unit

    assert not ReplySlipAnswer.objects.exists()
    assert answer(client, mailing, family.child, VALID).status_code == 302  # the control


def test_a_mailing_without_slip_takes_no_answers(client, family):
    mailing = send_mailing([family.group])

    response = as_user(client, family.parent).post(detail_url(mailing), {"unit": family.child.pk})

    assert response.status_code == 404
    assert not ReplySlipAnswer.objects.exists()


# --- Validation and stored types ----------------------------------------------------------


@pytest.mark.parametrize(
    "key, value, error",
    [
        ("plaatsen", "abc", "Voer een getal in."),
        ("datum", "2027-02-31", "Voer een geldige datum in."),
        ("datum", "volgende week", "Voer een geldige datum in."),
        ("vervoer", "Boot", "Selecteer een geldige keuze. Boot is geen beschikbare keuze."),
        ("mee", "Misschien", "Selecteer een geldige keuze. Misschien is geen beschikbare keuze."),
        (
            "meenemen",
            ["Fruit", "Koffie"],
            "Selecteer een geldige keuze. Koffie is geen beschikbare keuze.",
        ),
        ("naam", "", "Dit is een verplicht veld."),
        ("naam", None, "Dit is een verplicht veld."),
    ],
)
def test_an_invalid_answer_is_refused_in_dutch_and_stores_nothing(
    client, family, key, value, error
):
    mailing = slip_mailing([family.group])
    client = as_user(client, family.parent)
    invalid = {**VALID, key: value}

    first = answer(client, mailing, family.child, invalid)

    assert first.status_code == 400
    assert error in first.content.decode()
    if key != "opmerkingen":  # the other answers are still there
        assert "Ik neem de bolderkar mee" in first.content.decode()
    assert not ReplySlipAnswer.objects.exists()

    answer(client, mailing, family.child, VALID)
    before = ReplySlipAnswer.objects.get()
    again = answer(client, mailing, family.child, invalid)

    assert again.status_code == 400
    assert error in again.content.decode()
    after = ReplySlipAnswer.objects.get()
    assert (after.answers, after.updated_at) == (before.answers, before.updated_at)
    assert stored(mailing, family.child) == STORED


def test_answers_are_stored_as_json_text_lists_and_booleans(client, family):
    mailing = slip_mailing([family.group])

    answer(as_user(client, family.parent), mailing, family.child, VALID)

    values = stored(mailing, family.child)
    assert values == STORED
    assert values["datum"] == "2027-03-05"  # a date as ISO text
    assert values["plaatsen"] == "3"  # a number as text
    assert values["meenemen"] == ["Fruit", "Koek"]
    assert values["akkoord"] is True


def test_empty_optional_answers_are_stored_as_empty_values(client, family):
    mailing = slip_mailing([family.group])

    answer(as_user(client, family.parent), mailing, family.child, {"naam": "Joost"})

    values = stored(mailing, family.child)
    assert values["naam"] == "Joost"
    assert values["akkoord"] is False
    assert values["meenemen"] == []
    assert values["plaatsen"] is None
    assert values["datum"] is None


@pytest.mark.parametrize(
    "entered, kept", [("10", "10"), ("2.50", "2.5"), ("0", "0"), ("1200", "1200")]
)
def test_numbers_are_stored_as_plain_text(client, family, entered, kept):
    mailing = slip_mailing([family.group])

    answer(as_user(client, family.parent), mailing, family.child, {**VALID, "plaatsen": entered})

    assert stored(mailing, family.child)["plaatsen"] == kept


# --- The deadline -------------------------------------------------------------------------


def test_after_the_deadline_a_change_is_refused_and_the_answer_kept(client, family):
    mailing = slip_mailing([family.group], reply_deadline=in_days(2))
    client = as_user(client, family.parent)
    answer(client, mailing, family.child, VALID)
    before = ReplySlipAnswer.objects.get()
    Mailing.objects.filter(pk=mailing.pk).update(reply_deadline=in_days(-1))

    refused = answer(client, mailing, family.child, {**VALID, "opmerkingen": "Te laat"})

    assert refused.status_code == 302
    assert any(message.startswith(CLOSED) for message in messages_of(refused))
    after = ReplySlipAnswer.objects.get()
    assert (after.answers, after.updated_at) == (before.answers, before.updated_at)
    page = client.get(detail_url(mailing)).content.decode()
    assert CLOSED in page
    assert "Ik neem de bolderkar mee" in page  # the kept answer is still shown
    assert "Antwoord opslaan" not in page
    fields = re.findall(r"<(?:input|textarea|select)\b[^>]*\bname=\"unit\d+-[^>]*>", page)
    assert len(fields) >= len(QUESTIONS)
    assert all(re.search(r"\sdisabled\b", field) for field in fields), fields


def test_after_the_deadline_a_first_answer_is_refused_too(client, family):
    mailing = slip_mailing([family.group], reply_deadline=in_days(-1))

    refused = answer(as_user(client, family.parent), mailing, family.child, VALID)

    assert refused.status_code == 302
    assert any(message.startswith(CLOSED) for message in messages_of(refused))
    assert not ReplySlipAnswer.objects.exists()


def test_before_the_deadline_the_form_is_open_and_says_until_when(client, family):
    mailing = slip_mailing([family.group], reply_deadline=in_days(3))

    page = as_user(client, family.parent).get(detail_url(mailing)).content.decode()

    assert "U kunt antwoorden en uw antwoord wijzigen tot" in page
    assert "Antwoord opslaan" in page
    assert CLOSED not in page
    assert not re.search(r"<input\b[^>]*\bname=\"unit\d+-[^>]*\sdisabled\b", page)


# --- The admin: answers, export, reminders ------------------------------------------------

SCHOOLTRIP = {
    "mee": ("Rijdt u mee?", "radio", "Ja\nNee", True),
    "opmerkingen": ("Opmerkingen", "singleline", "", False),
}


@pytest.fixture
def trip(family):
    """A per-family slip for groep 3a: the Bakkers said yes, the Smits no, the Vissers nothing."""
    noor = PupilFactory(first_name="Noor", last_name="Visser", group=family.group)
    fleur = parent_of(noor, first_name="Fleur", last_name="Visser")
    bas = GuardianFactory(user=None, first_name="Bas", last_name="Visser", email="bas@example.org")
    GuardianshipFactory(guardian=bas, pupil=noor)
    daan = PupilFactory(first_name="Daan", last_name="Dekker", group=family.other_group)
    bram = parent_of(daan, first_name="Bram", last_name="Dekker")
    mailing = slip_mailing([family.group], questions=SCHOOLTRIP, title="Schoolreis: wie rijdt?")
    names = {field.label: field.clean_name for field in mailing.reply_fields.all()}
    mee, opmerkingen = names["Rijdt u mee?"], names["Opmerkingen"]
    ReplySlipAnswer.objects.create(
        mailing=mailing,
        pupil=family.child,
        answers={mee: "Ja", opmerkingen: "Bolderkar"},
        answered_by=family.parent.user,
    )
    ReplySlipAnswer.objects.create(
        mailing=mailing,
        pupil=family.classmate,
        answers={mee: "Nee", opmerkingen: '=HYPERLINK("http://evil.example","klik")'},
        answered_by=family.classmate_parent.user,
    )
    management = StaffMemberFactory(school=family.school, role=StaffRole.MANAGEMENT)
    return SimpleNamespace(
        mailing=mailing,
        noor=noor,
        fleur=fleur,
        bas=bas,
        daan=daan,
        bram=bram,
        management=management,
        url=reverse("wagtailsnippets_mailings_mailing:answers", args=[mailing.pk]),
    )


def staff_client(client, staff):
    client.force_login(staff.user)
    return client


def unit_rows(response):
    """(label, guardians' names, answer values) per row of the answers view."""
    return [
        (unit.label, {guardian.full_name for guardian in unit.guardians}, values)
        for unit, values in response.context["rows"]
    ]


def test_answers_view_shows_a_row_per_family_with_guardians_counts_and_non_responders(
    client, family, trip
):
    response = staff_client(client, trip.management).get(trip.url)

    assert response.status_code == 200
    assert unit_rows(response) == [
        ("Lotte Bakker", {"Marieke Bakker", "Joost Bakker"}, ["Ja", "Bolderkar"]),
        ("Sem Smit", {"Ilse Smit"}, ["Nee", '=HYPERLINK("http://evil.example","klik")']),
        ("Noor Visser", {"Fleur Visser", "Bas Visser"}, ["", ""]),
    ]
    content = response.content.decode()
    assert "2 van 3 beantwoord." in content
    assert "<tr><td>Ja</td><td>1</td></tr>" in content
    assert "<tr><td>Nee</td><td>1</td></tr>" in content
    assert "Marieke Bakker" in content
    assert "Daan" not in content  # not in the audience
    waiting = content.split("Nog niet beantwoord", 1)[1]
    assert "Noor Visser (" in waiting
    assert "Fleur Visser" in waiting
    assert "Lotte" not in waiting
    assert "Sem" not in waiting
    assert 'value="remind"' in waiting


def test_answers_view_of_a_per_child_slip_has_a_row_per_child(client, family):
    sister = PupilFactory(first_name="Eva", last_name="Bakker", group=family.group)
    GuardianshipFactory(guardian=family.parent, pupil=sister)
    mailing = slip_mailing([family.group], questions=SCHOOLTRIP, reply_per="child")
    management = StaffMemberFactory(school=family.school, role=StaffRole.MANAGEMENT)
    url = reverse("wagtailsnippets_mailings_mailing:answers", args=[mailing.pk])

    response = staff_client(client, management).get(url)

    assert [(label, guardians) for label, guardians, _values in unit_rows(response)] == [
        ("Eva Bakker", {"Marieke Bakker"}),
        ("Lotte Bakker", {"Marieke Bakker", "Joost Bakker"}),
        ("Sem Smit", {"Ilse Smit"}),
    ]
    assert "<th>Kind</th>" in response.content.decode()


def test_answers_view_joins_a_family_over_two_relationships(client, family):
    finn = PupilFactory(first_name="Finn", last_name="Bakker", group=family.other_group)
    GuardianshipFactory(guardian=family.parent, pupil=finn)
    parent_of(finn, first_name="Sanne", last_name="Jansen")
    mailing = slip_mailing([], questions=SCHOOLTRIP, school=family.school)
    management = StaffMemberFactory(school=family.school, role=StaffRole.MANAGEMENT)
    url = reverse("wagtailsnippets_mailings_mailing:answers", args=[mailing.pk])

    response = staff_client(client, management).get(url)

    rows = {frozenset(label.split(", ")): guardians for label, guardians, _ in unit_rows(response)}
    assert rows == {
        frozenset({"Lotte Bakker", "Finn Bakker"}): {
            "Marieke Bakker",
            "Joost Bakker",
            "Sanne Jansen",
        },
        frozenset({"Sem Smit"}): {"Ilse Smit"},
    }


def test_csv_export_has_a_header_row_semicolons_and_defused_formulas(client, family, trip):
    response = staff_client(client, trip.management).get(trip.url, {"export": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert table[0] == [
        "Gezin",
        "Groep",
        "Ouders",
        "Rijdt u mee?",
        "Opmerkingen",
        "Beantwoord door",
        "Beantwoord op",
    ]
    by_label = {row[0]: row for row in table[1:]}
    assert set(by_label) == {"Lotte Bakker", "Sem Smit", "Noor Visser"}
    lotte = by_label["Lotte Bakker"]
    assert lotte[1] == "Groep 3a"
    assert set(lotte[2].split(", ")) == {"Marieke Bakker", "Joost Bakker"}
    assert lotte[3:5] == ["Ja", "Bolderkar"]
    assert lotte[6]  # when it was answered
    assert by_label["Sem Smit"][4] == '\'=HYPERLINK("http://evil.example","klik")'
    assert by_label["Noor Visser"][3:] == ["", "", "", ""]


def test_xlsx_export_has_the_header_and_a_row_per_family(client, family, trip):
    response = staff_client(client, trip.management).get(trip.url, {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert table[0] == [
        "Gezin",
        "Groep",
        "Ouders",
        "Rijdt u mee?",
        "Opmerkingen",
        "Beantwoord door",
        "Beantwoord op",
    ]
    by_label = {row[0]: row for row in table[1:]}
    assert by_label["Lotte Bakker"][3:5] == ["Ja", "Bolderkar"]
    formula_cell = next(
        cell for row in sheet.iter_rows() for cell in row if "HYPERLINK" in str(cell.value)
    )
    # A text cell: spreadsheets show it as typed and never run it.
    assert formula_cell.data_type == "s"
    assert formula_cell.value == '=HYPERLINK("http://evil.example","klik")'


def test_reminder_is_queued_only_for_guardians_of_non_responders(client, family, trip, committed):
    with committed():
        response = staff_client(client, trip.management).post(trip.url, {"action": "remind"})

    assert response.status_code == 302
    assert "Herinnering verstuurd aan 2 ouders." in messages_of(response)
    reminder = ReplySlipReminder.objects.get(mailing=trip.mailing)
    assert reminder.sent_by == trip.management.user
    queued = OutboxMessage.objects.filter(kind="mailing-reminder")
    assert set(queued.values_list("recipient_email", "cause_id")) == {
        (trip.fleur.email, reminder.pk),
        ("bas@example.org", reminder.pk),
    }
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [trip.fleur.email, "bas@example.org"]
    )
    link = f"http://testserver/portaal/mailings/{trip.mailing.pk}/#antwoordbriefje"
    for message in mail.outbox:
        assert "Schoolreis: wie rijdt?" in message.subject
        assert link in message.body
        html, _type = message.alternatives[0]
        assert link in html
        for part in (message.body, html):  # no Reply-To: the e-mail says where to answer
            assert "Op deze e-mail kunt u niet antwoorden." in part
            assert "http://testserver" + reverse("conversations:compose") in part
        assert message.reply_to == []


def test_a_closed_slip_refuses_reminders(client, family, trip, committed):
    Mailing.objects.filter(pk=trip.mailing.pk).update(reply_deadline=in_days(-1))
    client = staff_client(client, trip.management)

    page = client.get(trip.url).content.decode()
    with committed():
        response = client.post(trip.url, {"action": "remind"})

    assert 'value="remind"' not in page
    assert "Gesloten sinds" in page
    assert response.status_code == 302
    assert any("gesloten" in message for message in messages_of(response))
    assert not ReplySlipReminder.objects.exists()
    assert not OutboxMessage.objects.filter(kind="mailing-reminder").exists()
    assert mail.outbox == []


def test_an_unknown_action_on_the_answers_view_answers_404(client, family, trip):
    response = staff_client(client, trip.management).post(trip.url, {"action": "everybody"})

    assert response.status_code == 404
    assert not ReplySlipReminder.objects.exists()


def test_staff_of_another_school_get_404_on_the_answers(client, family, trip, committed):
    stranger = StaffMemberFactory(school=SchoolFactory(), role=StaffRole.MANAGEMENT)
    client = staff_client(client, stranger)

    for query in ({}, {"export": "csv"}, {"export": "xlsx"}):
        response = client.get(trip.url, query)
        assert response.status_code == 404, query
        assert b"Bolderkar" not in response.content
    with committed():
        assert client.post(trip.url, {"action": "remind"}).status_code == 404

    assert not ReplySlipReminder.objects.exists()
    assert mail.outbox == []


def test_a_parent_cannot_open_the_answers(client, family, trip):
    response = as_user(client, family.parent).get(trip.url)

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_mailing_without_slip_has_no_answers_page(client, family, trip):
    plain = send_mailing([family.group], title="Nieuwsbrief")
    url = reverse("wagtailsnippets_mailings_mailing:answers", args=[plain.pk])

    response = staff_client(client, trip.management).get(url)

    assert response.status_code == 404


def test_a_changed_answer_shows_at_once_on_the_co_parents_cached_page(family):
    mailing = slip_mailing([family.group])
    parent, co_parent = Client(), Client()
    parent.force_login(family.parent.user)
    co_parent.force_login(family.co_parent.user)
    answer(co_parent, mailing, family.child, {**VALID, "opmerkingen": "Met de auto"})
    parent.get(detail_url(mailing))  # read: the session's pages are forgotten once
    assert "Met de auto" in parent.get(detail_url(mailing)).content.decode()  # now cached

    answer(co_parent, mailing, family.child, {**VALID, "opmerkingen": "Toch met de bus"})

    assert "Toch met de bus" in parent.get(detail_url(mailing)).content.decode()


def test_a_changed_question_shows_and_is_asked_at_once(client, family):
    mailing = slip_mailing([family.group], questions={"vervoer": QUESTIONS["vervoer"]})
    other = slip_mailing([family.group], questions={"vervoer": QUESTIONS["vervoer"]})
    client = as_user(client, family.parent)
    assert "Fiets" in client.get(detail_url(mailing)).content.decode()

    question = mailing.reply_fields.get()
    question.label, question.choices = "Hoe komt u?", "Auto\nBus"
    question.save()

    content = client.get(detail_url(mailing)).content.decode()
    assert "Hoe komt u?" in content and "Bus" in content and "Fiets" not in content
    assert "Fiets" in client.get(detail_url(other)).content.decode()  # its own questions
    data = {"unit": str(family.child.pk), f"unit{family.child.pk}-{question.clean_name}": "Bus"}
    assert client.post(detail_url(mailing), data).status_code == 302
    assert ReplySlipAnswer.objects.get(mailing=mailing).answers == {question.clean_name: "Bus"}


def template_names(response):
    return {template.name for template in response.templates}


def test_a_blank_slip_is_rendered_once_and_each_family_gets_its_own_names(family):
    mailing = slip_mailing([family.group])
    first, second = Client(), Client()
    first.force_login(family.parent.user)
    second.force_login(family.classmate_parent.user)

    assert "includes/field.html" in template_names(first.get(detail_url(mailing)))
    page = second.get(detail_url(mailing))

    assert "includes/field.html" not in template_names(page)  # the kept blank form
    content = page.content.decode()
    unit = family.classmate.pk
    names = clean_names(mailing)
    assert f'name="unit{unit}-{names["naam"]}"' in content
    assert f'id="id_unit{unit}-{names["naam"]}"' in content
    assert f"unit{family.child.pk}-" not in content and "\x00" not in content
    assert answer(second, mailing, family.classmate, VALID).status_code == 302
    assert stored(mailing, family.classmate) == STORED


def test_a_blank_slip_follows_the_language_and_whether_it_is_still_open(family):
    open_slip = slip_mailing([family.group])
    closed_slip = slip_mailing([family.group], reply_deadline=in_days(-1))
    client = Client()
    client.force_login(family.parent.user)
    dutch = client.get(detail_url(open_slip)).content.decode()
    closed = client.get(detail_url(closed_slip)).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(detail_url(open_slip)).content.decode()

    assert "(optioneel)" in dutch and "(optioneel)" not in english and "(optional)" in english
    assert " disabled" not in dutch.split('id="antwoordbriefje"')[1]
    assert " disabled" in closed.split('id="antwoordbriefje"')[1]


def test_a_double_clicked_reminder_goes_out_once(client, family, trip, committed):
    client = staff_client(client, trip.management)

    with committed():
        client.post(trip.url, {"action": "remind"})
        second = client.post(trip.url, {"action": "remind"})

    assert any("Er is net een herinnering verstuurd" in m for m in messages_of(second))
    assert ReplySlipReminder.objects.count() == 1
    assert len(mail.outbox) == 2  # Fleur and Bas, once each


def test_a_teacher_who_may_not_change_the_mailing_sees_the_answers_but_sends_no_reminder(
    client, family, trip, committed
):
    other_teacher = StaffMemberFactory(school=family.school, role=StaffRole.TEACHER)
    family.other_group.teachers.add(other_teacher)
    client = staff_client(client, other_teacher)

    page = client.get(trip.url)
    with committed():
        refused = client.post(trip.url, {"action": "remind"})

    assert page.status_code == 200
    assert 'value="remind"' not in page.content.decode()
    assert refused.status_code == 404
    assert not ReplySlipReminder.objects.exists()


def test_the_reminders_delivery_is_shown_and_failures_can_be_retried(
    client, family, trip, committed
):
    client = staff_client(client, trip.management)
    with committed():
        client.post(trip.url, {"action": "remind"})
    reminders = OutboxMessage.objects.filter(kind="mailing-reminder")
    reminders.filter(recipient_email="bas@example.org").update(
        status=OutboxMessage.Status.FAILED, last_error="550 mailbox unavailable"
    )

    ((_reminder, counts),) = client.get(trip.url).context["reminders"]
    with committed():
        client.post(trip.url, {"action": "retry_reminders"})

    assert (counts["sent"], counts["failed"]) == (1, 1)
    assert reminders.get(recipient_email="bas@example.org").status == "sent"
    assert [m.to[0] for m in mail.outbox].count("bas@example.org") == 2


def test_a_cached_slip_page_is_kept_no_longer_than_until_its_deadline(client, family):
    mailing = slip_mailing([family.group], reply_deadline=timezone.now() + timedelta(seconds=90))
    client.force_login(family.parent.user)
    client.get(detail_url(mailing))  # the first view marks it read

    with mock.patch("schoolportal.parentviews.caching.cache.set") as cache_set:
        client.get(detail_url(mailing))

    (_key, _content, timeout), _kwargs = cache_set.call_args
    assert 0 < timeout <= 90
