"""Security net over the whole project: deny by default, no cross-family access, headers, CSRF.

The route lists below are walked from the URL resolver, so a new view is covered (or makes a
test fail until somebody decides what it is) without anyone remembering to add a test.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from wagtail.documents import get_document_model
from wagtail.models import Page, Site

from pages.blocks import PHOTO_SIZE as NEWSLETTER_PHOTO_SIZE
from pages.models import (
    AlbumPhoto,
    BlogPostPage,
    GroupPage,
    GroupPageFile,
    NewsletterPage,
    PhotoAlbumPage,
    SchoolHomePage,
)
from pages.tasks import make_album_renditions
from schoolportal.absences.models import AbsenceReport, EndedBy, Reason
from schoolportal.accounts import emailchange
from schoolportal.accounts.models import Invitation
from schoolportal.agenda.models import AgendaItem, CalendarFeed
from schoolportal.conversations import sending
from schoolportal.conversations.models import (
    Conversation,
    Message,
    MessageAttachment,
    Participant,
)
from schoolportal.dataexport.models import DataExport
from schoolportal.interviews import rules as interview_rules
from schoolportal.interviews.models import InterviewBooking
from schoolportal.lunch.models import CancelledBy, LunchDay
from schoolportal.mailings.models import (
    Mailing,
    MailingAttachment,
    MailingRead,
    ReplySlipAnswer,
    ReplySlipField,
    ReplySlipReminder,
)
from schoolportal.people import linking
from schoolportal.people.models import (
    Babysitter,
    ClassParent,
    EmergencyContact,
    Group,
    Guardian,
    Guardianship,
    LinkCodeAttempt,
    Pupil,
    PupilLinkCode,
    School,
    SchoolYear,
    StaffMember,
)
from schoolportal.reactions.models import PostFollower, Reaction
from schoolportal.reactions.tasks import PHOTO_SIZE as REACTION_PHOTO_SIZE
from tests.factories import (
    PASSWORD,
    GroupFactory,
    GuardianshipFactory,
    PupilFactory,
    SchoolFactory,
    StaffMemberFactory,
    UserFactory,
    blog_post,
    data_export,
    document,
    draft_mailing,
    group_file,
    group_page,
    image,
    newsletter,
    parent_of,
    photo_album,
    school_report,
    send_mailing,
)
from tests.walker_world import interview_round

pytestmark = pytest.mark.django_db

# --- The project's routes ----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str  # qualified: "portal:child", "healthz"; "" for an unnamed pattern
    route: str  # readable, e.g. "portaal/kinderen/<int:pk>/"
    kwargs: tuple  # (name, converter class name) of every keyword argument, resolvers included
    positional: int  # unnamed regex groups
    view: object  # the pattern's callback

    def __str__(self):
        return self.name or f"<unnamed {self.route}>"


def _converters(pattern):
    if isinstance(pattern, RegexPattern):
        return dict.fromkeys(pattern.regex.groupindex, "str")
    return {name: type(conv).__name__ for name, conv in pattern.converters.items()}


def _walk(patterns, prefix="", namespace="", kwargs=()):
    for entry in patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        entry_kwargs = (*kwargs, *_converters(entry.pattern).items())
        if isinstance(entry, URLResolver):
            if route.startswith("admin/"):
                continue  # Wagtail's admin: staff only, covered by test_admin.py
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner, entry_kwargs)
        elif route.startswith("admin/"):
            continue  # the project's own admin routes, Wagtail-guarded: tested in test_admin.py
        elif entry.name != "wagtail_serve":  # the page catch-all: public pages by design
            positional = 0
            if isinstance(entry.pattern, RegexPattern) and not entry.pattern.regex.groupindex:
                positional = entry.pattern.regex.groups
            yield Route(
                name=f"{namespace}{entry.name}" if entry.name else "",
                route=route,
                kwargs=entry_kwargs,
                positional=positional,
                view=entry.callback,
            )


ROUTES = list(_walk(get_resolver().url_patterns))
ROUTE_NAMES = {route.name for route in ROUTES}

# Routes an anonymous visitor may open. Everything else must send them to the login page
# or answer 404/405/410. Add a route here only when strangers really need it.
PUBLIC_ROUTES = {
    "healthz",  # load balancer probe: "ok", no session, no database
    "readyz",  # readiness probe: "ok"/"failed" per service, no names, no error texts
    "set_language",  # the language switch on the login page
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_confirm",  # needs a valid signed token to show a form
    "accounts:invitation",  # needs a valid unguessable token, otherwise 404/410
    "accounts:email_change_confirm",  # needs a valid signed token, otherwise 404/410
    # Wagtail's front end for page and collection privacy (wagtail.urls, wagtail.documents.urls):
    # a password form and a login form for private pages, anonymous by nature.
    "wagtailcore_login",
    "wagtailcore_authenticate_with_password",
    "wagtaildocs_authenticate_with_password",
}

ANONYMOUS_OK = {"login", 404, 405, 410}
REDIRECTS = {301, 302, 303, 307, 308}

# Every parent-facing route (under /portaal/) with URL arguments: what its pk means, and the
# section slugs it accepts. A new one fails test_every_parent_route_with_arguments_is_listed
# until it is added here, and from then on it is walked with other families' objects.
PARENT_AREA = "portaal/"


@dataclass(frozen=True)
class ObjectRoute:
    kind: str | None  # a key of FOREIGN_TARGETS; None: no pk (the parent's own profile)
    sections: tuple = (None,)
    # (argument, kind) of an object inside the pk's object, e.g. a mailing's attachment. Such a
    # route is walked with every pairing of own and foreign objects except (own, own).
    inner: tuple | None = None


PARENT_OBJECT_ROUTES = {
    "portal:profile_edit": ObjectRoute(None, ("persoonlijk", "adres", "contact")),
    "portal:class_list": ObjectRoute("group"),
    "portal:class_list_print": ObjectRoute("group"),
    "portal:child": ObjectRoute("pupil"),
    "portal:child_emergency_contacts": ObjectRoute("pupil"),
    "portal:child_edit": ObjectRoute("pupil", ("adres", "medisch", "toestemming")),
    "portal:babysitter_edit": ObjectRoute("babysitter"),
    "portal:babysitter_delete": ObjectRoute("babysitter"),
    "agenda:item": ObjectRoute("agenda_item"),
    "agenda:item_ics": ObjectRoute("agenda_item"),
    "mailings:detail": ObjectRoute("mailing"),
    "mailings:attachment": ObjectRoute("mailing", inner=("attachment_pk", "attachment")),
    "mailings:draft": ObjectRoute("draft"),
    "mailings:draft_edit": ObjectRoute("draft"),
    "mailings:answers": ObjectRoute("authored"),
    "grouppages:group": ObjectRoute("group_page"),
    "grouppages:blog": ObjectRoute("group_page"),
    "grouppages:post": ObjectRoute("blog_post"),
    "grouppages:post_photo": ObjectRoute("blog_post"),
    "grouppages:album": ObjectRoute("album"),
    "grouppages:photo_page": ObjectRoute("photo"),
    "grouppages:photo": ObjectRoute("photo"),
    "grouppages:thumbnail": ObjectRoute("photo"),
    "grouppages:file": ObjectRoute("group_file"),
    "classposts:write": ObjectRoute("writable_group_page"),
    "classposts:own_post": ObjectRoute("class_post"),
    "classposts:edit": ObjectRoute("class_post"),
    "classposts:photo": ObjectRoute("class_post"),
    "grouppages:reactions:react": ObjectRoute("reactable_post"),
    "grouppages:reactions:follow": ObjectRoute("reactable_post"),
    "grouppages:reactions:edit": ObjectRoute("own_reaction"),
    "grouppages:reactions:delete": ObjectRoute("own_reaction"),
    "grouppages:reactions:hide": ObjectRoute("reaction"),
    "grouppages:reactions:photo": ObjectRoute("reaction"),
    "conversations:conversation": ObjectRoute("conversation"),
    "conversations:attachment": ObjectRoute(
        "conversation", inner=("attachment_pk", "message_attachment")
    ),
    "absences:change": ObjectRoute("absence"),
    "absences:end": ObjectRoute("absence"),
    "lunch:child": ObjectRoute("pupil"),
    "lunch:cancel": ObjectRoute("lunch_day"),
    "results:child": ObjectRoute("pupil"),
    "interviews:round": ObjectRoute("interview_round"),
    "interviews:book": ObjectRoute("interview_round", inner=("pupil_pk", "pupil")),
    "interviews:cancel": ObjectRoute("interview_booking"),
    "interviews:download": ObjectRoute("interview_booking"),
    "results:report": ObjectRoute("school_report"),
    "newsletters:issue": ObjectRoute("newsletter"),
    "newsletters:image": ObjectRoute("newsletter", inner=("image_pk", "newsletter_photo")),
    "newsletters:document": ObjectRoute("newsletter", inner=("document_pk", "newsletter_file")),
    "dataexport:download": ObjectRoute("data_export"),
}

# Objects of other families (attributes of World) that parent A must never reach, per kind.
FOREIGN_TARGETS = {
    "pupil": ("classmate", "child_in_other_group", "child_at_other_school", "missing"),
    "babysitter": (
        "classmates_babysitter",
        "co_parents_babysitter",
        "babysitter_at_other_school",
        "missing",
    ),
    "group": ("group_without_own_child", "group_at_other_school", "missing"),
    "agenda_item": ("agenda_item_of_other_group", "agenda_item_at_other_school", "missing"),
    "mailing": ("mailing_of_other_group", "mailing_at_other_school", "draft_mailing", "missing"),
    # Inside A's own mailing, an attachment of any other mailing is foreign: also one of
    # another mailing that A may read.
    "attachment": (
        "attachment_of_other_group",
        "attachment_at_other_school",
        "attachment_of_draft",
        "attachment_of_another_own_mailing",
        "missing",
    ),
    # A class parent's unsent mailing: only the class parent who wrote it reaches it.
    "draft": ("draft_of_fellow_class_parent", "draft_mailing", "sent_own_mailing", "missing"),
    # The answers to a class parent's reply slip: only for the class parent who sent it.
    "authored": ("mailing", "sent_by_fellow_class_parent", "own_draft", "missing"),
    # Group pages: only through a child in the group, only what is published.
    "group_page": (
        "group_page_of_other_group",
        "group_page_at_other_school",
        "unpublished_group_page",
        "missing",
    ),
    "blog_post": ("post_of_other_group", "post_at_other_school", "draft_post", "missing"),
    "album": ("album_of_other_group", "album_at_other_school", "draft_album", "missing"),
    # A photo of A's own album on which the teacher tagged a classmate without photo consent.
    "photo": (
        "photo_of_other_group",
        "photo_at_other_school",
        "photo_of_draft_album",
        "photo_of_classmate_without_consent",
        "missing",
    ),
    "group_file": ("file_of_other_group", "file_at_other_school", "missing"),
    # A klassenouder writes for the blog of their own group only, and reaches only the posts
    # they wrote: not a fellow klassenouder's, not the teacher's.
    "writable_group_page": (
        "group_page_of_other_group",
        "group_page_at_other_school",
        "unpublished_group_page",
        "missing",
    ),
    "class_post": ("post_of_fellow_class_parent", "post", "draft_post", "missing"),
    # Reacties: under a post A reads where reactions are on; A changes and deletes only A's
    # own, and nobody of the parents sees a hidden one (its author neither).
    "reactable_post": (
        "post_of_other_group",
        "post_at_other_school",
        "draft_post",
        "post_without_reactions",
        "missing",
    ),
    "own_reaction": (
        "classmate_parents_reaction",
        "reaction_of_other_group",
        "reaction_at_other_school",
        "hidden_reaction",
        "own_reaction_under_closed_post",
        "missing",
    ),
    "reaction": (
        "reaction_of_other_group",
        "reaction_at_other_school",
        "hidden_reaction",
        "own_reaction_under_closed_post",
        "missing",
    ),
    # Berichten: only the conversations A takes part in; a co-parent's own conversation with
    # the teacher is not A's until staff add A to it.
    "conversation": (
        "classmate_parents_conversation",
        "co_parents_conversation",
        "conversation_at_other_school",
        "missing",
    ),
    "message_attachment": (
        "attachment_of_classmate_parents_conversation",
        "attachment_of_co_parents_conversation",
        "attachment_of_another_own_conversation",
        "missing",
    ),
    # Absences: only an open report of one's own child is changed or ended.
    "absence": ("absence_of_classmate", "absence_at_other_school", "ended_absence", "missing"),
    # Overblijven: only a lunch day of one's own child that is not cancelled yet.
    "lunch_day": (
        "lunch_day_of_classmate",
        "lunch_day_at_other_school",
        "cancelled_lunch_day",
        "missing",
    ),
    # Resultaten: a report of one's own child, only once released.
    "school_report": (
        "report_of_classmate",
        "report_at_other_school",
        "unreleased_report",
        "missing",
    ),
    # Oudergesprekken: a round for a group of one's own child, and one's own child's booking.
    "interview_round": ("round_of_other_group", "round_at_other_school", "missing"),
    "interview_booking": ("booking_of_classmate", "booking_at_other_school", "missing"),
    # Newsletters: an issue of the parent's own school, only once published; its photos and
    # files only through the issue that shows them.
    "newsletter": ("newsletter_at_other_school", "draft_newsletter", "missing"),
    "newsletter_photo": (
        "photo_of_newsletter_at_other_school",
        "photo_of_draft_newsletter",
        "missing",
    ),
    "newsletter_file": (
        "file_of_newsletter_at_other_school",
        "file_of_draft_newsletter",
        "missing",
    ),
    # Mijn gegevens: only the parent who asked, and only until it expires; the co-parent's
    # download of the same child's data is the co-parent's.
    "data_export": (
        "co_parents_export",
        "classmate_parents_export",
        "expired_export",
        "missing",
    ),
}
OWN_TARGETS = {
    "pupil": "child",
    "babysitter": "babysitter",
    "group": "group",
    "agenda_item": "agenda_item",
    "mailing": "mailing",
    "attachment": "attachment",
    "draft": "own_draft",
    "authored": "sent_own_mailing",
    "group_page": "group_page",
    "blog_post": "post",
    "album": "album",
    "photo": "photo",
    "group_file": "group_file",
    "writable_group_page": "group_page",
    "class_post": "own_class_post",
    "reactable_post": "post",
    "own_reaction": "reaction",
    "reaction": "reaction",
    "conversation": "conversation",
    "message_attachment": "message_attachment",
    "absence": "absence",
    "lunch_day": "lunch_day",
    "school_report": "school_report",
    "interview_round": "interview_round",
    "interview_booking": "interview_booking",
    "newsletter": "newsletter",
    "newsletter_photo": "newsletter_photo",
    "newsletter_file": "newsletter_file",
    "data_export": "data_export",
}

MISSING_PK = 987_654_321
PDF = b"%PDF-1.4 bijlage"
WATCHED_MODELS = [
    School,
    SchoolYear,
    Group,
    StaffMember,
    Pupil,
    Guardian,
    Guardianship,
    ClassParent,
    EmergencyContact,
    Babysitter,
    PupilLinkCode,
    LinkCodeAttempt,
    AgendaItem,
    CalendarFeed,
    Mailing,
    MailingAttachment,
    ReplySlipField,
    ReplySlipAnswer,
    MailingRead,
    ReplySlipReminder,
    Page,
    AlbumPhoto,
    GroupPageFile,
    Conversation,
    Participant,
    Message,
    MessageAttachment,
    AbsenceReport,
    LunchDay,
    InterviewBooking,
    DataExport,
    Reaction,
    PostFollower,
]


def route(name):
    return next(r for r in ROUTES if r.name == name)


# --- The world: parent A and the families around them ------------------------------------------


@dataclass
class World:
    parent: Guardian
    co_parent: Guardian
    child: Pupil
    group: Group
    babysitter: Babysitter
    classmate: Pupil
    classmate_parent: Guardian
    classmates_babysitter: Babysitter
    classmates_contact: EmergencyContact
    co_parents_babysitter: Babysitter
    child_in_other_group: Pupil
    group_without_own_child: Group
    child_at_other_school: Pupil
    group_at_other_school: Group
    babysitter_at_other_school: Babysitter
    used_code_of_classmate: str
    document: object
    agenda_item: AgendaItem
    agenda_item_of_other_group: AgendaItem
    agenda_item_at_other_school: AgendaItem
    mailing: Mailing
    attachment: MailingAttachment
    mailing_of_other_group: Mailing
    attachment_of_other_group: MailingAttachment
    mailing_at_other_school: Mailing
    attachment_at_other_school: MailingAttachment
    draft_mailing: Mailing
    attachment_of_draft: MailingAttachment
    attachment_of_another_own_mailing: MailingAttachment
    own_draft: Mailing
    draft_of_fellow_class_parent: Mailing
    sent_own_mailing: Mailing
    sent_by_fellow_class_parent: Mailing
    # Made by the ``group_pages`` fixture, only for the tests that walk group pages.
    group_page: GroupPage | None = None
    group_page_of_other_group: GroupPage | None = None
    group_page_at_other_school: GroupPage | None = None
    unpublished_group_page: GroupPage | None = None
    post: BlogPostPage | None = None
    post_of_other_group: BlogPostPage | None = None
    post_at_other_school: BlogPostPage | None = None
    draft_post: BlogPostPage | None = None
    album: PhotoAlbumPage | None = None
    album_of_other_group: PhotoAlbumPage | None = None
    album_at_other_school: PhotoAlbumPage | None = None
    draft_album: PhotoAlbumPage | None = None
    photo: AlbumPhoto | None = None
    photo_of_other_group: AlbumPhoto | None = None
    photo_at_other_school: AlbumPhoto | None = None
    photo_of_draft_album: AlbumPhoto | None = None
    photo_of_classmate_without_consent: AlbumPhoto | None = None
    group_file: GroupPageFile | None = None
    file_of_other_group: GroupPageFile | None = None
    file_at_other_school: GroupPageFile | None = None
    own_class_post: BlogPostPage | None = None
    post_of_fellow_class_parent: BlogPostPage | None = None
    # Reacties (made with the group pages).
    post_without_reactions: BlogPostPage | None = None
    reaction: Reaction | None = None
    classmate_parents_reaction: Reaction | None = None
    reaction_of_other_group: Reaction | None = None
    reaction_at_other_school: Reaction | None = None
    hidden_reaction: Reaction | None = None
    own_reaction_under_closed_post: Reaction | None = None
    # Berichten (made by ``add_conversations``).
    conversation: Conversation | None = None
    message_attachment: MessageAttachment | None = None
    classmate_parents_conversation: Conversation | None = None
    co_parents_conversation: Conversation | None = None
    conversation_at_other_school: Conversation | None = None
    attachment_of_classmate_parents_conversation: MessageAttachment | None = None
    attachment_of_co_parents_conversation: MessageAttachment | None = None
    attachment_of_another_own_conversation: MessageAttachment | None = None
    absence: AbsenceReport | None = None
    absence_of_classmate: AbsenceReport | None = None
    absence_at_other_school: AbsenceReport | None = None
    ended_absence: AbsenceReport | None = None
    lunch_day: LunchDay | None = None
    lunch_day_of_classmate: LunchDay | None = None
    lunch_day_at_other_school: LunchDay | None = None
    cancelled_lunch_day: LunchDay | None = None
    school_report: object = None
    report_of_classmate: object = None
    report_at_other_school: object = None
    unreleased_report: object = None
    interview_round: object = None
    round_of_other_group: object = None
    round_at_other_school: object = None
    interview_booking: object = None
    booking_of_classmate: object = None
    booking_at_other_school: object = None
    # Made by the ``newsletters`` fixture, only for the tests that walk newsletters.
    newsletter: NewsletterPage | None = None
    newsletter_at_other_school: NewsletterPage | None = None
    draft_newsletter: NewsletterPage | None = None
    newsletter_photo: object = None
    photo_of_newsletter_at_other_school: object = None
    photo_of_draft_newsletter: object = None
    newsletter_file: object = None
    file_of_newsletter_at_other_school: object = None
    file_of_draft_newsletter: object = None
    # Mijn gegevens downloaden: A's own download and three that are not A's to open.
    data_export: object = None
    co_parents_export: object = None
    classmate_parents_export: object = None
    expired_export: object = None

    missing = type("Missing", (), {"pk": MISSING_PK})()

    def pk(self, attribute):
        return getattr(self, attribute).pk


@pytest.fixture
def world():
    school = SchoolFactory(name="Basisschool Het Anker", lunch_enabled=True, results_enabled=True)
    group = GroupFactory(school_year__school=school)
    child = PupilFactory(first_name="Lotte", group=group)
    parent = parent_of(child, first_name="Marieke")
    co_parent = parent_of(child, first_name="Joost")

    classmate = PupilFactory(
        first_name="Sem",
        group=group,
        street="Achterom",
        house_number="8",
        postcode="3511 AA",
        medical_notes="Epilepsie",
        allergies="Noten",
    )
    classmate_parent = parent_of(classmate, first_name="Ilse")
    code = linking.issue_code(classmate)
    linking.redeem(classmate_parent, code)

    other_group = GroupFactory(school_year=group.school_year, school=school)
    child_in_other_group = PupilFactory(first_name="Noor", group=other_group)
    parent_of(child_in_other_group, first_name="Fleur")

    other_school = SchoolFactory(
        name="Basisschool De Linde", lunch_enabled=True, results_enabled=True
    )
    group_at_other_school = GroupFactory(school_year__school=other_school)
    child_at_other_school = PupilFactory(first_name="Daan", group=group_at_other_school)
    far_parent = parent_of(child_at_other_school, first_name="Bram")
    ClassParent.objects.create(group=other_group, guardian=classmate_parent)

    for pupil in (child, classmate, child_in_other_group, child_at_other_school):
        EmergencyContact.objects.create(
            pupil=pupil, name=f"Oma van {pupil.first_name}", relation="oma", phone="030-2223344"
        )
    document = get_document_model()(
        title="Klassenlijst groep 3",
        file=ContentFile(b"%PDF-1.4 geheim", name="lijst.pdf"),
        collection=school.media.collection,  # where the school's staff upload
    )
    document.save()

    def agenda_item(title, school, groups=()):
        item = AgendaItem(
            school=school,
            title=title,
            start_date=date.today(),
            end_date=date.today(),
            all_day=True,
            whole_school=not groups,
        )
        item.groups.set(groups)
        item.save()
        return item

    slip = [("Rijdt u mee?", "radio", "Ja\nNee", True), ("Opmerkingen", "singleline", "", False)]
    mailing = send_mailing(
        [group], title="Luizencontrole groep 3", fields=slip, attachments={"luizen.pdf": PDF}
    )
    mailing_of_other_group = send_mailing(
        [other_group], title="Ouderavond groep 7", attachments={"ouderavond.pdf": PDF}
    )
    mailing_at_other_school = send_mailing(
        school=other_school, title="Nieuwsbrief De Linde", attachments={"linde.pdf": PDF}
    )
    draft = draft_mailing(
        [group], title="Concept schoolfotograaf", fields=slip, attachments={"fotograaf.pdf": PDF}
    )
    another_own_mailing = send_mailing(
        school=school, title="Studiedag hele school", attachments={"studiedag.pdf": PDF}
    )
    # Parent A and Ilse are both klassenouder of A's group and write mailings to it.
    ClassParent.objects.create(group=group, guardian=parent)
    ClassParent.objects.create(group=group, guardian=classmate_parent)

    def class_parents_mailing(make, author, title):
        return make(
            [group],
            title=title,
            sender="class_parents",
            created_by=author.user,
            attachments={f"{author.first_name.lower()}.pdf": PDF},
            fields=[("Wie rijdt er mee?", "radio", "Ja\nNee", True)],
        )

    world = World(
        parent=parent,
        co_parent=co_parent,
        child=child,
        group=group,
        babysitter=Babysitter.objects.create(guardian=parent, name="Anouk", phone="06-11111111"),
        classmate=classmate,
        classmate_parent=classmate_parent,
        classmates_babysitter=Babysitter.objects.create(
            guardian=classmate_parent, name="Yara", phone="06-22222222", notes="Sleutel onder mat"
        ),
        classmates_contact=classmate.emergency_contacts.get(),
        co_parents_babysitter=Babysitter.objects.create(
            guardian=co_parent, name="Kim", phone="06-33333333"
        ),
        child_in_other_group=child_in_other_group,
        group_without_own_child=other_group,
        child_at_other_school=child_at_other_school,
        group_at_other_school=group_at_other_school,
        babysitter_at_other_school=Babysitter.objects.create(
            guardian=far_parent, name="Mila", phone="06-44444444"
        ),
        used_code_of_classmate=code,
        document=document,
        agenda_item=agenda_item("Schoolreisje", school, [group]),
        agenda_item_of_other_group=agenda_item("Kamp", school, [other_group]),
        agenda_item_at_other_school=agenda_item("Sportdag", other_school),
        mailing=mailing,
        attachment=mailing.attachments.get(),
        mailing_of_other_group=mailing_of_other_group,
        attachment_of_other_group=mailing_of_other_group.attachments.get(),
        mailing_at_other_school=mailing_at_other_school,
        attachment_at_other_school=mailing_at_other_school.attachments.get(),
        draft_mailing=draft,
        attachment_of_draft=draft.attachments.get(),
        attachment_of_another_own_mailing=another_own_mailing.attachments.get(),
        own_draft=class_parents_mailing(draft_mailing, parent, "Concept van Marieke"),
        draft_of_fellow_class_parent=class_parents_mailing(
            draft_mailing, classmate_parent, "Concept van Ilse"
        ),
        sent_own_mailing=class_parents_mailing(send_mailing, parent, "Verstuurd door Marieke"),
        sent_by_fellow_class_parent=class_parents_mailing(
            send_mailing, classmate_parent, "Verstuurd door Ilse"
        ),
    )

    def absence(pupil, explanation, **fields):
        return AbsenceReport.objects.create(
            pupil=pupil,
            school=pupil.school,
            group=pupil.group,
            reason=Reason.OTHER,
            explanation=explanation,
            **{"first_day": date.today(), **fields},
        )

    world.absence = absence(child, "Bruiloft van oom")
    world.absence_of_classmate = absence(classmate, "Waterpokken bij Sem")
    world.absence_at_other_school = absence(child_at_other_school, "Verhuizing De Linde")
    world.ended_absence = absence(
        child,
        "Tandarts",
        first_day=date.today() - timedelta(days=10),
        expected_return=date.today() - timedelta(days=9),
        ended_at=timezone.now(),
        ended_by=EndedBy.AUTOMATIC,
    )

    def lunch_day(pupil, days_ahead, **fields):
        day = date.today() + timedelta(days=days_ahead)
        return LunchDay.objects.create(pupil=pupil, school=pupil.school, date=day, **fields)

    # A week ahead: before its cut-off whenever the tests run.
    world.lunch_day = lunch_day(child, 7)
    world.lunch_day_of_classmate = lunch_day(classmate, 7)
    world.lunch_day_at_other_school = lunch_day(child_at_other_school, 7)
    world.cancelled_lunch_day = lunch_day(
        child, 8, cancelled_at=timezone.now(), cancelled_by=CancelledBy.PARENT
    )
    world.school_report = school_report(child)
    world.report_of_classmate = school_report(classmate)
    world.report_at_other_school = school_report(child_at_other_school)
    world.unreleased_report = school_report(child, title="Rapport 2", released=False)
    add_conversations(world, school, other_school, far_parent)
    add_interviews(world, other_group, group_at_other_school)
    world.data_export = data_export(parent.user)
    world.co_parents_export = data_export(co_parent.user)
    world.classmate_parents_export = data_export(classmate_parent.user)
    world.expired_export = data_export(parent.user, days_left=-1)
    return world


def add_interviews(world, other_group, group_at_other_school):
    """Oudergesprekken: an open round for A's group with A's and the classmate's booking, a
    round of another group and one at the other school with a booking there."""

    def open_round(group, marker):
        teacher = StaffMemberFactory(school=group.school, display_name=f"juf {marker}")
        group.teachers.add(teacher)
        return interview_round(marker, group.school, group, teacher)

    world.interview_round = open_round(world.group, "Anker")
    first, second, _free = world.interview_round.slots.order_by("starts_at")
    world.interview_booking = interview_rules.book(world.child, first, subject="Lezen")
    world.booking_of_classmate = interview_rules.book(world.classmate, second, subject="Rekenen")
    world.round_of_other_group = open_round(other_group, "Zeven")
    world.round_at_other_school = open_round(group_at_other_school, "Linde")
    world.booking_at_other_school = interview_rules.book(
        world.child_at_other_school, world.round_at_other_school.slots.first(), subject="Taal"
    )


def add_conversations(world, school, other_school, far_parent):
    """Berichten: A's own two conversations with the teacher, and three of other parties."""
    teacher = StaffMemberFactory(school=school, display_name="juf Anker")
    world.group.teachers.add(teacher)
    far_teacher = StaffMemberFactory(school=other_school, display_name="meester Linde")

    def conversation(school, staff, guardian, subject):
        upload = SimpleUploadedFile(f"{subject}.pdf", PDF, "application/pdf")
        message = sending.start_conversation(
            school=school,
            subject=subject,
            sender=staff,
            recipients=[guardian],
            body=f"Tekst van {subject}",
            files=[upload],
        )
        return message.conversation, message.attachments.get()

    world.conversation, world.message_attachment = conversation(
        school, teacher, world.parent, "Gesprek van Marieke"
    )
    _other, world.attachment_of_another_own_conversation = conversation(
        school, teacher, world.parent, "Ander gesprek van Marieke"
    )
    world.classmate_parents_conversation, world.attachment_of_classmate_parents_conversation = (
        conversation(school, teacher, world.classmate_parent, "Gesprek van Ilse")
    )
    world.co_parents_conversation, world.attachment_of_co_parents_conversation = conversation(
        school, teacher, world.co_parent, "Gesprek van Joost"
    )
    world.conversation_at_other_school, _attachment = conversation(
        other_school, far_teacher, far_parent, "Gesprek De Linde"
    )
    return world


