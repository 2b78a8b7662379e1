"""Mailings are e-mailed once, on first publication, to every guardian in the audience.

Who receives one, what the e-mail looks like, that it goes out exactly once (double
publish, older revisions, scheduled publishing, dead workers), what the admin lets staff
write and re-send, and the limits on attachments.
"""

import email
import socket
from contextlib import contextmanager
from datetime import timedelta
from email import policy
from email.utils import parseaddr
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from schoolportal.mailings import delivery
from schoolportal.mailings.models import BODY_FEATURES, Audience, Mailing, MailingAttachment, Sender
from schoolportal.notifications import outbox
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import Guardianship, StaffRole
from tests.factories import (
    DocumentFactory,
    GroupFactory,
    MailingAttachmentFactory,
    MailingFactory,
    PupilFactory,
    ReplySlipFieldFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    UserFactory,
    parent_of,
)

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status
DELIVER = "schoolportal.notifications.outbox.deliver_pending"
ADD = reverse(Mailing.snippet_viewset.get_url_name("add"))
PDF = b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"  # binary, so encoding must not touch it


def snippet_url(name, *args):
    return reverse(Mailing.snippet_viewset.get_url_name(name), args=args)


def edit_url(mailing):
    return snippet_url("edit", mailing.pk)


def delivery_url(mailing):
    return reverse("wagtailsnippets_mailings_mailing:delivery", args=[mailing.pk])


def answers_url(mailing):
    return reverse("wagtailsnippets_mailings_mailing:answers", args=[mailing.pk])


# --- The world ---------------------------------------------------------------------------------


@pytest.fixture
def world():
    """De Regenboog: groep 3 (Emma Jansen, Sophie de Vries) and groep 7 (Daan Jansen, Tim
    Visser), each group with its teacher; De Linde next door has a groep 3 of its own."""
    w = SimpleNamespace()
    w.school = SchoolFactory(name="Basisschool De Regenboog", email="info@deregenboog.example.org")
    year = SchoolYearFactory(school=w.school)
    w.group3 = GroupFactory(school_year=year, name="Groep 3")
    w.group7 = GroupFactory(
        school_year=year, name="Groep 7", lowest_year_level=7, highest_year_level=7
    )
    w.other_school = SchoolFactory(name="Basisschool De Linde", email="info@delinde.example.org")
    w.other_group = GroupFactory(
        school_year=SchoolYearFactory(school=w.other_school), name="Groep 3"
    )

    w.emma = PupilFactory(group=w.group3, first_name="Emma", last_name="Jansen")
    w.sophie = PupilFactory(group=w.group3, first_name="Sophie", last_name="de Vries")
    w.daan = PupilFactory(group=w.group7, first_name="Daan", last_name="Jansen")
    w.tim = PupilFactory(group=w.group7, first_name="Tim", last_name="Visser")
    w.lotte = PupilFactory(group=w.other_group, first_name="Lotte", last_name="Linde")

    w.jansen = parent_of(w.emma, w.daan, user=UserFactory(email="ouder.jansen@example.org"))
    w.devries = parent_of(w.sophie, user=UserFactory(email="ouder.devries@example.org"))
    w.visser = parent_of(w.tim, user=UserFactory(email="ouder.visser@example.org"))
    w.linde = parent_of(w.lotte, user=UserFactory(email="ouder.linde@example.org"))

    w.teacher3 = StaffMemberFactory(
        school=w.school, role=StaffRole.TEACHER, display_name="juf Bakker"
    )
    w.group3.teachers.add(w.teacher3)
    w.teacher7 = StaffMemberFactory(
        school=w.school, role=StaffRole.TEACHER, display_name="meester Visser"
    )
    w.group7.teachers.add(w.teacher7)
    w.management = StaffMemberFactory(school=w.school, role=StaffRole.MANAGEMENT)
    w.other_management = StaffMemberFactory(school=w.other_school, role=StaffRole.MANAGEMENT)
    return w


SCHOOL_PARENTS = [
    "ouder.devries@example.org",
    "ouder.jansen@example.org",
    "ouder.visser@example.org",
]
GROUP3_PARENTS = ["ouder.devries@example.org", "ouder.jansen@example.org"]


def add_families(group, count, prefix="gezin"):
    """``count`` more children in ``group``, each with a parent of their own."""
    return [
        parent_of(
            PupilFactory(group=group),
            user=UserFactory(email=f"{prefix}{n}.{group.pk}@example.org"),
        )
        for n in range(count)
    ]


def draft(school, groups=(), **fields):
    """A saved, never published mailing: to ``groups``, or without them to the whole school."""
    audience = Audience.GROUPS if groups else Audience.SCHOOL
    mailing = MailingFactory(school=school, audience=audience, **fields)
    if groups:
        mailing.groups.set(groups)  # a ParentalManyToManyField: stored by save()
        mailing.save()
    return mailing


def whole_school_mailing(world, **fields):
    return draft(world.school, **fields)


def group_mailing(world, *groups, **fields):
    return draft(world.school, groups, **fields)


@pytest.fixture
def publish(committed):
    """Publish as the admin does, and run what the publication queued for after commit."""

    def publish(mailing, user=None):
        with committed():
            revision = mailing.save_revision(user=user)
            revision.publish(user=user)
        mailing.refresh_from_db()
        return revision

    return publish


def queued_only():
    """Write the outbox rows but start no worker: the e-mails stay pending."""
    return mock.patch("schoolportal.notifications.queue.async_task")


def later(minutes):
    """Pretend the clock moved on (the outbox and Wagtail's scheduler ask timezone.now())."""
    moved = timezone.now() + timedelta(minutes=minutes)
    return mock.patch("django.utils.timezone.now", return_value=moved)


def queued_to(mailing):
    rows = OutboxMessage.objects.filter(kind=delivery.MAILING, cause_id=mailing.pk)
    return sorted(rows.values_list("recipient_email", flat=True))


def delivered_to():
    return sorted(address for message in mail.outbox for address in message.to)


def mime(message):
    """The e-mail as it goes over the wire, parsed back."""
    return email.message_from_bytes(message.message().as_bytes())


def parts_of(parsed):
    """The parts by content type; the first of a type wins (the body before attachments)."""
    parts = {}
    for part in parsed.walk():
        parts.setdefault(part.get_content_type(), part)
    return parts


