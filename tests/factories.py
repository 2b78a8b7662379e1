"""Test data per domain object. Build the smallest world a test needs."""

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model

from schoolportal.people.models import (
    ClassParent,
    Group,
    Guardian,
    Guardianship,
    Pupil,
    Relation,
    School,
    SchoolYear,
    StaffMember,
    StaffRole,
)

PASSWORD = "een-goed-wachtwoord"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Gebruiker{n}")
    password = factory.django.Password(PASSWORD)


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Basisschool {n}")
    brin = factory.Sequence(lambda n: f"{n % 100:02d}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    city = "Utrecht"
    email = factory.Sequence(lambda n: f"info{n}@school.example.org")
    phone = "030-1234567"


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear

    school = factory.SubFactory(SchoolFactory)
    name = "2026-2027"
    start_date = date(2026, 8, 24)
    end_date = date(2027, 7, 16)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    school_year = factory.SubFactory(SchoolYearFactory)
    school = factory.SelfAttribute("school_year.school")
    # Unique however many tests ran before: after "Groep 8j" the names go on with a number.
    name = factory.Sequence(
        lambda n: f"Groep {n % 8 + 1}{'abcdefghij'[n // 8 % 10]}{n // 80 or ''}"
    )
    lowest_year_level = 3
    highest_year_level = 3


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    first_name = factory.Sequence(lambda n: f"Kind{n}")
    last_name = "Test"
    date_of_birth = date(2019, 5, 1)
    group = factory.SubFactory(GroupFactory)
    school = factory.SelfAttribute("group.school")


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    user = factory.SubFactory(UserFactory)
    first_name = "Ouder"
    last_name = factory.Sequence(lambda n: f"Familie{n}")
    email = factory.SelfAttribute("user.email")
    street = "Dorpsstraat"
    house_number = "1"
    postcode = "1234 AB"
    city = "Utrecht"
    phone = "030-7654321"
    mobile_phone = "06-12345678"


class GuardianshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardianship

    guardian = factory.SubFactory(GuardianFactory)
    pupil = factory.SubFactory(PupilFactory)
    relation = Relation.PARENT


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    school = factory.SubFactory(SchoolFactory)
    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"juf Test{n}")
    email = factory.SelfAttribute("user.email")
    role = StaffRole.TEACHER


class ClassParentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassParent

    group = factory.SubFactory(GroupFactory)
    guardian = factory.SubFactory(GuardianFactory)


def parent_of(*pupils, **guardian_kwargs):
    """A guardian with an account, linked to each of ``pupils``."""
    guardian = GuardianFactory(**guardian_kwargs)
    for pupil in pupils:
        GuardianshipFactory(guardian=guardian, pupil=pupil)
    return guardian


# --- Mailings (imports inside: this part was added after the people factories) ------------


class MailingFactory(factory.django.DjangoModelFactory):
    """A saved, unpublished mailing (a draft): ``send_mailing`` publishes it like the admin."""

    class Meta:
        model = "mailings.Mailing"

    school = factory.SubFactory(SchoolFactory)
    title = factory.Sequence(lambda n: f"Mailing {n}")
    body = "<p>Beste ouders en verzorgers,</p>"
    audience = "school"
    live = False


def document(filename, content=b"%PDF-1.4 bijlage", title=None):
    """A Wagtail document holding ``content`` under ``filename``."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    doc = get_document_model()(
        title=title or filename,
        file=ContentFile(content, name=filename),
        # As an upload stores them: the listing shows the size, never computes it.
        file_size=len(content),
    )
    doc.save()
    doc.get_file_hash()
    return doc


def draft_mailing(groups=(), fields=(), attachments=None, **kwargs):
    """A mailing with a revision but never published: parents must not see it.

    ``groups``: the audience (none: the whole school); ``fields``: reply-slip questions as
    (label, field_type, choices, required); ``attachments``: {filename: bytes}.
    """
    from schoolportal.mailings.models import MailingAttachment, ReplySlipField

    groups = list(groups)
    if groups:
        kwargs.setdefault("school", groups[0].school)
        kwargs.setdefault("audience", "groups")
    mailing = MailingFactory(**kwargs)
    mailing.groups.set(groups)
    mailing.reply_fields = ReplySlipField.questions(fields)
    mailing.save()
    for order, (filename, content) in enumerate((attachments or {}).items()):
        MailingAttachment.objects.create(
            mailing=mailing, sort_order=order, document=document(filename, content)
        )
    mailing.save_revision()
    return mailing


def send_mailing(groups=(), fields=(), attachments=None, sent_at=None, **kwargs):
    """A mailing published through Wagtail (which queues its e-mails): what parents read.

    ``sent_at`` backdates it (the list orders by it); see ``draft_mailing`` for the rest.
    """
    from schoolportal.mailings.models import Mailing

    mailing = draft_mailing(groups, fields, attachments, **kwargs)
    mailing.get_latest_revision().publish()
    if sent_at is not None:
        Mailing.objects.filter(pk=mailing.pk).update(sent_at=sent_at)
    mailing.refresh_from_db()
    return mailing


# --- Mailings: documents, attachments and reply-slip questions ---------------------------------


class DocumentFactory(factory.django.DjangoModelFactory):
    """A Wagtail document, stored under MEDIA_ROOT (a temporary directory in tests)."""

    class Meta:
        model = "wagtaildocs.Document"

    title = factory.Sequence(lambda n: f"Bijlage {n}")
    file = factory.django.FileField(filename="rooster.pdf", data=b"%PDF-1.4 rooster")


class MailingAttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mailings.MailingAttachment"

    mailing = factory.SubFactory(MailingFactory)
    document = factory.SubFactory(DocumentFactory)


class ReplySlipFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "mailings.ReplySlipField"

    mailing = factory.SubFactory(MailingFactory)
    label = factory.Sequence(lambda n: f"Vraag {n}")
    field_type = "radio"
    choices = "Ja\nNee"
    required = True


# --- Group pages -------------------------------------------------------------------------------


def school_home(school, slug=None):
    """The school's home page (root of its site): its groups get their group pages."""
    from wagtail.models import Page

    from pages.models import SchoolHomePage

    home = SchoolHomePage(title=school.name, slug=slug or f"school-{school.pk}", school=school)
    return Page.get_first_root_node().add_child(instance=home)