@pytest.fixture
def group_pages(world):
    """Group pages with a blog post, an album and a file each: A's group's, another group's,
    another school's, and an unpublished one of a group A's other child is in. They cost
    about a second per world, so only the tests that walk group pages build them."""
    # Group pages: A's group, another group, another school, and one taken offline.
    own_page, other_page, far_page = (
        group_page(g)
        for g in (world.group, world.group_without_own_child, world.group_at_other_school)
    )
    offline_group = GroupFactory(school_year=world.group.school_year, school=world.group.school)
    parent_of(PupilFactory(first_name="Mees", group=offline_group), first_name="Loes")
    unpublished_page = group_page(offline_group)
    unpublished_page.unpublish()
    GuardianshipFactory(
        guardian=world.parent, pupil=PupilFactory(first_name="Kees", group=offline_group)
    )

    def page_content(page, label):
        album = photo_album(page, title=f"Album {label}", photos=1)
        post = blog_post(page, title=f"Blog {label}")
        post.photo = image(f"Blog {label}")
        post.save()
        post.photo.get_rendition(BlogPostPage.PHOTO_SIZE)  # as publishing makes it in a task
        return (
            post,
            album,
            album.photos.first(),
            group_file(page, filename=f"{label.lower().replace(' ', '-')}.pdf"),
        )

    post, album, photo, own_file = page_content(own_page, "groep 3")
    other = page_content(other_page, "Vossen")
    far = page_content(far_page, "Linde")
    draft_album = photo_album(own_page, title="Concept album", photos=1, live=False)

    world.group_page = own_page
    world.group_page_of_other_group = other_page
    world.group_page_at_other_school = far_page
    world.unpublished_group_page = unpublished_page
    world.post = post
    world.post_of_other_group = other[0]
    world.post_at_other_school = far[0]
    world.draft_post = blog_post(own_page, title="Concept blog", live=False)
    world.album = album
    world.album_of_other_group = other[1]
    world.album_at_other_school = far[1]
    world.draft_album = draft_album
    world.photo = photo
    world.photo_of_other_group = other[2]
    world.photo_at_other_school = far[2]
    world.photo_of_draft_album = draft_album.photos.first()
    # The classmate's guardians gave no consent for the group page (the default); its sizes
    # are made, as publishing makes them.
    withheld = AlbumPhoto.objects.create(
        album=album, image=image("Klasgenoot"), caption="Sem op het klimrek", sort_order=9
    )
    withheld.pupils.set([world.classmate])
    withheld.save()
    make_album_renditions(album.pk)
    world.photo_of_classmate_without_consent = withheld
    world.group_file = own_file
    world.file_of_other_group = other[3]
    world.file_at_other_school = far[3]
    # Klassenouders' posts in A's group, with a photo each, waiting for the teacher: A's own,
    # and Ilse's (klassenouder of the same group).
    world.own_class_post = class_post(own_page, world.parent, "Bericht van Marieke")
    world.post_of_fellow_class_parent = class_post(own_page, world.classmate_parent, "Van Ilse")
    add_reactions(world, other[0], far[0])
    return world