def text_and_html(message):
    parts = parts_of(mime(message))
    return (
        parts["text/plain"].get_payload(decode=True).decode(),
        parts["text/html"].get_payload(decode=True).decode(),
    )


# --- Who receives it -----------------------------------------------------------------------


def test_a_whole_school_mailing_reaches_every_guardian_of_the_school_and_no_other_school(
    world, publish
):
    mailing = whole_school_mailing(world)

    publish(mailing)

    assert queued_to(mailing) == SCHOOL_PARENTS
    assert delivered_to() == SCHOOL_PARENTS
    assert mailing.sent_at is not None
    assert mailing.live


def test_a_mailing_for_chosen_groups_reaches_only_the_guardians_of_those_groups(world, publish):
    mailing = group_mailing(world, world.group3)

    publish(mailing)

    assert delivered_to() == GROUP3_PARENTS
    assert "ouder.visser@example.org" not in delivered_to()  # groep 7
    assert "ouder.linde@example.org" not in delivered_to()  # groep 3 of another school


def test_a_mailing_for_two_groups_reaches_the_guardians_of_both(world, publish):
    mailing = group_mailing(world, world.group3, world.group7)

    publish(mailing)

    assert delivered_to() == SCHOOL_PARENTS


def test_a_parent_with_two_children_in_the_audience_gets_one_email(world, publish):
    mailing = group_mailing(world, world.group3, world.group7)  # Emma and Daan Jansen

    publish(mailing)

    assert delivered_to().count("ouder.jansen@example.org") == 1
    assert queued_to(mailing).count("ouder.jansen@example.org") == 1


def test_both_parents_of_a_child_each_get_one_email(world, publish):
    parent_of(world.emma, user=UserFactory(email="tweede.ouder@example.org"))
    mailing = group_mailing(world, world.group3)

    publish(mailing)

    assert delivered_to() == [*GROUP3_PARENTS, "tweede.ouder@example.org"]


def test_the_profile_email_is_used_before_the_login_email(world, publish):
    parent_of(
        world.sophie,
        user=UserFactory(email="inlog.vader@example.org"),
        email="Post.Vader@Example.org",
    )
    mailing = group_mailing(world, world.group3)

    publish(mailing)

    assert "post.vader@example.org" in delivered_to()
    assert "inlog.vader@example.org" not in delivered_to()


def test_without_a_profile_email_the_login_email_is_used(world, publish):
    parent_of(world.sophie, user=UserFactory(email="alleen.inlog@example.org"), email="")
    mailing = group_mailing(world, world.group3)

    publish(mailing)

    assert "alleen.inlog@example.org" in delivered_to()


def test_a_guardian_without_any_email_address_is_skipped(world, publish):
    parent_of(world.sophie, user=None, email="")
    mailing = group_mailing(world, world.group3)

    publish(mailing)

    assert delivered_to() == GROUP3_PARENTS
    assert OutboxMessage.objects.count() == 2


def test_a_guardian_without_an_account_is_reached_at_their_profile_email(world, publish):
    parent_of(world.sophie, user=None, email="zonder.account@example.org")
    mailing = group_mailing(world, world.group3)

    publish(mailing)

    sent = OutboxMessage.objects.get(recipient_email="zonder.account@example.org")
    assert sent.status == Status.SENT
    assert sent.recipient_user is None


def test_two_guardians_sharing_one_address_get_one_email(world, publish):
    parent_of(world.sophie, user=None, email="ouder.devries@example.org")
    mailing = group_mailing(world, world.group3)

    publish(mailing)

    assert delivered_to() == GROUP3_PARENTS


# --- Publishing through the admin ----------------------------------------------------------


def form_data(school, groups=(), *, audience=Audience.GROUPS, sender=Sender.TEACHER, **fields):
    """What the admin's mailing form posts; ``attachments=[document, ...]`` adds attachments."""
    attachments = fields.pop("attachments", ())
    body = fields.pop("body", "<p>Volgende week is er luizencontrole.</p>")
    return {
        "school": school.pk,
        "title": "Luizencontrole",
        "sender": sender,
        "audience": audience,
        "groups": [group.pk for group in groups],
        "body": rich_text(body, features=BODY_FEATURES),
        "reply_per": "family",
        "reply_deadline": "",
        "go_live_at": "",
        "expire_at": "",
        **nested_form_data(
            {
                "attachments": inline_formset(
                    [{"id": "", "document": document.pk} for document in attachments]
                ),
                "reply_fields": inline_formset([]),
            }
        ),
        **fields,
    }


PUBLISH = {"action-publish": "action-publish"}


def confirm_sending(client, response):
    """Answer "Ja, versturen" on the confirmation a first publication redirects to."""
    assert response.status_code == 302
    mailing = Mailing.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert response["Location"] == snippet_url("send", mailing.pk)
    return client.post(response["Location"], {"revision": mailing.latest_revision_id})


def test_publishing_in_the_admin_edit_view_emails_every_guardian_once(client, committed, world):
    mailing = group_mailing(world, world.group3, title="Luizencontrole")
    client.force_login(world.management.user)

    with committed():
        response = confirm_sending(
            client,
            client.post(
                edit_url(mailing),
                {**form_data(world.school, [world.group3, world.group7]), **PUBLISH},
            ),
        )

    assert response.status_code == 302
    mailing.refresh_from_db()
    assert mailing.live
    assert mailing.sent_at is not None
    assert delivered_to() == SCHOOL_PARENTS
    assert {message.subject for message in mail.outbox} == {"Luizencontrole"}


def test_a_portal_link_written_in_the_admin_editor_arrives_absolute(client, committed, world):
    client.force_login(world.management.user)
    body = '<p>Lees het in <a href="/portaal/">het ouderportaal</a>.</p>'

    with committed():
        confirm_sending(
            client,
            client.post(ADD, {**form_data(world.school, [world.group3], body=body), **PUBLISH}),
        )

    _text, html = text_and_html(mail.outbox[0])
    assert f'<a href="{settings.WAGTAILADMIN_BASE_URL}/portaal/">het ouderportaal</a>' in html