def group_page(group):
    """The group's page (made with the group once its school has a home page)."""
    from pages.models import SchoolHomePage
    from pages.provisioning import ensure_group_page

    if not SchoolHomePage.objects.filter(school_id=group.school_id).exists():
        school_home(group.school)
    return ensure_group_page(group)


def image(title="Foto", colour=(200, 120, 40), size=(64, 48)):
    """A saved Wagtail image: a small generated JPEG."""
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return get_image_model().objects.create(
        title=title, file=ContentFile(buffer.getvalue(), name=f"{title.lower()}.jpg")
    )


def blog_post(page, title="Nieuws uit de klas", body="<p>We hebben geknutseld.</p>", live=True):
    """A blog post below a group page: live, or never published when not ``live``.

    Saved straight into the tree (no revision): publishing through Wagtail is what the
    admin tests do; this is the quick way to a page in a state.
    """
    from pages.models import BlogPostPage

    return page.add_child(instance=BlogPostPage(title=title, body=body, live=live))


def photo_album(page, title="Kinderboerderij", photos=2, live=True, sizes=None):
    """A photo album below a group page with ``photos`` generated photos (see ``blog_post``).

    A live album has its photos' sizes, as publishing makes them in a task; ``sizes=False``
    leaves them to be made.
    """
    from pages.models import AlbumPhoto, PhotoAlbumPage
    from pages.tasks import make_album_renditions

    album = PhotoAlbumPage(title=title, live=live)
    album.photos = [
        AlbumPhoto(image=image(f"{title} {number}"), caption=f"{title}, foto {number}")
        for number in range(1, photos + 1)
    ]
    album = page.add_child(instance=album)
    made = live if sizes is None else sizes
    if made:
        make_album_renditions(album.pk)
    return album


def group_file(page, filename="weekplanning.pdf", content=b"%PDF-1.4 planning"):
    """A file on a group page (saved on the live page)."""
    from pages.models import GroupPageFile

    return GroupPageFile.objects.create(page=page, document=document(filename, content))


# --- Newsletters -------------------------------------------------------------------------------


def newsletter(school, title="Nieuwsbrief december", body=(), live=True, **kwargs):
    """An issue below the school's newsletter archive (made with its home page), with
    ``body`` a list of (block type, value) pairs. Saved straight into the tree, as
    ``blog_post``: publishing through Wagtail is what the delivery tests do."""
    from pages.models import NewsletterIndexPage, NewsletterPage, SchoolHomePage

    home = SchoolHomePage.objects.filter(school=school).first() or school_home(school)
    index = NewsletterIndexPage.objects.child_of(home).get()
    issue = NewsletterPage(title=title, body=list(body), live=live, **kwargs)
    return index.add_child(instance=issue)


# --- Resultaten ----------------------------------------------------------------------------


def school_report(pupil, title="Rapport 1", school_year="2026-2027", released=True, **kwargs):
    """A report of ``pupil`` with a small PDF; released an hour ago unless ``released`` is
    False."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from schoolportal.results.models import SchoolReport

    report = SchoolReport(
        pupil=pupil,
        school=pupil.school,
        title=title,
        school_year=school_year,
        released_at=timezone.now() - timedelta(hours=1) if released else None,
        **kwargs,
    )
    report.file.save("rapport.pdf", ContentFile(b"%PDF-1.4 rapport"), save=False)
    report.save()
    return report


def pupil_result(pupil, test_name="Rekenen", taken_on=None, score=40, released=True, **kwargs):
    """A test result of ``pupil``; released an hour ago unless ``released`` is False."""
    from django.utils import timezone

    from schoolportal.results import models

    return models.TestResult.objects.create(
        pupil=pupil,
        school=pupil.school,
        test_name=test_name,
        taken_on=taken_on or date(2027, 1, 20),
        score=score,
        released_at=timezone.now() - timedelta(hours=1) if released else None,
        **kwargs,
    )


# --- Mijn gegevens downloaden ----------------------------------------------------------------


def data_export(user, status="ready", content=b"PK zip", days_left=7, **kwargs):
    """An export of ``user``'s data, ready with a small file for ``days_left`` days unless
    ``status`` says otherwise."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from schoolportal.dataexport.models import DataExport

    now = timezone.now()
    export = DataExport(user=user, status=status, requested_at=now, **kwargs)
    if status == "ready":
        export.finished_at = now
        export.expires_at = now + timedelta(days=days_left)
        export.size = len(content)
        export.progress = 100
        export.file.save("export.zip", ContentFile(content), save=False)
    export.save()
    return export