def class_post(page, guardian, title):
    from schoolportal.classposts import writing

    photo = image(title)
    photo.get_rendition(BlogPostPage.PHOTO_SIZE)  # as the worker makes it
    post = writing.save_post(
        page,
        guardian,
        guardian.user,
        post=None,
        title=title,
        body="<p>Tekst</p>",
        photo=photo,
        caption=f"Foto {title}",
        remove_photo=False,
    )
    writing.submit(post, guardian.user)
    return post


def add_reactions(world, post_of_other_group, post_at_other_school):
    """A's reaction (with a photo, its size made) and a hidden one of A's, the classmate's
    parent's, one under another group's post and one at another school, and A's reaction
    under a post whose reactions the teacher switched off later."""

    def reaction(post, guardian, text, **fields):
        return Reaction.objects.create(
            post=post, author=guardian.user, author_name=guardian.full_name, text=text, **fields
        )

    photo = image("Reactie van Marieke")
    photo.get_rendition(REACTION_PHOTO_SIZE)  # as the worker makes it after the upload
    world.reaction = reaction(world.post, world.parent, "Leuk!", photo=photo)
    world.classmate_parents_reaction = reaction(world.post, world.classmate_parent, "Gezellig")
    world.hidden_reaction = reaction(
        world.post, world.parent, "Verborgen", hidden_at=timezone.now(), photo=image("Verborgen")
    )
    far_parent = Guardian.objects.filter(pupils__group=world.group_at_other_school).first()
    other_parent = Guardian.objects.filter(pupils__group=world.group_without_own_child).first()
    world.reaction_of_other_group = reaction(
        post_of_other_group, other_parent, "Vossen", photo=image("Vossen reactie")
    )
    world.reaction_at_other_school = reaction(
        post_at_other_school, far_parent, "Linde", photo=image("Linde reactie")
    )
    world.post_without_reactions = blog_post(world.group_page, title="Blog zonder reacties")
    BlogPostPage.objects.filter(pk=world.post_without_reactions.pk).update(reactions_enabled=False)
    world.own_reaction_under_closed_post = reaction(
        world.post_without_reactions, world.parent, "Eerder", photo=image("Eerder")
    )