def test_saving_a_draft_in_the_admin_sends_nothing(client, committed, world):
    client.force_login(world.management.user)

    with committed():
        response = client.post(ADD, form_data(world.school, [world.group3]))

    assert response.status_code == 302
    mailing = Mailing.objects.get(title="Luizencontrole")
    assert not mailing.live
    assert mailing.sent_at is None
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_double_clicked_publish_in_the_admin_emails_nobody_twice(client, committed, world):
    mailing = group_mailing(world, world.group3)
    client.force_login(world.management.user)
    data = {**form_data(world.school, [world.group3]), **PUBLISH}

    with committed():
        asked = [client.post(edit_url(mailing), data) for _click in range(2)]
        first, second = (confirm_sending(client, response) for response in asked)

    assert (first.status_code, second.status_code) == (302, 302)
    assert delivered_to() == GROUP3_PARENTS
    assert queued_to(mailing) == GROUP3_PARENTS


# --- Only the first publication sends ------------------------------------------------------


def test_a_new_revision_or_publishing_again_sends_nothing_more(world, publish):
    mailing = group_mailing(world, world.group3)
    publish(mailing)
    sent_at = mailing.sent_at

    mailing.title = "Luizencontrole (verplaatst)"
    mailing.save_revision()
    publish(mailing)
    publish(mailing)

    mailing.refresh_from_db()
    assert mailing.title == "Luizencontrole (verplaatst)"
    assert mailing.sent_at == sent_at
    assert delivered_to() == GROUP3_PARENTS
    assert OutboxMessage.objects.count() == 2


def test_publishing_twice_quickly_queues_nobody_twice(world, committed):
    mailing = group_mailing(world, world.group3, world.group7)
    # Two requests that both loaded the unsent mailing before either published it.
    first, second = Mailing.objects.get(pk=mailing.pk), Mailing.objects.get(pk=mailing.pk)

    with committed():
        first.save_revision().publish()
        second.save_revision().publish()
        again = delivery.send(second)

    assert again == 0
    assert queued_to(mailing) == SCHOOL_PARENTS
    assert delivered_to() == SCHOOL_PARENTS


def test_publishing_an_older_revision_keeps_sent_at_and_sends_nothing(world, publish):
    mailing = group_mailing(world, world.group3, title="Schoolreis")
    first_revision = publish(mailing)
    sent_at = mailing.sent_at
    assert sent_at is not None

    mailing.title = "Schoolreis (nieuwe tijden)"
    publish(mailing)
    with mock.patch.object(delivery.outbox, "queue") as queue:
        first_revision.publish()  # revert to the first text

    mailing.refresh_from_db()
    assert mailing.title == "Schoolreis"
    assert mailing.sent_at == sent_at
    assert Mailing.objects.sent().filter(pk=mailing.pk).exists()
    queue.assert_not_called()
    assert len(mail.outbox) == 2


def test_unpublishing_and_publishing_again_sends_nothing_more(world, publish):
    mailing = group_mailing(world, world.group3)
    publish(mailing)

    mailing.unpublish()
    mailing.refresh_from_db()
    publish(mailing)

    assert mailing.live
    assert len(mail.outbox) == 2


def test_a_publication_scheduled_for_later_sends_when_publish_scheduled_runs_after_that_time(
    world, publish, committed
):
    mailing = group_mailing(world, world.group3)
    mailing.go_live_at = timezone.now() + timedelta(hours=1)

    publish(mailing)
    with committed():
        call_command("publish_scheduled")  # not yet time

    mailing.refresh_from_db()
    assert not mailing.live
    assert mailing.sent_at is None
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []

    with later(61), committed():
        call_command("publish_scheduled")

    mailing.refresh_from_db()
    assert mailing.live
    assert mailing.sent_at is not None
    assert delivered_to() == GROUP3_PARENTS

    with later(120), committed():
        call_command("publish_scheduled")
    assert len(mail.outbox) == 2


def test_django_q_runs_the_scheduled_publication_every_minute(world, publish, committed):
    """The standing schedule (not a test's call_command) publishes and sends it."""
    from django_q.models import Schedule
    from django_q.scheduler import scheduler

    from schoolportal.notifications.schedules import ensure_schedules

    ensure_schedules()
    mailing = group_mailing(world, world.group3)
    mailing.go_live_at = timezone.now() + timedelta(minutes=30)
    publish(mailing)
    Schedule.objects.update(next_run=timezone.now() - timedelta(seconds=1))

    with later(31), committed():
        scheduler()  # django-q2's scheduler; tasks run synchronously in tests

    mailing.refresh_from_db()
    assert mailing.live and mailing.sent_at is not None
    assert delivered_to() == GROUP3_PARENTS


# --- The e-mail ----------------------------------------------------------------------------

BODY = (
    "<h2>Schoolreis naar Artis</h2>"
    "<p>Op <b>vrijdag 12 juni</b> gaan de groepen naar Artis. Kosten: € 12,50 &amp; een "
    "lunchpakket.</p>"
    "<ul><li>Regenkleding</li><li>Een rugzak</li></ul>"
    '<p>Meer in <a href="/portaal/">het ouderportaal</a>.</p>'
    f"<p>{'Wij vertrekken om half negen. ' * 40}</p>"
    "<p>Met vriendelijke groet, het team. Dit is de laatste zin.</p>"
)


@pytest.fixture
def sent_mailing(world, publish):
    """A class parents' mailing to groep 3 with two attachments, published and delivered."""
    mailing = group_mailing(
        world,
        world.group3,
        title="Schoolreis groep 3",
        body=BODY,
        sender=Sender.CLASS_PARENTS,
    )
    MailingAttachmentFactory(
        mailing=mailing,
        document=DocumentFactory(title="Rooster", file=ContentFile(PDF, name="rooster.pdf")),
    )
    MailingAttachmentFactory(
        mailing=mailing,
        document=DocumentFactory(
            title="Paklijst", file=ContentFile(b"Regenjas\nRugzak\n", name="paklijst.txt")
        ),
    )
    publish(mailing)
    return mailing


def email_to(address):
    (message,) = [message for message in mail.outbox if message.to == [address]]
    return message


def test_the_subject_is_the_title(sent_mailing):
    assert [message.subject for message in mail.outbox] == ["Schoolreis groep 3"] * 2


