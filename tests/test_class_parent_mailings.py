"""Class parents (klassenouders) write mailings to their group in the portal.

A draft first, seen as parents will see it; "Versturen" sends it like a staff mailing.
A reply slip is optional, and only its author (and the school) see the answers.
"""

import csv
import io
import re
from io import BytesIO

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from schoolportal import access
from schoolportal.mailings.models import Mailing, ReplySlipAnswer, Sender
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import ClassParent
from tests.factories import GroupFactory, PupilFactory, parent_of, send_mailing

pytestmark = pytest.mark.django_db

WRITE = reverse("mailings:write")


@pytest.fixture
def klas(db):
    group = GroupFactory(name="Groep 5")
    other_group = GroupFactory(school_year=group.school_year, school=group.school, name="Groep 6")
    writer = parent_of(PupilFactory(group=group, school=group.school, first_name="Lotte"))
    ClassParent.objects.create(group=group, guardian=writer)
    classmate_parent = parent_of(PupilFactory(group=group, school=group.school, first_name="Sem"))
    elsewhere = parent_of(PupilFactory(group=other_group, school=group.school, first_name="Noor"))
    return group, other_group, writer, classmate_parent, elsewhere


def questions(*rows, total=3):
    data = {"vraag-TOTAL_FORMS": str(total), "vraag-INITIAL_FORMS": "0"}
    for number in range(total):
        label, field_type, choices, required = (
            rows[number] if number < len(rows) else ("", "singleline", "", False)
        )
        data[f"vraag-{number}-label"] = label
        data[f"vraag-{number}-field_type"] = field_type
        data[f"vraag-{number}-choices"] = choices
        if required:
            data[f"vraag-{number}-required"] = "on"
    return data


def mailing_data(group, **overrides):
    return {
        "group": group.pk,
        "title": "Rijders gezocht",
        "text": "Beste ouders,\n\nWie rijdt er mee naar de kinderboerderij?",
        "reply_per": "family",
        "reply_deadline": "",
        **questions(
            ("Kunt u rijden?", "radio", "Ja\nNee", True), ("Plaatsen", "number", "", False)
        ),
        **overrides,
    }


def errors(response):
    return re.findall(r'field__error"[^>]*>([^<]+)', response.content.decode())


def test_only_class_parents_may_write(client, klas):
    _group, _other, writer, classmate_parent, _elsewhere = klas
    client.force_login(classmate_parent.user)

    assert client.get(WRITE).status_code == 404
    assert WRITE not in client.get(reverse("mailings:index")).content.decode()
    client.force_login(writer.user)  # the control: a class parent is offered the form
    assert WRITE in client.get(reverse("mailings:index")).content.decode()
    assert client.get(WRITE).status_code == 200


def test_a_draft_is_seen_by_its_writer_only_and_sends_nothing(client, klas):
    group, _other, writer, classmate_parent, _elsewhere = klas
    client.force_login(writer.user)

    response = client.post(WRITE, mailing_data(group))

    mailing = Mailing.objects.get()
    assert response["Location"] == reverse("mailings:draft", args=[mailing.pk])
    preview = client.get(response["Location"]).content.decode()
    assert "Wie rijdt er mee naar de kinderboerderij?" in preview
    assert "Kunt u rijden?" in preview
    assert not mailing.live and mailing.sent_at is None
    assert not OutboxMessage.objects.exists()
    client.force_login(classmate_parent.user)
    assert client.get(reverse("mailings:detail", args=[mailing.pk])).status_code == 404
    assert client.get(reverse("mailings:draft", args=[mailing.pk])).status_code == 404


def test_sending_reaches_the_groups_parents_as_the_class_parents(client, klas, committed):
    group, _other, writer, classmate_parent, elsewhere = klas
    client.force_login(writer.user)
    client.post(WRITE, mailing_data(group))
    mailing = Mailing.objects.get()

    with committed():
        response = client.post(reverse("mailings:draft", args=[mailing.pk]), {"action": "send"})

    # It has a reply slip: the page opens at the slip, where its confirmation is shown.
    detail = reverse("mailings:detail", args=[mailing.pk])
    assert response["Location"] == detail + "#antwoordbriefje"
    mailing.refresh_from_db()
    assert mailing.live and mailing.sent_at is not None
    assert mailing.sender == Sender.CLASS_PARENTS
    recipients = {message.to[0] for message in mail.outbox}
    assert recipients == {writer.email, classmate_parent.email}
    assert elsewhere.email not in recipients
    assert mail.outbox[0].from_email.startswith("Klassenouders Groep 5")
    assert mailing.revisions.count() >= 1