@pytest.fixture
def newsletters(world):
    """An issue of A's school, one of another school and a draft of A's school, each with a
    photo and a file."""

    def issue(school, label, live=True):
        photo = image(f"Foto {label}")
        photo.get_rendition(NEWSLETTER_PHOTO_SIZE)  # as publishing makes it in a task
        file = document(f"{label.lower().replace(' ', '-')}.pdf", PDF, f"Bestand {label}")
        body = [
            ("image", {"image": photo, "caption": f"Onderschrift {label}"}),
            ("call_to_action", {"text": f"Knop {label}", "url": "", "document": file}),
        ]
        return newsletter(school, title=label, body=body, live=live), photo, file

    world.newsletter, world.newsletter_photo, world.newsletter_file = issue(
        world.group.school, "Nieuwsbrief Het Anker"
    )
    (
        world.newsletter_at_other_school,
        world.photo_of_newsletter_at_other_school,
        world.file_of_newsletter_at_other_school,
    ) = issue(world.group_at_other_school.school, "Lindebode")
    world.draft_newsletter, world.photo_of_draft_newsletter, world.file_of_draft_newsletter = issue(
        world.group.school, "Concept nieuwsbrief", live=False
    )
    return world


@pytest.fixture(autouse=True)
def _group_pages_for_their_routes(request):
    callspec = getattr(request.node, "callspec", None)
    name = callspec.params.get("name") if callspec else None
    if isinstance(name, str) and name.startswith(("grouppages:", "classposts:")):
        request.getfixturevalue("group_pages")
    if isinstance(name, str) and name.startswith("newsletters:"):
        request.getfixturevalue("newsletters")