def test_the_email_carries_the_whole_text_as_plain_text_and_html(sent_mailing):
    text, html = text_and_html(email_to("ouder.jansen@example.org"))

    for words in [
        "Schoolreis naar Artis",
        "vrijdag 12 juni",
        "Kosten: € 12,50",
        "Regenkleding",
        "Een rugzak",
        "Wij vertrekken om half negen. " * 40,
        "Dit is de laatste zin.",
    ]:
        assert words.strip() in text
        assert words.strip() in html
    assert "€ 12,50 & een lunchpakket" in text
    assert "<b>vrijdag 12 juni</b>" in html
    assert "<li>Regenkleding</li>" in html
    assert "<" not in text.replace("<http", "")  # no markup in the text part


def test_the_email_is_multipart_with_text_html_and_the_attachments(sent_mailing):
    parsed = mime(email_to("ouder.jansen@example.org"))

    assert parsed.is_multipart()
    assert parsed.get_content_type() == "multipart/mixed"
    types = [part.get_content_type() for part in parsed.walk() if not part.is_multipart()]
    assert types == ["text/plain", "text/html", "application/pdf", "text/plain"]


def test_attachments_arrive_byte_identical_with_their_filename(sent_mailing):
    parsed = mime(email_to("ouder.devries@example.org"))

    attachments = {
        part.get_filename(): part.get_payload(decode=True)
        for part in parsed.walk()
        if part.get_content_disposition() == "attachment"
    }
    # Named after the document's title, with the file's extension.
    assert attachments == {
        "Rooster.pdf": PDF,
        "Paklijst.txt": b"Regenjas\nRugzak\n",
    }


def test_an_attachment_keeps_its_name_when_an_earlier_file_had_the_same_name(world, publish):
    """Every school year has a "nieuwsbrief.pdf"; storage renames the second file on disk."""
    DocumentFactory(
        title="Nieuwsbrief vorig jaar", file=ContentFile(b"oud", name="nieuwsbrief.pdf")
    )
    mailing = group_mailing(world, world.group3)
    MailingAttachmentFactory(
        mailing=mailing,
        document=DocumentFactory(
            title="nieuwsbrief", file=ContentFile(PDF, name="nieuwsbrief.pdf")
        ),
    )

    publish(mailing)

    (attachment,) = mail.outbox[0].attachments
    assert attachment[0] == "nieuwsbrief.pdf"


def test_the_email_says_it_cannot_be_answered_and_links_to_berichten_in_both_parts(
    sent_mailing,
):
    text, html = text_and_html(email_to("ouder.jansen@example.org"))

    for part in (text, html):
        assert "Op deze e-mail kunt u niet antwoorden." in part
        assert "Berichten in het ouderportaal" in part
        assert "http://testserver" + reverse("conversations:compose") in part


def test_the_email_names_its_attachments_in_the_text(sent_mailing):
    text, html = text_and_html(email_to("ouder.jansen@example.org"))

    assert "Rooster.pdf" in text and "Paklijst.txt" in text
    assert "Rooster.pdf" in html and "Paklijst.txt" in html


def test_the_email_is_from_the_mailings_sender_and_has_no_reply_address(sent_mailing):
    parsed = mime(email_to("ouder.jansen@example.org"))

    name, address = parseaddr(parsed["From"])
    assert name == "Klassenouders Groep 3" == sent_mailing.sender_name()
    assert address == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    assert parsed["Reply-To"] is None
    assert parsed["To"] == "ouder.jansen@example.org"


def test_a_teachers_mailing_is_from_the_teacher_of_the_group(world, publish):
    mailing = group_mailing(world, world.group3, sender=Sender.TEACHER)

    publish(mailing)

    name, _address = parseaddr(mime(mail.outbox[0])["From"])
    assert name == "juf Bakker (Groep 3)"


def test_a_sender_name_with_commas_and_accents_stays_one_readable_sender(world, publish):
    world.group3.teachers.add(
        StaffMemberFactory(school=world.school, role=StaffRole.TEACHER, display_name="juf Özdemir")
    )
    mailing = group_mailing(world, world.group3, sender=Sender.TEACHER)

    publish(mailing)

    parsed = email.message_from_bytes(mail.outbox[0].message().as_bytes(), policy=policy.default)
    (sender,) = parsed["From"].addresses
    assert sender.display_name == "juf Bakker, juf Özdemir (Groep 3)"
    assert sender.addr_spec == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def test_each_email_has_its_own_message_id_and_the_schools_list_id(world, sent_mailing):
    parsed = [mime(message) for message in mail.outbox]

    # A long id (large row ids on PostgreSQL) is folded onto a continuation line, as RFC 5322
    # allows; unfolded it is the same id.
    message_ids = [" ".join(message["Message-ID"].split()) for message in parsed]
    assert all(message_id.startswith("<") and "@" in message_id for message_id in message_ids)
    assert len(set(message_ids)) == 2
    list_ids = {message["List-Id"] for message in parsed}
    assert len(list_ids) == 1
    assert f"<mailings.{world.school.pk}." in list_ids.pop()
    assert all(message["Date"] for message in parsed)


def test_the_portal_link_is_absolute(sent_mailing):
    link = f"{settings.WAGTAILADMIN_BASE_URL}/portaal/mailings/{sent_mailing.pk}/"
    text, html = text_and_html(email_to("ouder.jansen@example.org"))

    assert link in text
    assert f'href="{link}"' in html
    assert "#antwoordbriefje" not in text


def test_with_a_reply_slip_the_link_goes_to_the_reply_slip(world, publish):
    mailing = group_mailing(world, world.group3)
    ReplySlipFieldFactory(mailing=mailing, label="Gaat uw kind mee?")

    publish(mailing)

    link = f"{settings.WAGTAILADMIN_BASE_URL}/portaal/mailings/{mailing.pk}/#antwoordbriefje"
    text, html = text_and_html(mail.outbox[0])
    assert link in text
    assert f'href="{link}"' in html
    assert "antwoordbriefje" in text


def test_a_rich_text_link_to_the_portal_becomes_absolute(sent_mailing):
    text, html = text_and_html(email_to("ouder.jansen@example.org"))

    assert f'href="{settings.WAGTAILADMIN_BASE_URL}/portaal/"' in html
    assert 'href="/portaal/"' not in html
    assert f"het ouderportaal ({settings.WAGTAILADMIN_BASE_URL}/portaal/)" in text


