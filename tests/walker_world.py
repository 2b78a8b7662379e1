"""The admin walker's world: two schools of the same shape, a marker word in every name.

``build_school(OWN)`` is the walker's own school, ``build_school(FOREIGN)`` the one nothing of
which may show; see tests/test_admin_walker.py.
"""

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from io import BytesIO

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image as PILImage
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Page,
    Site,
    Task,
    TaskState,
    Workflow,
    WorkflowState,
)

from pages.models import AlbumPhoto, GroupPageFile, NewsletterIndexPage, PhotoAlbumPage
from schoolportal.absences.models import AbsenceReport, Reason
from schoolportal.accesslog.models import AccessLogEntry, Action, Screen, Subject
from schoolportal.agenda.models import AgendaItem
from schoolportal.conversations import sending
from schoolportal.conversations.models import Conversation, MessageAttachment
from schoolportal.interviews import rules as interview_rules
from schoolportal.interviews.models import (
    InterviewBooking,
    InterviewDay,
    InterviewRound,
    InterviewSlot,
)
from schoolportal.lunch.models import LunchDay
from schoolportal.mailings import delivery
from schoolportal.mailings.models import Mailing, ReplySlipAnswer
from schoolportal.newsletters.models import GroupNewsItem
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import (
    Babysitter,
    ClassParent,
    EmergencyContact,
    Group,
    Guardian,
    Pupil,
    School,
    SchoolYear,
    StaffMember,
    StaffRole,
)
from schoolportal.pupilimport.models import ImportRun
from schoolportal.reactions.models import Reaction
from schoolportal.results.models import SchoolReport, TestResult
from tests.factories import (
    GroupFactory,
    PupilFactory,
    SchoolFactory,
    SchoolYearFactory,
    StaffMemberFactory,
    UserFactory,
    blog_post,
    document,
    draft_mailing,
    group_page,
    newsletter,
    parent_of,
    pupil_result,
    school_home,
    school_report,
    send_mailing,
)

Image = get_image_model()
Document = get_document_model()
User = get_user_model()


OWN, FOREIGN = "Eigen1", "Zeldzaam2"
# What searches ask for: it finds school 2's titles, and its echo in a page is no marker.
SEARCH = "Zeldzaam"
MARKER = re.compile(rb"zeldzaam2[a-z0-9]*")  # bodies are searched lower-cased
MISSING_ID = 987_654_321
# Rows of the whole installation, no school's: walked with the ids that exist.
SHARED_MODELS = (Workflow, Task)

# --- The world: two schools of the same shape, markers in every name --------------------------


@dataclass
class Side:
    """One school and what lives in it; ``ids`` per model is what the walker fills in."""

    marker: str
    teacher: StaffMember
    manager: StaffMember  # the school's management: the people screens and the e-mail register
    ids: dict = field(default_factory=dict, repr=False)  # model -> [pk]
    # what -> (URL, bytes) of every stored file
    downloads: dict = field(default_factory=dict, repr=False)

    def add(self, model, *objects):
        self.ids.setdefault(model, []).extend(obj.pk for obj in objects)

    def pks(self, model):
        if model is None:  # the walker cannot tell the model: every id of the school
            return sorted({pk for pks in self.ids.values() for pk in pks})
        if issubclass(model, Page):
            model = Page
        if model in SHARED_MODELS:
            return list(model.objects.order_by("pk").values_list("pk", flat=True))
        return self.ids.get(model, [])


def jpeg(marker):
    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), (200, 120, 40)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name=f"{marker.lower()}fotobestand.jpg")


def interview_round(m, school, group, teacher):
    """An open round for ``group`` with an evening of ``teacher``: three slots."""
    now = timezone.now()
    made = InterviewRound.objects.create(
        school=school,
        title=f"{m}Gespreksronde",
        booking_opens_at=now - timedelta(days=1),
        booking_closes_at=now + timedelta(days=7),
    )
    made.groups.add(group)
    made.save()
    InterviewDay.objects.create(
        round=made,
        teacher=teacher,
        date=date.today() + timedelta(days=10),
        start_time=time(18),
        end_time=time(18, 30),
        room=f"{m}Lokaal",
    )
    interview_rules.generate_slots(made)
    return made