@pytest.fixture
def parent_client(client, world):
    client.force_login(world.parent.user)
    return client


def snapshot():
    """Every row of every people table, as stored now."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in WATCHED_MODELS}


def foreign_snapshot(world, own_pupil_pks):
    """Like ``snapshot`` without the rows parent A may change: their own profile and children,
    what they read and answered, and the mailings they wrote as class parent."""
    own_mailings = set(
        Mailing.objects.filter(created_by=world.parent.user).values_list("pk", flat=True)
    )
    own_conversations = set(
        Participant.objects.filter(guardian=world.parent).values_list("conversation_id", flat=True)
    )
    own_messages = set(
        Message.objects.filter(conversation_id__in=own_conversations).values_list("pk", flat=True)
    )
    own = {
        "Guardian": lambda row: row["id"] == world.parent.pk,
        "Pupil": lambda row: row["id"] in own_pupil_pks,
        "Guardianship": lambda row: row["pupil_id"] in own_pupil_pks,
        "EmergencyContact": lambda row: row["pupil_id"] in own_pupil_pks,
        "Babysitter": lambda row: row["guardian_id"] == world.parent.pk,
        "LinkCodeAttempt": lambda row: row["user_id"] == world.parent.user_id,
        "CalendarFeed": lambda row: row["user_id"] == world.parent.user_id,
        "MailingRead": lambda row: row["user_id"] == world.parent.user_id,
        "ReplySlipAnswer": lambda row: row["pupil_id"] in own_pupil_pks,
        "Mailing": lambda row: row["id"] in own_mailings,
        "MailingAttachment": lambda row: row["mailing_id"] in own_mailings,
        # Berichten: A's reading and writing in A's own conversations.
        "Participant": lambda row: row["conversation_id"] in own_conversations,
        "Conversation": lambda row: row["id"] in own_conversations,
        "Message": lambda row: row["conversation_id"] in own_conversations,
        "MessageAttachment": lambda row: row["message_id"] in own_messages,
        "AbsenceReport": lambda row: row["pupil_id"] in own_pupil_pks,
        "LunchDay": lambda row: row["pupil_id"] in own_pupil_pks,
        "InterviewBooking": lambda row: row["pupil_id"] in own_pupil_pks,
        "DataExport": lambda row: row["user_id"] == world.parent.user_id,
    }
    return {
        name: [row for row in rows if not own.get(name, lambda row: False)(row)]
        for name, rows in snapshot().items()
    }


def hostile_post(world):
    """Valid input for every parent form, plus fields that try to point at another family."""
    prefix = "emergency_contacts"
    return {
        # the forms' own fields
        "first_name": "Gekaapt",
        "infix": "",
        "last_name": "Gekaapt",
        "street": "Gekaaptstraat",
        "house_number": "66",
        "postcode": "6666 XX",
        "city": "Gekaapt",
        "address_hidden": "on",
        "email": "gekaapt@example.org",
        "phone": "06-66666666",
        "mobile_phone": "06-66666666",
        "email_hidden": "on",
        "phone_hidden": "on",
        "mobile_phone_hidden": "on",
        "medical_notes": "Gekaapt",
        "allergies": "Gekaapt",
        "photo_consent_group_page": "on",
        "photo_consent_website": "on",
        "photo_consent_social_media": "on",
        "name": "Gekaapt",
        "notes": "Gekaapt",
        "code": world.used_code_of_classmate,
        "relation": "parent",
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "5",
        f"{prefix}-0-name": "Gekaapt",
        f"{prefix}-0-relation": "buurman",
        f"{prefix}-0-phone": "06-66666666",
        # a class parent's draft: sends it, so it must never reach another's draft
        "action": "send",
        # an absence report (the pupil is below: another family's child)
        "reason": "other",
        "explanation": "Gekaapt",
        "first_day": date.today().isoformat(),
        "expected_return": (date.today() + timedelta(days=3)).isoformat(),
        # overblijven (the child is in the URL: another family's child is a 404)
        "form": "weekdays",
        "weekdays": ["0", "2"],
        "until": (date.today() + timedelta(days=20)).isoformat(),
        # fields no form has: must be ignored, never obeyed
        "id": world.classmates_babysitter.pk,
        "pk": world.classmate.pk,
        "guardian": world.classmate_parent.pk,
        "user": world.classmate_parent.user_id,
        "pupil": world.classmate.pk,
        "group": world.group_without_own_child.pk,
        "slot": world.round_of_other_group.slots.first().pk,
        "school": world.group_at_other_school.school_id,
        # a reaction: its text, following its post ("action" above hides it)
        "text": "Gekaapt",
        "follow": "1",
    }


def url_for(name, world, target=None, section=None):
    """A concrete URL for a route: A's own objects unless ``target`` names another one.

    For a route with an inner object, ``target`` is a pair (outer, inner).
    """
    spec = route(name)
    object_route = PARENT_OBJECT_ROUTES.get(name)
    outer, inner = target if isinstance(target, tuple) else (target, None)
    kwargs = {}
    for arg, converter in spec.kwargs:
        if arg == "pk" and object_route and object_route.kind:
            kwargs[arg] = world.pk(outer or OWN_TARGETS[object_route.kind])
        elif object_route and object_route.inner and arg == object_route.inner[0]:
            kwargs[arg] = world.pk(inner or OWN_TARGETS[object_route.inner[1]])
        elif arg == "section" and object_route:
            kwargs[arg] = section or object_route.sections[0]
        elif converter == "IntConverter":
            kwargs[arg] = 1
        else:
            kwargs[arg] = "adres"
    if name == "wagtaildocs_serve":
        return reverse(name, args=[world.document.pk, world.document.filename])
    if spec.positional:
        return reverse(name, args=["1"] * spec.positional)
    return reverse(name, kwargs=kwargs)


def anonymous_outcome(client, url, method):
    """'login' when the visitor ends up at the login page (following local redirects),
    otherwise the final status code."""
    login_path = reverse("accounts:login")
    response = getattr(client, method)(url)
    for _hop in range(5):
        if response.status_code not in REDIRECTS:
            return response.status_code
        location = urlsplit(response["Location"])
        if location.path == login_path:
            return "login"
        if location.netloc not in ("", "testserver"):
            return f"redirect to {response['Location']}"
        response = client.get(response["Location"])
    return f"redirect loop at {url}"


# --- 1. Deny by default ------------------------------------------------------------------------


def test_the_walker_sees_every_part_of_the_project():
    for expected in [
        "healthz",
        "set_language",
        "accounts:login",
        "accounts:password_reset_confirm",
        "portal:dashboard",
        "portal:child_edit",
        "wagtaildocs_serve",
    ]:
        assert expected in ROUTE_NAMES
    assert not [r for r in ROUTES if r.route.startswith("admin/")]
    assert "wagtail_serve" not in ROUTE_NAMES


def test_every_route_has_a_name():
    """Unnamed routes cannot be allowlisted or walked by name."""
    assert [str(r) for r in ROUTES if not r.name] == []


def test_public_allowlist_has_no_stale_names():
    assert PUBLIC_ROUTES <= ROUTE_NAMES, PUBLIC_ROUTES - ROUTE_NAMES


def _anonymous_params():
    for spec in ROUTES:
        if spec.name in PUBLIC_ROUTES:
            continue
        for method in ("get", "post"):
            yield pytest.param(spec.name, method, id=f"{spec}-{method}")


@pytest.mark.parametrize("name, method", list(_anonymous_params()))
def test_anonymous_visitor_is_sent_to_login_or_refused(client, world, name, method):
    url = url_for(name, world)
    before = snapshot()

    outcome = anonymous_outcome(client, url, method)

    assert outcome in ANONYMOUS_OK, (
        f"{method.upper()} {url} ({name}) answers {outcome} to an anonymous visitor: "
        "protect it, or add it to PUBLIC_ROUTES if strangers really need it"
    )
    assert snapshot() == before


# --- 2. Cross-family walker --------------------------------------------------------------------


def parent_area(spec):
    return spec.route.startswith(PARENT_AREA)


def test_every_parent_route_with_arguments_is_listed():
    with_arguments = {r.name for r in ROUTES if parent_area(r) and r.kwargs}
    assert with_arguments == set(PARENT_OBJECT_ROUTES)
    assert all(parent_area(r) for r in ROUTES if r.name.startswith("portal:"))


@pytest.mark.parametrize("name", sorted(PARENT_OBJECT_ROUTES))
def test_object_route_entries_match_the_route(name):
    spec, entry = route(name), PARENT_OBJECT_ROUTES[name]
    arguments = {arg for arg, _converter in spec.kwargs}
    expected = {"pk"} if entry.kind else set()
    if entry.sections != (None,):
        expected.add("section")
    if entry.inner:
        expected.add(entry.inner[0])
    assert arguments == expected
    if "section" in arguments:
        assert set(entry.sections) == set(spec.view.view_class.sections)


def foreign_targets(entry):
    """The targets of a route that are not A's own: each foreign object of its kind, or for a
    route with an inner object every pairing of own and foreign objects but (own, own)."""
    if entry.inner is None:
        return list(FOREIGN_TARGETS[entry.kind])
    own = (OWN_TARGETS[entry.kind], OWN_TARGETS[entry.inner[1]])
    return [
        (outer, inner)
        for outer in (own[0], *FOREIGN_TARGETS[entry.kind])
        for inner in (own[1], *FOREIGN_TARGETS[entry.inner[1]])
        if (outer, inner) != own
    ]


def _cross_family_params():
    for name, entry in sorted(PARENT_OBJECT_ROUTES.items()):
        if entry.kind is None:
            continue
        for section in entry.sections:
            for target in foreign_targets(entry):
                shown = "+".join(target) if isinstance(target, tuple) else target
                label = "-".join(part for part in (name, section, shown) if part)
                yield pytest.param(name, section, target, id=label)


@pytest.mark.parametrize("name, section, target", list(_cross_family_params()))
def test_other_familys_objects_answer_404_and_stay_unchanged(
    parent_client, world, name, section, target
):
    url = url_for(name, world, target=target, section=section)
    before = snapshot()

    got = parent_client.get(url)
    posted = parent_client.post(url, hostile_post(world))

    assert got.status_code == 404, f"GET {url}"
    assert posted.status_code in (404, 405), f"POST {url}"
    assert snapshot() == before
    not_foreign = set(OWN_TARGETS.values()) | {"missing"}
    for foreign in target if isinstance(target, tuple) else (target,):
        if foreign in not_foreign:
            continue
        attributes = ("first_name", "name", "title", "filename", "subject")
        for secret in (getattr(getattr(world, foreign), attr, None) for attr in attributes):
            assert not secret or secret not in got.content.decode() + posted.content.decode()
    if posted.status_code == 405:
        # Refused for every object alike, so the status reveals nothing about the pk.
        own = url_for(name, world, section=section)
        assert parent_client.post(own, hostile_post(world)).status_code == 405


@pytest.mark.parametrize(
    "name, section",
    [
        pytest.param(name, section, id="-".join(p for p in (name, section) if p))
        for name, entry in sorted(PARENT_OBJECT_ROUTES.items())
        for section in entry.sections
    ],
)
def test_own_objects_open_for_the_parent(parent_client, world, name, section):
    """The control for the 404s above: the same URLs with A's own objects work (an
    invitation's round link leads on to choosing a time)."""
    response = parent_client.get(url_for(name, world, section=section), follow=True)
    assert response.status_code == 200