# --- Over real SMTP ------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(settings, **server_options):
    """A real SMTP server on a free port, with Django sending to it; yields what arrives."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received = []

    class Collect(Message):
        def handle_message(self, message):
            received.append(message)

    port = free_port()
    controller = Controller(Collect(), hostname="127.0.0.1", port=port, **server_options)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 5
        yield received
    finally:
        controller.stop()


def test_a_mailing_arrives_over_real_smtp_with_its_attachment_intact(world, publish, settings):
    mailing = group_mailing(
        world, world.group3, title="Schoolreis groep 3", body=BODY, sender=Sender.CLASS_PARENTS
    )
    MailingAttachmentFactory(
        mailing=mailing,
        document=DocumentFactory(title="rooster", file=ContentFile(PDF, name="rooster.pdf")),
    )
    settings.DEFAULT_FROM_EMAIL = "De Regenboog <portaal@deregenboog.example.org>"
    with smtp_server(settings) as received:
        publish(mailing)

    assert sorted(message["To"] for message in received) == GROUP3_PARENTS
    message = email.message_from_bytes(received[0].as_bytes())
    assert message["Subject"] == "Schoolreis groep 3"
    assert message["From"] == "Klassenouders Groep 3 <portaal@deregenboog.example.org>"
    assert message["Reply-To"] is None
    assert "info@deregenboog.example.org" not in message.as_string()
    assert message["Message-ID"].endswith("@deregenboog.example.org>")
    assert message["List-Id"].endswith(f"<mailings.{world.school.pk}.deregenboog.example.org>")
    assert message["Date"]
    assert message.is_multipart()
    parts = parts_of(message)
    assert {"text/plain", "text/html", "application/pdf"} <= set(parts)
    assert "Dit is de laatste zin." in parts["text/plain"].get_payload(decode=True).decode()
    assert "Dit is de laatste zin." in parts["text/html"].get_payload(decode=True).decode()
    assert parts["application/pdf"].get_filename() == "rooster.pdf"
    assert parts["application/pdf"].get_payload(decode=True) == PDF
    assert set(
        OutboxMessage.objects.filter(cause_id=mailing.pk).values_list("status", flat=True)
    ) == {Status.SENT}


# --- A worker dying half-way ---------------------------------------------------------------


def test_a_worker_dying_half_way_a_large_mailing_sends_nobody_twice_and_the_rest_follows(
    world, committed
):
    families = add_families(world.group3, 28)
    mailing = group_mailing(world, world.group3)  # 30 families
    real_mark = outbox._mark_sent
    marked = {"n": 0}

    def die_after_the_twelfth_send(pk):
        marked["n"] += 1
        if marked["n"] == 12:
            raise SystemExit("worker killed")  # the message left, its row still says sending
        real_mark(pk)

    with (
        mock.patch.object(outbox, "_mark_sent", die_after_the_twelfth_send),
        pytest.raises(SystemExit),
        committed(),
    ):
        mailing.save_revision().publish()

    assert len(mail.outbox) == 12
    half_way = mail.outbox[-1].to[0]
    assert delivery.delivery_counts(mailing) == {
        Status.PENDING: 18,
        Status.SENDING: 1,
        Status.SENT: 11,
        Status.FAILED: 0,
        Status.INTERRUPTED: 0,
    }

    with later(10), committed():
        assert outbox.sweep() == (1, 1)

    delivered = [message.to[0] for message in mail.outbox]
    assert len(delivered) == 30 == len(families) + 2
    assert len(set(delivered)) == 30  # nobody twice, nobody lost
    interrupted = OutboxMessage.objects.get(status=Status.INTERRUPTED)
    assert interrupted.recipient_email == half_way
    assert delivery.delivery_counts(mailing)[Status.SENT] == 29


def test_a_mail_server_that_hangs_up_every_few_messages_still_gets_everyone_the_mailing(
    world, committed, settings
):
    """Providers limit messages per connection: after five, this server answers 421 and
    hangs up. The rest must go out over new connections, not use up their attempts."""
    add_families(world.group3, 28)
    mailing = group_mailing(world, world.group3)  # 30 families

    with smtp_server(settings, command_call_limit={"MAIL": 5, "*": 100}) as received:
        with committed():
            mailing.save_revision().publish()
        for minutes in (3, 10, 20, 40, 80, 160, 320):  # the sweeper, every so often
            with later(minutes), committed():
                outbox.sweep()

    delivered = [message["To"] for message in received]
    assert len(set(delivered)) == len(delivered)  # nobody twice
    assert delivery.delivery_counts(mailing)[Status.FAILED] == 0
    assert len(delivered) == 30


def test_the_tasks_of_a_mailing_carry_its_kind_and_id_and_nothing_personal(world, committed):
    mailing = group_mailing(world, world.group3)

    with queued_only() as async_task, committed():
        mailing.save_revision().publish()

    assert async_task.call_count == 1
    assert async_task.call_args.args == (DELIVER, delivery.MAILING, mailing.pk)
    assert set(async_task.call_args.kwargs) == {"task_name"}
    arguments = repr(async_task.call_args)
    for personal in ["@", "Jansen", "Vries", "Emma", mailing.title]:
        assert personal not in arguments


# --- Who may write what in the admin -------------------------------------------------------


@pytest.mark.parametrize("sender", [Sender.TEACHER, Sender.CLASS_PARENTS])
def test_a_teacher_writes_and_publishes_a_mailing_for_their_own_group(
    client, committed, world, sender
):
    client.force_login(world.teacher3.user)

    with committed():
        response = confirm_sending(
            client,
            client.post(ADD, {**form_data(world.school, [world.group3], sender=sender), **PUBLISH}),
        )

    assert response.status_code == 302
    mailing = Mailing.objects.get(title="Luizencontrole")
    assert mailing.sender == sender
    assert mailing.created_by == world.teacher3.user
    assert mailing.live and mailing.sent_at is not None
    assert delivered_to() == GROUP3_PARENTS


def assert_refused(response, field, message=None):
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    if message:
        assert message in errors[field]
        assert message in response.content.decode()
    assert not Mailing.objects.filter(title="Luizencontrole").exists()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_teacher_may_not_write_to_the_whole_school(client, committed, world):
    client.force_login(world.teacher3.user)

    with committed():
        response = client.post(
            ADD, {**form_data(world.school, audience=Audience.SCHOOL), **PUBLISH}
        )

    assert_refused(
        response, "audience", "Alleen de directie en administratie schrijven aan de hele school."
    )


def test_a_teacher_may_not_write_to_a_group_they_do_not_teach(client, committed, world):
    client.force_login(world.teacher3.user)

    with committed():
        response = client.post(ADD, {**form_data(world.school, [world.group7]), **PUBLISH})

    assert_refused(response, "groups")


def test_a_teacher_may_not_add_a_group_they_do_not_teach_to_their_own(client, committed, world):
    client.force_login(world.teacher3.user)

    with committed():
        response = client.post(
            ADD, {**form_data(world.school, [world.group3, world.group7]), **PUBLISH}
        )

    assert_refused(response, "groups")


@pytest.mark.parametrize(
    "sender", [Sender.PARTICIPATION_COUNCIL, Sender.PARENTS_COUNCIL, Sender.SCHOOL]
)
def test_a_teacher_may_not_write_on_behalf_of_the_councils_or_the_school(
    client, committed, world, sender
):
    client.force_login(world.teacher3.user)

    with committed():
        response = client.post(
            ADD, {**form_data(world.school, [world.group3], sender=sender), **PUBLISH}
        )

    assert_refused(response, "sender", "U schrijft als leerkracht of namens de klassenouders.")


def test_a_teacher_who_manages_another_school_still_writes_only_as_teacher_here(
    client, committed, world
):
    """Managing school B widens the sender choices; at school A the form must still refuse."""
    StaffMemberFactory(
        school=world.other_school, role=StaffRole.MANAGEMENT, user=world.teacher3.user
    )
    client.force_login(world.teacher3.user)

    with committed():
        response = client.post(
            ADD,
            {
                **form_data(world.school, [world.group3], sender=Sender.PARTICIPATION_COUNCIL),
                **PUBLISH,
            },
        )

    assert_refused(response, "sender", "U schrijft als leerkracht of namens de klassenouders.")


def test_a_teacher_gets_404_on_a_mailing_for_another_group(client, committed, world):
    mailing = group_mailing(world, world.group7)
    client.force_login(world.teacher3.user)

    opened = client.get(edit_url(mailing))
    with committed():
        published = client.post(
            edit_url(mailing), {**form_data(world.school, [world.group3]), **PUBLISH}
        )

    assert (opened.status_code, published.status_code) == (404, 404)
    mailing.refresh_from_db()
    assert not mailing.live
    assert mail.outbox == []


def test_a_teacher_gets_404_on_a_whole_school_mailing(client, world):
    mailing = whole_school_mailing(world)
    client.force_login(world.teacher3.user)

    assert client.get(edit_url(mailing)).status_code == 404


def test_a_teacher_edits_their_own_groups_mailing(client, world):
    mailing = group_mailing(world, world.group3)
    client.force_login(world.teacher3.user)

    assert client.get(edit_url(mailing)).status_code == 200


# Every admin URL of one mailing (``r``: one of its revisions).
MAILING_VIEWS = {
    "edit": lambda m, r: snippet_url("edit", m.pk),
    "delete": lambda m, r: snippet_url("delete", m.pk),
    "inspect": lambda m, r: snippet_url("inspect", m.pk),
    "history": lambda m, r: snippet_url("history", m.pk),
    "history_results": lambda m, r: snippet_url("history_results", m.pk),
    "usage": lambda m, r: snippet_url("usage", m.pk),
    "unpublish": lambda m, r: snippet_url("unpublish", m.pk),
    "preview_on_edit": lambda m, r: snippet_url("preview_on_edit", m.pk),
    "revisions_view": lambda m, r: snippet_url("revisions_view", m.pk, r.pk),
    "revisions_revert": lambda m, r: snippet_url("revisions_revert", m.pk, r.pk),
    "revisions_compare": lambda m, r: snippet_url("revisions_compare", m.pk, "earliest", "latest"),
    "delivery": lambda m, r: delivery_url(m),
    "answers": lambda m, r: answers_url(m),
}


@pytest.mark.parametrize("view", MAILING_VIEWS)
def test_staff_of_another_school_get_404_on_every_admin_view_of_a_mailing(
    client, world, publish, view
):
    mailing = whole_school_mailing(world, title="Ouderavond", body="<p>Privé: de uitslag.</p>")
    ReplySlipFieldFactory(mailing=mailing, label="Komt u?")
    revision = publish(mailing)
    url = MAILING_VIEWS[view](mailing, revision)

    client.force_login(world.management.user)
    own = client.get(url)
    client.force_login(world.other_management.user)
    other = client.get(url)

    assert own.status_code == 200
    assert other.status_code == 404


def test_staff_of_another_school_cannot_read_a_mailing_through_its_revision_preview(
    client, world, publish
):
    mailing = whole_school_mailing(world, body="<p>Uitslag van de inspectie: voldoende.</p>")
    revision = publish(mailing)
    client.force_login(world.other_management.user)

    response = client.get(MAILING_VIEWS["revisions_view"](mailing, revision))

    assert "Uitslag van de inspectie" not in response.content.decode()


@pytest.mark.parametrize("who", ["other_management", "teacher7"])
def test_only_who_may_edit_a_mailing_may_unpublish_it(client, world, publish, who):
    mailing = group_mailing(world, world.group3)
    publish(mailing)
    client.force_login(getattr(world, who).user)

    response = client.post(snippet_url("unpublish", mailing.pk))

    assert response.status_code == 404
    mailing.refresh_from_db()
    assert mailing.live


def test_management_writes_to_the_whole_school_for_anyone(client, committed, world):
    client.force_login(world.management.user)

    with committed():
        response = confirm_sending(
            client,
            client.post(
                ADD,
                {
                    **form_data(
                        world.school, audience=Audience.SCHOOL, sender=Sender.PARENTS_COUNCIL
                    ),
                    **PUBLISH,
                },
            ),
        )

    assert response.status_code == 302
    mailing = Mailing.objects.get(title="Luizencontrole")
    assert mailing.for_whole_school and mailing.sent_at is not None
    assert delivered_to() == SCHOOL_PARENTS
    name, _address = parseaddr(mime(mail.outbox[0])["From"])
    assert name == "Ouderraad Basisschool De Regenboog"


def test_management_cannot_write_for_another_schools_groups(client, committed, world):
    client.force_login(world.management.user)

    with committed():
        response = client.post(ADD, {**form_data(world.school, [world.other_group]), **PUBLISH})

    assert_refused(response, "groups")


# --- The delivery page ---------------------------------------------------------------------


@pytest.fixture
def queued_mailing(world, committed):
    """A whole-school mailing whose e-mails were queued but not yet sent (5 families)."""
    add_families(world.group7, 2)
    mailing = whole_school_mailing(world)
    with queued_only(), committed():
        mailing.save_revision().publish()
    mailing.refresh_from_db()
    return mailing


def set_status(address, status, **fields):
    OutboxMessage.objects.filter(recipient_email=address).update(status=status, **fields)


def test_the_delivery_page_counts_each_status_and_lists_the_failures_with_their_error(
    client, world, queued_mailing
):
    set_status("ouder.jansen@example.org", Status.SENT)
    set_status(
        "ouder.devries@example.org",
        Status.FAILED,
        attempts=5,
        last_error="SMTPRecipientsRefused: mailbox unavailable",
    )
    set_status("ouder.visser@example.org", Status.INTERRUPTED, last_error="worker stopped")
    client.force_login(world.management.user)

    response = client.get(delivery_url(queued_mailing))

    assert response.status_code == 200
    assert response.context["counts"] == {
        Status.PENDING: 2,
        Status.SENDING: 0,
        Status.SENT: 1,
        Status.FAILED: 1,
        Status.INTERRUPTED: 1,
    }
    assert response.context["total"] == 5
    assert [row.recipient_email for row in response.context["problems"]] == [
        "ouder.devries@example.org",
        "ouder.visser@example.org",
    ]
    page = response.content.decode()
    assert "ouder.devries@example.org" in page
    assert "SMTPRecipientsRefused: mailbox unavailable" in page
    assert "ouder.jansen@example.org" not in page  # delivered: not a problem


def test_retrying_sends_the_failed_and_interrupted_emails_and_no_others(
    client, committed, world, queued_mailing
):
    OutboxMessage.objects.update(status=Status.SENT)
    set_status("ouder.devries@example.org", Status.FAILED, attempts=5, last_error="Timeout")
    set_status("ouder.visser@example.org", Status.INTERRUPTED, attempts=1)
    client.force_login(world.management.user)

    with committed():
        response = client.post(delivery_url(queued_mailing), {"action": "retry"})

    assert response.status_code == 302
    assert delivered_to() == ["ouder.devries@example.org", "ouder.visser@example.org"]
    assert delivery.delivery_counts(queued_mailing)[Status.SENT] == 5


def test_sending_to_new_recipients_reaches_only_guardians_added_after_publication(
    client, committed, world, publish
):
    mailing = group_mailing(world, world.group3)
    publish(mailing)
    mail.outbox.clear()
    newcomer = PupilFactory(group=world.group3, first_name="Noah")
    parent_of(newcomer, user=UserFactory(email="nieuwe.ouder@example.org"))
    parent_of(world.emma, user=None, email="tweede.ouder.jansen@example.org")
    client.force_login(world.teacher3.user)

    with committed():
        response = client.post(delivery_url(mailing), {"action": "new"})

    assert response.status_code == 302
    assert delivered_to() == ["nieuwe.ouder@example.org", "tweede.ouder.jansen@example.org"]
    assert queued_to(mailing) == sorted(
        [*GROUP3_PARENTS, "nieuwe.ouder@example.org", "tweede.ouder.jansen@example.org"]
    )


def test_sending_again_to_everybody_gives_everyone_one_more_copy(client, committed, world, publish):
    mailing = group_mailing(world, world.group3)
    publish(mailing)
    client.force_login(world.management.user)

    with committed():
        response = client.post(delivery_url(mailing), {"action": "everybody"})

    assert response.status_code == 302
    assert delivered_to() == sorted(GROUP3_PARENTS * 2)
    assert delivery.delivery_counts(mailing)[Status.SENT] == 2


def test_sending_again_to_everybody_skips_who_is_no_longer_a_recipient(
    client, committed, world, publish
):
    mailing = group_mailing(world, world.group3)
    publish(mailing)
    Guardianship.objects.filter(guardian__email="ouder.devries@example.org").delete()
    client.force_login(world.management.user)
    mail.outbox.clear()

    with committed():
        client.post(delivery_url(mailing), {"action": "everybody"})

    assert delivered_to() == ["ouder.jansen@example.org"]


def test_a_copy_sent_again_has_a_new_message_id_so_mailboxes_do_not_drop_it(
    client, committed, world, publish
):
    """Mail providers discard an e-mail whose Message-ID they already delivered."""
    mailing = group_mailing(world, world.group3)
    publish(mailing)
    client.force_login(world.management.user)

    with committed():
        client.post(delivery_url(mailing), {"action": "everybody"})

    first_ids = {mime(message)["Message-ID"] for message in mail.outbox[:2]}
    second_ids = {mime(message)["Message-ID"] for message in mail.outbox[2:]}
    assert len(first_ids) == len(second_ids) == 2
    assert not first_ids & second_ids


def test_a_teacher_of_another_group_sees_the_delivery_page_but_may_not_send(
    client, committed, world, publish
):
    mailing = group_mailing(world, world.group3)
    publish(mailing)
    mail.outbox.clear()
    client.force_login(world.teacher7.user)

    assert client.get(delivery_url(mailing)).status_code == 200
    with committed():
        responses = [
            client.post(delivery_url(mailing), {"action": action})
            for action in ("retry", "new", "everybody")
        ]

    assert [response.status_code for response in responses] == [404, 404, 404]
    assert mail.outbox == []


def test_a_teacher_of_another_group_does_not_read_the_failed_parents_addresses(
    client, world, queued_mailing
):
    set_status("ouder.devries@example.org", Status.FAILED, attempts=5, last_error="refused")
    client.force_login(world.teacher7.user)

    page = client.get(delivery_url(queued_mailing)).content.decode()

    assert "refused" in page
    assert "ouder.devries@example.org" not in page
    assert "alleen voor wie opnieuw mag versturen" in page


def test_nothing_is_sent_again_from_the_delivery_page_before_publication(client, committed, world):
    mailing = group_mailing(world, world.group3)
    client.force_login(world.management.user)

    with committed():
        response = client.post(delivery_url(mailing), {"action": "everybody"})

    assert response.status_code == 302
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


# --- Attachment limits ---------------------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.MAILING_ATTACHMENT_MAX_SIZE = 1000
    return 1000


def document(name, size=100, title=None, by=None):
    """A document created directly, past the upload form's checks (as an import could)."""
    return DocumentFactory(
        title=title or name, file=ContentFile(b"x" * size, name=name), uploaded_by_user=by
    )


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("groot.pdf", 2000, "groot.pdf is te groot"),
        ("brief.html", 100, "Bestanden van het type .html kunnen niet worden meegestuurd."),
        ("logo.svg", 100, "Bestanden van het type .svg kunnen niet worden meegestuurd."),
        ("script.js", 100, "Bestanden van het type .js kunnen niet worden meegestuurd."),
    ],
    ids=["too-large", "html", "svg", "js"],
)
def test_the_admin_refuses_an_attachment_and_publishes_nothing(
    client, committed, world, small_limit, name, size, message
):
    client.force_login(world.management.user)

    with committed():
        response = client.post(
            ADD,
            {
                **form_data(world.school, [world.group3], attachments=[document(name, size)]),
                **PUBLISH,
            },
        )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Mailing.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_the_admin_refuses_an_attachment_when_publishing_an_existing_draft(
    client, committed, world, small_limit
):
    mailing = group_mailing(world, world.group3, title="Luizencontrole")
    client.force_login(world.management.user)

    with committed():
        response = client.post(
            edit_url(mailing),
            {
                **form_data(world.school, [world.group3], attachments=[document("brief.html")]),
                **PUBLISH,
            },
        )

    assert response.status_code == 200
    assert "Bestanden van het type .html" in response.content.decode()
    mailing.refresh_from_db()
    assert not mailing.live and mailing.sent_at is None
    assert not mailing.attachments.exists()
    assert mail.outbox == []