def build_school(m):
    """A school with a group, its teacher and management, a family, a group page with a blog
    post, an album and a file, a newsletter issue, a sent mailing with an attachment, its
    e-mail and an answered reply slip, a draft, an agenda item, a document attached to nothing
    and a conversation (Berichten) of the parent with the teacher, with a file; every name
    carries the marker ``m``."""
    school = SchoolFactory(name=f"Basisschool {m}School", lunch_enabled=True, results_enabled=True)
    year = SchoolYearFactory(school=school, name=f"2026 {m}Jaar")
    teacher = StaffMemberFactory(
        school=school,
        role=StaffRole.TEACHER,
        display_name=f"juf {m}Juf",
        user=UserFactory(
            email=f"{m.lower()}juf@example.org", first_name=f"{m}Voornaam", last_name=f"{m}Juf"
        ),
    )
    manager = StaffMemberFactory(
        school=school,
        role=StaffRole.MANAGEMENT,
        display_name=f"directeur {m}Directeur",
        user=UserFactory(
            email=f"{m.lower()}directeur@example.org",
            first_name=f"{m}Voornaam",
            last_name=f"{m}Directeur",
        ),
    )
    group = GroupFactory(school_year=year, school=school, name=f"Groep 3 {m}Groep")
    group.teachers.add(teacher)
    pupil = PupilFactory(group=group, first_name=f"{m}Kind", last_name=f"{m}Achternaam")
    guardian = parent_of(
        pupil,
        first_name=f"{m}Ouder",
        user=UserFactory(email=f"{m.lower()}ouder@example.org", last_name=f"{m}Ouder"),
    )
    side = Side(marker=m, teacher=teacher, manager=manager)
    side.add(School, school)
    side.add(SchoolYear, year)
    side.add(StaffMember, teacher, manager)
    side.add(Group, group)
    side.add(Pupil, pupil)
    side.add(Guardian, guardian)
    side.add(User, teacher.user, manager.user, guardian.user)
    side.add(
        Babysitter,
        Babysitter.objects.create(guardian=guardian, name=f"{m}Oppas", phone="06-11111111"),
    )
    EmergencyContact.objects.create(
        pupil=pupil, name=f"{m}Noodcontact", relation="oma", phone="030-2223344"
    )
    ClassParent.objects.create(group=group, guardian=guardian)
    # The Inzagelog: the teacher opened the class list, the parent changed their profile.
    AccessLogEntry.objects.bulk_create(
        [
            AccessLogEntry(
                school=school,
                user=teacher.user,
                user_name=f"{m}Voornaam {m}Juf",
                pupil=pupil,
                subject=Subject.PUPIL,
                subject_name=pupil.full_name,
                action=Action.VIEWED,
                where=Screen.ADMIN_CLASS_LIST,
            ),
            AccessLogEntry(
                school=school,
                user=guardian.user,
                user_name=f"{m}Ouder",
                guardian=guardian,
                subject=Subject.GUARDIAN,
                subject_name=guardian.full_name,
                action=Action.CHANGED,
                where=Screen.PORTAL_PROFILE,
                changed_fields="phone",
            ),
        ]
    )

    home = school_home(school)
    site = Site.objects.create(
        hostname=f"{m.lower()}.example.org", root_page=home, site_name=f"{m}Site"
    )
    page = group_page(group)  # with its editors' group and collection, both named after it
    user = teacher.user
    photo = Image.objects.create(
        title=f"{m}Foto", file=jpeg(m), collection=page.collection, uploaded_by_user=user
    )
    photo.tags.add(f"{m}Tag")
    album = page.add_child(
        instance=PhotoAlbumPage(
            title=f"{m}Album",
            photos=[AlbumPhoto(image=photo, caption=f"{m}Onderschrift")],
        )
    )
    post = blog_post(page, title=f"{m}Blog", body=f"<p>{m}Tekst</p>")
    post.save_revision(user=user).publish(user=user)
    draft_post = blog_post(page, title=f"{m}Concept", live=False)
    draft_post.save_revision(user=user)
    # In moderation (Wagtail's own "Moderators approval" workflow) and locked by the teacher:
    # the admin's home, reports and filters name such pages and people.
    draft_post.get_workflow().start(draft_post, user)
    Page.objects.filter(pk=album.pk).update(locked=True, locked_by=user, locked_at=timezone.now())
    file_doc = document(
        f"{m.lower()}groepsbestand.pdf", f"%PDF-1.4 {m}Inhoud".encode(), f"{m}Groepsbestand"
    )
    Document.objects.filter(pk=file_doc.pk).update(
        collection=page.collection, uploaded_by_user=user
    )
    GroupPageFile.objects.create(page=page, document=file_doc, description=f"{m}Omschrijving")

    slip = [(f"{m}Vraag", "radio", f"{m}Ja\nNee", True)]
    mailing = send_mailing(
        [group],
        title=f"{m}Mailing",
        fields=slip,
        attachments={f"{m.lower()}bijlage.pdf": f"%PDF-1.4 {m}Bijlage".encode()},
        created_by=user,
    )
    ReplySlipAnswer.objects.create(
        mailing=mailing,
        pupil=pupil,
        answers={mailing.reply_fields.get().clean_name: f"{m}Antwoord"},
        answered_by=guardian.user,
    )
    draft = draft_mailing([group], title=f"{m}Conceptmailing", created_by=user)
    agenda_item = AgendaItem.objects.create(
        school=school,
        title=f"{m}Agenda",
        start_date=date.today(),
        end_date=date.today(),
        all_day=True,
        whole_school=False,  # for the group: its teacher may change it
    )
    agenda_item.groups.set([group])
    orphan = document(f"{m.lower()}losbestand.pdf", f"%PDF-1.4 {m}Los".encode(), f"{m}Los")
    # Attached to nothing (its mailing draft was deleted, say): whose is it?
    Document.objects.filter(pk=orphan.pk).update(uploaded_by_user=user)
    attachment = mailing.attachments.get().document
    conversation = sending.start_conversation(
        school=school,
        subject=f"{m}Onderwerp",
        sender=guardian,
        recipients=[teacher],
        body=f"{m}Berichttekst",
        files=[SimpleUploadedFile(f"{m.lower()}berichtbijlage.pdf", f"%PDF-1.4 {m}Brief".encode())],
    ).conversation
    message_file = conversation.messages.get().attachments.get()
    # The school's newsletter archive (made with the home page) and an issue in it, with a
    # photo of the school's and a button to the group page's file.
    archive = NewsletterIndexPage.objects.child_of(home).get()
    issue = newsletter(
        school,
        title=f"{m}Nieuwsbrief",
        intro=f"{m}Introductie",
        body=[
            ("heading", f"{m}Kop"),
            ("image", {"image": photo, "caption": f"{m}Bijschrift"}),
            ("call_to_action", {"text": f"{m}Knop", "url": "", "document": file_doc}),
            ("group_news", {"group": group, "text": f"{m}Groepsnieuws"}),
        ],
    )
    issue.save_revision(user=manager.user)
    # The teacher's item for the issue's "uit de groepen", waiting for management's approval.
    group_item = GroupNewsItem.objects.create(issue=issue, group=group, text=f"{m}Groepsbericht")
    group_item.save_revision(user=user)
    group_item.get_workflow().start(group_item, user)

    side.add(Page, home, page, post, album, draft_post, archive, issue)
    side.add(Image, photo)
    side.add(Document, file_doc, attachment, orphan)
    side.add(Collection, page.collection)
    side.add(AuthGroup, page.editors, archive.editors)
    side.add(Site, site)
    side.add(Redirect, Redirect.add_redirect(f"/{m.lower()}-oud", post, site=site))
    side.add(Mailing, mailing, draft)
    side.add(
        OutboxMessage, *OutboxMessage.objects.filter(kind=delivery.MAILING, cause_id=mailing.pk)
    )
    side.add(AgendaItem, agenda_item)
    side.add(Conversation, conversation)
    side.add(MessageAttachment, message_file)
    side.add(
        AbsenceReport,
        AbsenceReport.objects.create(
            pupil=pupil,
            school=school,
            group=group,
            reason=Reason.OTHER,
            explanation=f"{m}Absentie",
            first_day=date.today(),
        ),
    )
    side.add(LunchDay, LunchDay.objects.create(pupil=pupil, school=school, date=date.today()))
    # Not released yet: the admin offers "Vrijgeven" on them.
    report = school_report(pupil, title=f"{m}Rapport", released=False)
    side.add(SchoolReport, report)
    side.add(TestResult, pupil_result(pupil, test_name=f"{m}Toets", released=False))
    side.downloads["report"] = (
        reverse("results_report_file", args=[report.pk]),
        report.file.open("rb").read(),
    )
    side.add(
        ImportRun,
        ImportRun.objects.create(
            school=school,
            created_by=manager.user,
            file_name=f"{m.lower()}export.csv",
            rows=[
                [
                    2,
                    {
                        "number": f"{m}1",
                        "first_name": f"{m}Import",
                        "last_name": f"{m}Kind",
                        "date_of_birth": "01-01-2019",
                        "group": "Groep 3",
                    },
                ]
            ],
        ),
    )
    side.add(InterviewRound, interviews := interview_round(m, school, group, teacher))
    side.add(InterviewSlot, *interviews.slots.all())
    side.add(
        InterviewBooking,
        interview_rules.book(pupil, interviews.slots.first(), subject=f"{m}Gesprek", by_staff=True),
    )
    side.add(GroupNewsItem, group_item)
    side.add(
        Reaction,
        Reaction.objects.create(
            post=post, author=guardian.user, author_name=f"{m}Ouder", text=f"{m}Reactie"
        ),
    )
    side.add(
        WorkflowState,
        *WorkflowState.objects.filter(object_id=str(draft_post.pk), groupnewsitem=None),
        *WorkflowState.objects.filter(groupnewsitem=group_item),
    )
    side.add(TaskState, *TaskState.objects.filter(workflow_state_id__in=side.pks(WorkflowState)))
    rendition = photo.get_rendition("max-165x165")
    side.downloads["photo"] = (photo.file.url, photo.file.open("rb").read())
    side.downloads["rendition"] = (rendition.url, b"")  # Wagtail's bytes: only the URL counts
    for what, doc in (("group file", file_doc), ("attachment", attachment), ("orphan", orphan)):
        side.downloads[what] = (doc.url, doc.file.open("rb").read())
    side.downloads["message file"] = (
        reverse("conversations_admin:attachment", args=[message_file.pk]),
        message_file.file.open("rb").read(),
    )
    return side


@dataclass
class World:
    own: Side  # the walker's school: its teacher and its management open every URL
    foreign: Side  # nothing of it may show
    media: object = None  # the MEDIA_ROOT their files are stored in