def test_unknown_sections_answer_404(parent_client, world):
    for name in ("portal:profile_edit", "portal:child_edit"):
        url = url_for(name, world, section="wachtwoord")
        assert parent_client.get(url).status_code == 404
        assert parent_client.post(url, hostile_post(world)).status_code == 404


def _post_without_arguments():
    for spec in ROUTES:
        if not parent_area(spec):
            continue
        entry = PARENT_OBJECT_ROUTES.get(spec.name)
        if entry is not None and entry.kind is not None:
            continue
        for section in entry.sections if entry else (None,):
            yield pytest.param(
                spec.name, section, id="-".join(p for p in (spec.name, section) if p)
            )


@pytest.mark.parametrize("name, section", list(_post_without_arguments()))
def test_posts_without_object_arguments_change_nothing_of_another_family(
    parent_client, world, name, section
):
    own_pupils = set(Pupil.objects.filter(guardians=world.parent).values_list("pk", flat=True))
    before = foreign_snapshot(world, own_pupils)

    response = parent_client.post(url_for(name, world, section=section), hostile_post(world))

    assert response.status_code < 500
    assert foreign_snapshot(world, own_pupils) == before
    assert set(Pupil.objects.filter(guardians=world.parent).values_list("pk", flat=True)) == (
        own_pupils
    )


# What another family keeps to itself, or what another group or school reads: no page of
# parent A may show it (class lists show classmates' names, so those are not listed here).
OTHERS_SECRETS = (
    "Epilepsie",  # the classmate's medical notes
    "Sleutel onder mat",  # the classmate's babysitter notes
    "Yara",  # the classmate's babysitter
    "Mila",  # a babysitter at another school
    "Oma van Sem",  # the classmate's emergency contact
    "Noor",  # a child of another group
    "Basisschool De Linde",  # another school
    "Kamp",  # another group's agenda item
    "Sportdag",  # another school's agenda item
    "Ouderavond groep 7",  # another group's mailing
    "Nieuwsbrief De Linde",  # another school's mailing
    "Concept schoolfotograaf",  # a staff draft
    "Concept van Ilse",  # a fellow class parent's draft
    "Blog Vossen",  # another group's blog
    "Album Linde",  # another school's album
    "Concept blog",  # a draft blog post of A's own group
    "Concept album",  # a draft album of A's own group
    "Gesprek van Ilse",  # another family's conversation with the teacher
    "Gesprek van Joost",  # the co-parent's own conversation, A not added
    "Gesprek De Linde",  # a conversation at another school
    "Waterpokken bij Sem",  # the classmate's absence
    "Verhuizing De Linde",  # an absence at another school
    "Lindebode",  # another school's newsletter
    "Concept nieuwsbrief",  # a draft newsletter of A's own school
    "Van Ilse",  # a fellow klassenouder's post waiting for approval
)