def test_the_admin_refuses_attachments_that_together_are_too_large(
    client, committed, world, small_limit
):
    client.force_login(world.management.user)
    uploader = world.management.user
    parts = [document("deel1.pdf", 600, by=uploader), document("deel2.pdf", 600, by=uploader)]

    with committed():
        response = client.post(
            ADD, {**form_data(world.school, [world.group3], attachments=parts), **PUBLISH}
        )

    assert response.status_code == 200
    assert "De bijlagen zijn samen" in response.content.decode()
    assert not Mailing.objects.exists()
    assert mail.outbox == []


def test_the_admin_accepts_an_attachment_within_the_limit(client, committed, world, small_limit):
    client.force_login(world.management.user)

    with committed():
        response = confirm_sending(
            client,
            client.post(
                ADD,
                {
                    **form_data(
                        world.school,
                        [world.group3],
                        attachments=[document("kort.pdf", 1000, by=world.management.user)],
                    ),
                    **PUBLISH,
                },
            ),
        )

    assert response.status_code == 302
    mailing = Mailing.objects.get()
    assert [attachment.filename for attachment in mailing.attachments.all()] == ["kort.pdf"]
    assert {len(message.attachments) for message in mail.outbox} == {1}


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("groot.pdf", 1001, "groot.pdf is te groot"),
        ("brief.html", 10, "Bestanden van het type .html kunnen niet worden meegestuurd."),
        ("logo.svg", 10, "Bestanden van het type .svg kunnen niet worden meegestuurd."),
    ],
    ids=["too-large", "html", "svg"],
)
def test_an_attachment_refuses_a_large_or_forbidden_file_on_full_clean(
    world, small_limit, name, size, message
):
    attachment = MailingAttachment(
        mailing=whole_school_mailing(world), document=document(name, size)
    )

    with pytest.raises(ValidationError) as error:
        attachment.full_clean()

    assert any(message in text for text in error.value.message_dict["document"])