def test_a_class_parent_cannot_write_to_another_group(client, klas):
    _group, other_group, writer, _classmate_parent, _elsewhere = klas
    client.force_login(writer.user)

    response = client.post(WRITE, mailing_data(other_group))

    assert response.status_code == 400
    assert errors(response)
    assert not Mailing.objects.exists()


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"title": ""}, "Dit is een verplicht veld."),
        ({"vraag-0-choices": ""}, "Geef de keuzes, één per regel."),
        ({"reply_deadline": "2001-01-01T12:00"}, "Kies een moment in de toekomst."),
        (
            {"attachment": SimpleUploadedFile("lijst.html", b"<script>alert(1)</script>")},
            "Bestanden van het type .html kunnen niet worden meegestuurd.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(client, klas, overrides, message):
    group, _other, writer, _classmate_parent, _elsewhere = klas
    client.force_login(writer.user)

    response = client.post(WRITE, mailing_data(group, **overrides))

    assert response.status_code == 400
    assert message in errors(response)
    content = response.content.decode()  # what was typed is still there
    assert "Wie rijdt er mee naar de kinderboerderij?" in content
    assert 'value="Kunt u rijden?"' in content
    assert not Mailing.objects.exists()


def test_changing_a_draft_replaces_its_questions(client, klas):
    group, _other, writer, _classmate_parent, _elsewhere = klas
    client.force_login(writer.user)
    client.post(WRITE, mailing_data(group))
    mailing = Mailing.objects.get()
    edit = reverse("mailings:draft_edit", args=[mailing.pk])
    assert 'value="Kunt u rijden?"' in client.get(edit).content.decode()

    client.post(
        edit,
        mailing_data(group, **questions(("Neemt u fruit mee?", "checkbox", "", False), total=5)),
    )

    assert [field.label for field in mailing.reply_fields.all()] == ["Neemt u fruit mee?"]
    assert Mailing.objects.count() == 1


def test_a_draft_can_be_deleted(client, klas):
    group, _other, writer, _classmate_parent, _elsewhere = klas
    client.force_login(writer.user)
    client.post(WRITE, mailing_data(group))
    mailing = Mailing.objects.get()

    response = client.post(reverse("mailings:draft", args=[mailing.pk]), {"action": "delete"})

    assert response["Location"] == reverse("mailings:index")
    assert not Mailing.objects.exists()


def test_the_writer_sees_the_answers_to_their_slip_and_nobody_else(client, klas, committed):
    group, _other, writer, classmate_parent, _elsewhere = klas
    client.force_login(writer.user)
    client.post(
        WRITE,
        mailing_data(
            group,
            reply_deadline=(timezone.localtime() + timezone.timedelta(days=3)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
        ),
    )
    mailing = Mailing.objects.get()
    with committed():
        client.post(reverse("mailings:draft", args=[mailing.pk]), {"action": "send"})
    sem = classmate_parent.pupils.get()
    field = mailing.reply_fields.get(label="Kunt u rijden?")
    ReplySlipAnswer.objects.create(mailing=mailing, pupil=sem, answers={field.clean_name: "Ja"})
    answers_url = reverse("mailings:answers", args=[mailing.pk])

    assert (
        "Antwoorden bekijken"
        in client.get(reverse("mailings:detail", args=[mailing.pk])).content.decode()
    )
    page = client.get(answers_url).content.decode()
    assert sem.full_name in page and "<td>Ja</td><td>1</td>" in page
    export = client.get(answers_url + "?export=csv").content.decode("utf-8-sig")
    assert f"{sem.full_name};{group.name};" in export and ";Ja;" in export

    client.force_login(classmate_parent.user)
    assert client.get(answers_url).status_code == 404
    assert (
        "Antwoorden bekijken"
        not in client.get(reverse("mailings:detail", args=[mailing.pk])).content.decode()
    )


def test_help_texts_are_read_with_their_fields(client, klas):
    _group, _other, writer, _classmate_parent, _elsewhere = klas
    client.force_login(writer.user)

    page = client.get(WRITE).content.decode()

    described = set(re.findall(r'aria-describedby="([^"]+)"', page))
    assert "id_text_helptext" in described
    for reference in described:
        for target in reference.split():
            assert f'id="{target}"' in page, target


def test_a_question_written_as_a_formula_stays_text_in_the_exports(client, klas, committed):
    from openpyxl import load_workbook

    group, _other, writer, _classmate_parent, _elsewhere = klas
    client.force_login(writer.user)
    formula = '=HYPERLINK("http://evil.example","klik")'
    client.post(WRITE, mailing_data(group, **questions((formula, "singleline", "", False))))
    mailing = Mailing.objects.get()
    with committed():
        client.post(reverse("mailings:draft", args=[mailing.pk]), {"action": "send"})
    url = reverse("mailings:answers", args=[mailing.pk])

    text = client.get(url, {"export": "csv"}).content.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = load_workbook(BytesIO(client.get(url, {"export": "xlsx"}).content)).active

    assert "'" + formula in header
    cell = next(cell for cell in sheet[1] if "HYPERLINK" in str(cell.value))
    assert cell.data_type == "s"


def test_attachments_added_over_several_edits_stay_within_the_limit(client, klas, settings):
    settings.MAILING_ATTACHMENT_MAX_SIZE = 1000
    group, _other, writer, _classmate_parent, _elsewhere = klas
    client.force_login(writer.user)
    pdf = b"%PDF-1.4 " + b"x" * 600
    client.post(WRITE, mailing_data(group, attachment=SimpleUploadedFile("een.pdf", pdf)))
    mailing = Mailing.objects.get()

    response = client.post(
        reverse("mailings:draft_edit", args=[mailing.pk]),
        mailing_data(group, attachment=SimpleUploadedFile("twee.pdf", pdf)),
    )

    assert response.status_code == 400
    assert any("worden de bijlagen samen" in error for error in errors(response))
    assert mailing.attachments.count() == 1


def test_the_writer_reminds_the_families_that_have_not_answered(client, klas, committed):
    group, _other, writer, classmate_parent, _elsewhere = klas
    client.force_login(writer.user)
    client.post(WRITE, mailing_data(group))
    mailing = Mailing.objects.get()
    with committed():
        client.post(reverse("mailings:draft", args=[mailing.pk]), {"action": "send"})
    field = mailing.reply_fields.get(label="Kunt u rijden?")
    ReplySlipAnswer.objects.create(
        mailing=mailing, pupil=writer.pupils.get(), answers={field.clean_name: "Ja"}
    )
    answers_url = reverse("mailings:answers", args=[mailing.pk])
    mail.outbox.clear()

    with committed():
        response = client.post(answers_url, {"action": "remind"})
        again = client.post(answers_url, {"action": "remind"})

    assert response.status_code == 302
    assert [message.to[0] for message in mail.outbox] == [classmate_parent.email]
    assert "Herinnering" in mail.outbox[0].subject
    assert again.status_code == 302 and len(mail.outbox) == 1  # a double click sends once
    client.force_login(classmate_parent.user)
    assert client.post(answers_url, {"action": "remind"}).status_code == 404


def test_the_write_form_speaks_the_parents_language(client, klas):
    _group, _other, writer, _classmate_parent, _elsewhere = klas
    client.force_login(writer.user)
    client.cookies["django_language"] = "en"

    page = client.get(WRITE, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "For example a PDF or a photo; at most 20" in page


def test_after_an_error_the_writer_is_asked_to_choose_the_attachment_again(client, klas):
    group, _other, writer, _classmate_parent, _elsewhere = klas
    client.force_login(writer.user)
    pdf = SimpleUploadedFile("rooster.pdf", b"%PDF-1.4 rooster")

    response = client.post(WRITE, mailing_data(group, title="", attachment=pdf))

    assert response.status_code == 400
    assert "Kies de bijlage rooster.pdf opnieuw" in response.content.decode()
    assert not Mailing.objects.exists()


def test_a_mailing_another_sender_wrote_is_known_not_to_be_the_parents_without_a_query(
    klas, django_assert_num_queries
):
    group, _other, writer, _classmate_parent, _elsewhere = klas
    school_mailing = send_mailing(groups=[group], created_by=writer.user)
    by_someone_else = send_mailing(groups=[group], sender=Sender.CLASS_PARENTS)

    with django_assert_num_queries(0):
        assert not access.is_own_sent_mailing(writer.user, school_mailing)
        assert not access.is_own_sent_mailing(writer.user, by_someone_else)