@pytest.mark.parametrize("name, section", list(_post_without_arguments()))
def test_pages_without_object_arguments_show_nothing_of_another_family(
    parent_client, world, name, section
):
    response = parent_client.get(url_for(name, world, section=section), follow=True)

    assert response.status_code == 200
    content = response.content.decode()
    for secret in OTHERS_SECRETS:
        assert secret not in content, f"{name} shows {secret!r}"


def test_reading_and_answering_own_mailing_changes_nothing_of_another_family(parent_client, world):
    own_pupils = {world.child.pk}
    before = foreign_snapshot(world, own_pupils)
    url = url_for("mailings:detail", world)
    names = [field.clean_name for field in world.mailing.reply_fields.order_by("sort_order")]
    slip = {f"unit{world.child.pk}-{names[0]}": "Ja", f"unit{world.child.pk}-{names[1]}": "Gekaapt"}

    read = parent_client.get(url)
    foreign_unit = parent_client.post(url, {**hostile_post(world), "unit": world.classmate.pk})
    own_unit = parent_client.post(url, {**hostile_post(world), **slip, "unit": world.child.pk})

    assert read.status_code == 200
    assert foreign_unit.status_code == 404
    assert own_unit.status_code == 302
    assert foreign_snapshot(world, own_pupils) == before
    # The control: what A did was stored, as A's.
    assert MailingRead.objects.filter(mailing=world.mailing, user=world.parent.user).exists()
    answer = ReplySlipAnswer.objects.get()
    assert (answer.mailing_id, answer.pupil_id) == (world.mailing.pk, world.child.pk)
    assert answer.answered_by_id == world.parent.user_id


# One hostile element per attempt, so that one refused row cannot mask another being obeyed.
FOREIGN_CONTACT_ATTEMPTS = {
    "edit": {"0-id": "contact", "0-name": "Gekaapt"},
    "delete": {"0-id": "contact", "0-name": "Gekaapt", "0-DELETE": "on"},
    "move to own child": {"0-id": "contact", "0-name": "Gekaapt", "0-pupil": "child"},
    "new row for classmate": {"0-name": "Gekaapt", "0-pupil": "classmate"},
}


@pytest.mark.parametrize("attempt", list(FOREIGN_CONTACT_ATTEMPTS))
def test_emergency_contact_formset_cannot_reach_another_childs_contacts(
    parent_client, world, attempt
):
    """Own child's URL, but a formset row names a classmate's contact or the classmate."""
    prefix = "emergency_contacts"
    ids = {
        "contact": world.classmates_contact.pk,
        "child": world.child.pk,
        "classmate": world.classmate.pk,
    }
    fields = {"0-phone": "06-66666666", **FOREIGN_CONTACT_ATTEMPTS[attempt]}
    data = {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "1" if "0-id" in fields else "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "5",
        **{f"{prefix}-{key}": ids.get(value, value) for key, value in fields.items()},
    }
    before = snapshot()

    response = parent_client.post(url_for("portal:child_emergency_contacts", world), data)

    assert response.status_code in (302, 400)
    assert snapshot()["EmergencyContact"] == before["EmergencyContact"]


def test_babysitter_edit_cannot_hand_the_babysitter_to_another_family(parent_client, world):
    parent_client.post(url_for("portal:babysitter_edit", world), hostile_post(world))

    world.babysitter.refresh_from_db()
    assert world.babysitter.guardian_id == world.parent.pk
    assert world.babysitter.name == "Gekaapt"  # the control: the edit itself went through


def test_new_babysitter_always_belongs_to_the_parent_who_adds_it(parent_client, world):
    parent_client.post(url_for("portal:babysitter_add", world), hostile_post(world))

    added = Babysitter.objects.get(name="Gekaapt")
    assert added.guardian_id == world.parent.pk


# --- 3. Headers, cookies and CSRF on every response kind ---------------------------------------


def _csp(response):
    header = response.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.status_code}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name.lower()] = values
    return directives


def _home_page():
    school = SchoolFactory(name="Basisschool De Linde")
    home = Page.get_first_root_node().add_child(
        instance=SchoolHomePage(title="De Linde", slug="de-linde", school=school)
    )
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "root_page": home}
    )
    return "/"


RESPONSE_KINDS = {
    "login page": lambda client, world: client.get(reverse("accounts:login")),
    "home page": lambda client, world: client.get(_home_page()),
    "portal page": lambda client, world: _as_parent(client, world).get(reverse("portal:dashboard")),
    "class list print": lambda client, world: _as_parent(client, world).get(
        url_for("portal:class_list_print", world)
    ),
    "404 anonymous": lambda client, world: client.get("/bestaat-niet/"),
    "404 parent": lambda client, world: _as_parent(client, world).get(
        url_for("portal:child", world, target="classmate")
    ),
    "redirect to login": lambda client, world: client.get(reverse("portal:dashboard")),
    "405 logout by GET": lambda client, world: client.get(reverse("accounts:logout")),
    "400 invalid form": lambda client, world: _as_parent(client, world).post(
        reverse("portal:babysitter_add"), {"name": "", "phone": "x"}
    ),
    "403 CSRF failure": lambda client, world: Client(enforce_csrf_checks=True).post(
        reverse("accounts:login"), {"username": "a@example.org", "password": "x"}
    ),
    "healthz": lambda client, world: client.get(reverse("healthz")),
}


def _as_parent(client, world):
    client.force_login(world.parent.user)
    return client


@pytest.mark.parametrize("kind", list(RESPONSE_KINDS))
def test_every_response_kind_sends_the_security_headers(client, world, kind):
    response = RESPONSE_KINDS[kind](client, world)

    csp = _csp(response)
    script_src = csp.get("script-src", csp.get("default-src"))
    assert script_src, "CSP without script-src or default-src"
    assert "'unsafe-inline'" not in script_src
    assert "'unsafe-eval'" not in script_src
    assert "frame-ancestors" in csp
    assert csp["frame-ancestors"] == ["'none'"] or response.get("X-Frame-Options") == "DENY"
    assert response.get("X-Content-Type-Options") == "nosniff"
    # URLs carry pupil ids: never send the path to another site.
    assert response.get("Referrer-Policy") in {
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    }


def test_response_kinds_are_what_their_names_say(client, world):
    """The control for the header test: each request really produces its kind of response."""
    expected = {
        "login page": 200,
        "home page": 200,
        "portal page": 200,
        "class list print": 200,
        "404 anonymous": 404,
        "404 parent": 404,
        "redirect to login": 302,
        "405 logout by GET": 405,
        "400 invalid form": 400,
        "403 CSRF failure": 403,
        "healthz": 200,
    }
    assert set(expected) == set(RESPONSE_KINDS)
    for kind, status in expected.items():
        assert RESPONSE_KINDS[kind](Client(), world).status_code == status, kind