def test_an_attachment_at_the_limit_passes_full_clean(world, small_limit):
    MailingAttachment(
        mailing=whole_school_mailing(world), document=document("kort.pdf", 1000)
    ).full_clean()


# --- Queries -------------------------------------------------------------------------------


def queries_to_queue(mailing):
    with CaptureQueriesContext(connection) as queries:
        queued = delivery.send(mailing)
    return queued, len(queries)


def test_queueing_costs_the_same_number_of_queries_for_3_or_30_families():
    small = SchoolFactory()
    small_group = GroupFactory(school_year=SchoolYearFactory(school=small))
    add_families(small_group, 3, prefix="klein")
    large = SchoolFactory()
    large_group = GroupFactory(school_year=SchoolYearFactory(school=large))
    add_families(large_group, 30, prefix="groot")

    few = queries_to_queue(draft(small))
    many = queries_to_queue(draft(large))

    assert (few[0], many[0]) == (3, 30)
    assert few[1] == many[1]


def test_delivering_renders_the_mailing_once_for_all_recipients(world, committed):
    add_families(world.group3, 28)
    mailing = group_mailing(world, world.group3)
    MailingAttachmentFactory(mailing=mailing)
    with queued_only(), committed():
        mailing.save_revision().publish()

    with CaptureQueriesContext(connection) as queries:
        outbox.deliver_pending(delivery.MAILING, mailing.pk)

    assert len(mail.outbox) == 30
    mailing_reads = [q for q in queries if 'FROM "mailings_mailing"' in q["sql"]]
    assert len(mailing_reads) == 1


def test_a_mailing_published_by_a_worker_that_died_before_queueing_is_sent_by_the_sweeper(
    world, committed
):
    """Wagtail saves the publication, then signals it: a crash in between queued nothing."""
    mailing = group_mailing(world, world.group3)
    with mock.patch.object(delivery, "send"):  # the signal's work never happened
        mailing.save_revision().publish()
    mailing.refresh_from_db()
    assert mailing.live and mailing.sent_at is None
    assert not OutboxMessage.objects.exists()

    with committed():
        outbox.sweep()

    mailing.refresh_from_db()
    assert mailing.sent_at is not None
    assert delivered_to() == GROUP3_PARENTS


def test_the_sweeper_leaves_drafts_and_scheduled_mailings_alone(world, committed):
    group_mailing(world, world.group3)  # a draft
    scheduled = group_mailing(world, world.group3)
    scheduled.go_live_at = timezone.now() + timedelta(days=1)
    scheduled.save_revision().publish()

    with committed():
        outbox.sweep()

    assert not OutboxMessage.objects.exists()