def test_session_and_csrf_cookies_are_httponly_and_samesite_lax(client, world):
    page = client.get(reverse("accounts:login"))
    response = client.post(
        reverse("accounts:login"), {"username": world.parent.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf["httponly"] is True
    assert csrf["samesite"] == "Lax"


class _FormScanner(HTMLParser):
    """Collects each <form>: its method and whether it carries a CSRF token."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"method": (attrs.get("method") or "get").lower(), "token": False})
        elif tag == "input" and attrs.get("name") == "csrfmiddlewaretoken" and self.forms:
            self.forms[-1]["token"] = bool(attrs.get("value"))


def _forms(response):
    scanner = _FormScanner()
    scanner.feed(response.content.decode())
    return scanner.forms


FORM_ROUTES = {
    "portal:profile_edit",
    "portal:child_edit",
    "portal:child_emergency_contacts",
    "portal:link_child",
    "portal:babysitter_add",
    "portal:babysitter_edit",
    "portal:babysitter_delete",
    "mailings:detail",  # A's own mailing carries a reply slip
    "mailings:write",
    "mailings:draft",  # send and delete
    "mailings:draft_edit",
    "classposts:write",
    "classposts:own_post",  # send to the teacher, delete
    "classposts:edit",
    "lunch:child",  # register chosen dates, fixed weekdays
    "lunch:cancel",
}


def _portal_pages():
    for spec in ROUTES:
        if parent_area(spec):
            entry = PARENT_OBJECT_ROUTES.get(spec.name)
            for section in entry.sections if entry else (None,):
                yield pytest.param(
                    spec.name, section, id="-".join(p for p in (spec.name, section) if p)
                )


@pytest.mark.parametrize("name, section", list(_portal_pages()))
def test_every_portal_form_carries_a_csrf_token(parent_client, world, name, section):
    response = parent_client.get(url_for(name, world, section=section), follow=True)

    assert response.status_code == 200
    if not response["Content-Type"].startswith("text/html"):
        return  # e.g. an .ics download
    forms = _forms(response)
    post_forms = [form for form in forms if form["method"] == "post"]
    if name != "portal:class_list_print":  # the print view is bare: no menu, no forms
        assert post_forms, "every portal page has at least the logout form"
    assert all(form["token"] for form in post_forms)
    # A token in a GET form would end up in URLs, logs and Referer headers.
    assert not any(form["token"] for form in forms if form["method"] != "post")
    if name in FORM_ROUTES:
        assert len(post_forms) >= 2, "the page's own form besides logout and language"


def _account_pages(world):
    user = world.parent.user
    invited = UserFactory(password=None)
    _invitation, token = Invitation.issue(invited)
    return {
        "login": reverse("accounts:login"),
        "password_reset": reverse("accounts:password_reset"),
        "password_reset_confirm": reverse(
            "accounts:password_reset_confirm",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                default_token_generator.make_token(user),
            ],
        ),
        "invitation": reverse("accounts:invitation", args=[token]),
        "email_change_confirm": reverse(
            "accounts:email_change_confirm",
            args=[emailchange.make_token(emailchange.request_change(user, "nieuw@example.org"))],
        ),
    }


# Routes only posted to, by forms of the pages below (the status and devices pages).
ACCOUNT_POST_ONLY = {
    "logout",
    "two_factor_recovery_codes",
    "two_factor_off",
    "login_session_end",
    "login_sessions_end_others",
}


def _signed_in_account_pages(client, world):
    """The pages of a parent who switched two-step verification on and is logged in on two
    devices (so every form is there: codes, switching off, ending a session), and the
    recovery codes. The verification page is the one a new login owes a code on."""
    from schoolportal.accounts import twofactor

    user = world.parent.user
    _device, codes = twofactor.confirm_app(user, "3132333435363738393031323334353637383930")
    Client().post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    pages = {
        name: reverse(f"accounts:{name}")
        for name in ("two_factor_verify", "two_factor", "two_factor_setup", "login_sessions")
    }
    return pages, codes


def test_every_accounts_form_carries_a_csrf_token(client, world):
    pages = _account_pages(world)
    signed_in, _codes = _signed_in_account_pages(Client(), world)
    assert {f"accounts:{name}" for name in {*pages, *signed_in, *ACCOUNT_POST_ONLY}} == {
        r.name for r in ROUTES if r.name.startswith("accounts:")
    }
    for name, url in pages.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, name
        post_forms = [form for form in _forms(response) if form["method"] == "post"]
        assert post_forms, name
        assert all(form["token"] for form in post_forms), name


def test_every_signed_in_accounts_form_carries_a_csrf_token(world):
    browser = Client()
    pages, codes = _signed_in_account_pages(browser, world)
    answered = {"two_factor_verify": browser.get(pages.pop("two_factor_verify"))}
    verified = browser.post(reverse("accounts:two_factor_verify"), {"code": codes[0]})
    assert verified.status_code == 302
    answered |= {name: browser.get(url, follow=True) for name, url in pages.items()}
    for name, response in answered.items():
        assert response.status_code == 200, name
        post_forms = [form for form in _forms(response) if form["method"] == "post"]
        assert post_forms, name
        assert all(form["token"] for form in post_forms), name


def _token(client, url):
    match = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()
    )
    assert match, f"no token on {url}"
    return match.group(1)


def _csrf_cases(world):
    """(url, data, changed?) per state-changing form; ``changed`` tells whether the POST worked."""
    new_pupil = PupilFactory(group=world.group)
    code = linking.issue_code(new_pupil)
    return {
        "login": (
            reverse("accounts:login"),
            {"username": world.parent.email, "password": PASSWORD},
            lambda client: SESSION_KEY in client.session,
        ),
        "logout": (
            reverse("accounts:logout"),
            {},
            lambda client: SESSION_KEY not in client.session,
        ),
        "profile edit": (
            reverse("portal:profile_edit", args=["persoonlijk"]),
            {"first_name": "Gekaapt", "last_name": "Gekaapt"},
            lambda client: Guardian.objects.filter(
                pk=world.parent.pk, first_name="Gekaapt"
            ).exists(),
        ),
        "babysitter add": (
            reverse("portal:babysitter_add"),
            {"name": "Gekaapt", "phone": "06-66666666"},
            lambda client: Babysitter.objects.filter(name="Gekaapt").exists(),
        ),
        "link child": (
            reverse("portal:link_child"),
            {"code": code, "relation": "parent"},
            lambda client: Guardianship.objects.filter(pupil=new_pupil).exists(),
        ),
        "absence report": (
            reverse("absences:report"),
            {
                "pupil": world.child.pk,
                "reason": "ill",
                "first_day": (date.today() - timedelta(days=3)).isoformat(),
                "expected_return": (date.today() - timedelta(days=1)).isoformat(),
            },
            lambda client: AbsenceReport.objects.filter(
                pupil=world.child, first_day=date.today() - timedelta(days=3)
            ).exists(),
        ),
        "lunch registration": (
            reverse("lunch:child", args=[world.child.pk]),
            {
                "form": "weekdays",
                "weekdays": ["0", "1", "2", "3", "4"],
                "first_day": (date.today() + timedelta(days=1)).isoformat(),
                "until": (date.today() + timedelta(days=14)).isoformat(),
            },
            lambda client: LunchDay.objects.filter(
                pupil=world.child, registered_by_user=world.parent.user
            ).exists(),
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "login",
        "logout",
        "profile edit",
        "babysitter add",
        "link child",
        "absence report",
        "lunch registration",
    ],
)
def test_post_without_csrf_token_is_refused(world, case):
    url, data, changed = _csrf_cases(world)[case]
    client = Client(enforce_csrf_checks=True)
    if case != "login":
        client.force_login(world.parent.user)
    form_page = reverse("portal:dashboard") if case == "logout" else url

    refused = client.post(url, data)

    assert refused.status_code == 403
    assert not changed(client)
    # The control: the same POST with the page's token goes through.
    accepted = client.post(url, {**data, "csrfmiddlewaretoken": _token(client, form_page)})
    assert accepted.status_code == 302
    assert changed(client)


def test_documents_are_not_served_to_parents_until_a_feature_grants_them(parent_client, world):
    url = reverse("wagtaildocs_serve", args=[world.document.pk, world.document.filename])

    assert parent_client.get(url).status_code == 404


def test_documents_are_served_to_staff_of_the_school(client, world):
    staff = StaffMemberFactory(school=world.parent.pupils.first().school)
    client.force_login(staff.user)
    url = reverse("wagtaildocs_serve", args=[world.document.pk, world.document.filename])

    assert client.get(url).status_code == 200


def test_mailing_attachments_reach_parents_only_through_their_mailing(parent_client, world):
    """Wagtail's document URL stays closed to parents, also for their own attachments."""
    document = world.attachment.document
    url = reverse("wagtaildocs_serve", args=[document.pk, document.filename])

    assert parent_client.get(url).status_code == 404
    assert parent_client.get(url_for("mailings:attachment", world)).status_code == 200


def test_mailing_attachments_are_not_served_to_staff_of_another_school(client, world):
    """An attachment may be a class list: staff read their own schools' attachments only."""
    document = world.attachment.document
    url = reverse("wagtaildocs_serve", args=[document.pk, document.filename])
    client.force_login(StaffMemberFactory(school=world.group_at_other_school.school).user)

    refused = client.get(url)
    client.force_login(StaffMemberFactory(school=world.group.school).user)
    served = client.get(url)

    assert refused.status_code == 404
    assert served.status_code == 200  # the control: staff of the mailing's school
