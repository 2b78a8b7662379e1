"""The Wagtail admin: which rows, documents, images, tags and pages a staff member reaches.

Django permissions follow the role groups of the whole account; these rules add the
per-school scope. Everything the admin shows or serves (listings, choosers, the admin API,
bulk-action pages, reports, downloads) rests on them.

A school owns (``pages.SchoolCollection``) one collection: its staff's uploads and its
group pages' collections live in or below it. The page models are looked up by name, as
in ``access.grouppages``.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from taggit.models import Tag, TaggedItem
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import policy_registry

from schoolportal.absences.models import AbsenceReport
from schoolportal.agenda.models import AgendaException, AgendaItem
from schoolportal.interviews.models import InterviewBooking, InterviewRound, InterviewSlot
from schoolportal.lunch.models import LunchDay
from schoolportal.mailings.models import Mailing, MailingAttachment, ReplySlipAnswer
from schoolportal.people.models import (
    Babysitter,
    ClassParent,
    EmergencyContact,
    Group,
    Guardian,
    Guardianship,
    Pupil,
    PupilLinkCode,
    School,
    SchoolYear,
    StaffMember,
)
from schoolportal.pupilimport.models import ImportRun
from schoolportal.results.models import SchoolReport, TestResult

from .absences import staff_absence_reports
from .agenda import editable_agenda_items
from .grouppages import page_model
from .interviews import (
    editable_interview_rounds,
    staff_interview_bookings,
    staff_interview_rounds,
    staff_interview_slots,
)
from .lunch import staff_lunch_days
from .mailings import editable_mailings, staff_mailings, staff_reply_slip_answers
from .newsletters import GROUP_ITEM, editable_group_items, staff_group_items
from .results import staff_reports, staff_test_results
from .scope import is_anonymous, is_staff_member, scope

# How each model reaches its school, for staff screens in the admin.
_SCHOOL_PATHS = {
    School: "pk",
    SchoolYear: "school",
    Group: "school",
    Pupil: "school",
    StaffMember: "school",
    Guardian: "guardianships__pupil__school",
    Guardianship: "pupil__school",
    ClassParent: "group__school",
    EmergencyContact: "pupil__school",
    Babysitter: "guardian__guardianships__pupil__school",
    PupilLinkCode: "pupil__school",
    AgendaItem: "school",
    AgendaException: "item__school",
    Mailing: "school",
    ReplySlipAnswer: "mailing__school",
    AbsenceReport: "school",
    LunchDay: "school",
    SchoolReport: "school",
    TestResult: "school",
    ImportRun: "school",
    InterviewRound: "school",
    InterviewSlot: "round__school",
    InterviewBooking: "round__school",
}
# Rows whose scope is finer than a school: a teacher sees their own groups' absences, lunch
# days and results, their own interview times and the interviews with them or their pupils.
_OWN_RULES = {
    AbsenceReport: staff_absence_reports,
    LunchDay: staff_lunch_days,
    SchoolReport: staff_reports,
    TestResult: staff_test_results,
    InterviewRound: staff_interview_rounds,
    InterviewSlot: staff_interview_slots,
    InterviewBooking: staff_interview_bookings,
    Mailing: staff_mailings,
    ReplySlipAnswer: staff_reply_slip_answers,
}
# By name: a newsletter's group items (their approval task asks ``access``).
_OWN_RULES_BY_LABEL = {GROUP_ITEM: staff_group_items}
_EDITABLE_BY_LABEL = {GROUP_ITEM: editable_group_items}
# Every staff member plans the agenda of their school (and writes mailings: a teacher for
# their own groups, see ``editable_mailings``); people and structure belong to
# management and administration, school by school.
_ALL_STAFF_MODELS = {AgendaItem, AgendaException}


def may_use_admin(user):
    """Only staff reach the Wagtail admin; being a guardian never grants it."""
    return is_staff_member(user)


def is_school_scoped(model):
    """Whether admin screens limit ``model`` to the user's own schools."""
    return model in _SCHOOL_PATHS or model._meta.label_lower in _OWN_RULES_BY_LABEL


def staff_objects(user, model):
    """The ``model`` rows the admin shows a staff member.

    Agenda rows of every school they work at; people and structure only of the schools
    where they are management or administration. Django permissions follow the role groups
    of the whole account, so this per-school scope is what keeps a teacher at one school
    who administers another from reaching the first school's pupils.
    """
    if is_anonymous(user):
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    if model in _OWN_RULES:
        return _OWN_RULES[model](user)
    if model._meta.label_lower in _OWN_RULES_BY_LABEL:
        return _OWN_RULES_BY_LABEL[model._meta.label_lower](user)
    path = _SCHOOL_PATHS[model]
    rights = scope(user)
    school_ids = (
        rights.staff_school_ids if model in _ALL_STAFF_MODELS else rights.managed_school_ids
    )
    if "__" not in path:
        return model.objects.filter(**{f"{path}__in": school_ids})
    # Through a to-many relation: a subquery instead of a join keeps rows unique.
    matching = model.objects.filter(**{f"{path}__in": school_ids}).values("pk")
    return model.objects.filter(pk__in=matching)


def staff_editable_objects(user, model):
    """The rows a staff member may change or delete (their role's permissions still apply)."""
    if model is AgendaItem:
        return editable_agenda_items(user)
    if model is Mailing:
        return editable_mailings(user)
    if model is InterviewRound:
        return editable_interview_rounds(user)
    if model._meta.label_lower in _EDITABLE_BY_LABEL:
        return _EDITABLE_BY_LABEL[model._meta.label_lower](user)
    return staff_objects(user, model)


def staff_accounts_of_school(school_id):
    """Accounts of everybody who works at the school, whatever their role: the members of
    the school's staff group (``pages.provisioning``)."""
    staff = StaffMember.objects.filter(school_id=school_id, user__isnull=False)
    return get_user_model().objects.filter(pk__in=staff.values("user_id"))


# --- Documents, images and tags -----------------------------------------------------------


def staff_documents(user):
    """Documents the admin shows, offers and serves a staff member: their schools'."""
    if not may_use_admin(user):
        return get_document_model().objects.none()
    if user.is_superuser:
        return get_document_model().objects.all()
    return _documents_of_schools(scope(user).staff_school_ids)


def _documents_of_schools(school_ids):
    """Documents that are these schools': in one of their collections, attached to one of
    their mailings or on one of their group pages; and documents left in the root collection
    (uploaded before schools had collections) by their staff, unless another school uses them.

    A document of no school (a parent's upload of a draft that is gone, say) is nobody's:
    only a superuser sees it.
    """
    group_page_file = page_model("GroupPageFile")
    attached = MailingAttachment.objects.filter(mailing__school_id__in=school_ids)
    on_pages = group_page_file.objects.filter(page__group__school_id__in=school_ids)
    attached_elsewhere = MailingAttachment.objects.exclude(mailing__school_id__in=school_ids)
    on_pages_elsewhere = group_page_file.objects.exclude(page__group__school_id__in=school_ids)
    colleagues = StaffMember.objects.filter(school_id__in=school_ids, user__isnull=False)
    unfiled_by_colleagues = (
        Q(collection__depth=1, uploaded_by_user__in=colleagues.values("user_id"))
        & ~Q(pk__in=attached_elsewhere.values("document_id"))
        & ~Q(pk__in=on_pages_elsewhere.values("document_id"))
    )
    return get_document_model().objects.filter(
        Q(collection__in=_collections_of_schools(school_ids).values("pk"))
        | Q(pk__in=attached.values("document_id"))
        | Q(pk__in=on_pages.values("document_id"))
        | unfiled_by_colleagues
    )


def _collections_of_schools(school_ids):
    """The schools' collections and every collection below them (their group pages')."""
    owned = page_model("SchoolCollection").objects.filter(school_id__in=school_ids)
    return Collection.objects.filter(_subtrees(owned.values_list("collection__path", flat=True)))


def _subtrees(paths):
    """Q for the nodes at or below any of ``paths`` (a treebeard path is its ancestors' paths
    followed by its own step)."""
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(path__startswith=path)
    return query


def staff_images(user):
    """Images a staff member may see in the admin: those of collections they may choose or
    change images in (a teacher: their groups' pages), and their own uploads."""
    model = get_image_model()
    if not may_use_admin(user):
        return model.objects.none()
    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(user, ["choose", "change"])


def group_page_documents(user, page):
    """Files for a group page: the editor's schools' and what the page holds, whoever's (its
    files and what was uploaded into its collection)."""
    held = Q(pk__in=page.files.values("document_id")) | Q(collection_id=page.collection_id)
    return staff_documents(user) | get_document_model().objects.filter(held)


def group_page_images(user, page):
    """Photos for an album of group page ``page``: as ``group_page_documents``, the page's
    own being in its collection or on its albums already."""
    below = page_model("AlbumPhoto").objects.filter(album__path__startswith=page.path)
    held = Q(pk__in=below.values("image_id")) | Q(collection_id=page.collection_id)
    return staff_images(user) | get_image_model().objects.filter(held)


def staff_tags(user):
    """Tags of the images and documents the admin shows a staff member (taggit's tags are
    shared by the whole installation, and a tag on a child's photo may well be the child's
    name)."""
    on_these = Q(pk__in=[])
    for queryset in (staff_images(user), staff_documents(user)):
        content_type = ContentType.objects.get_for_model(queryset.model)
        tagged = TaggedItem.objects.filter(
            content_type=content_type, object_id__in=queryset.values("pk")
        )
        on_these |= Q(pk__in=tagged.values("tag_id"))
    return Tag.objects.filter(on_these)


# --- Pages -------------------------------------------------------------------------------


def staff_pages(user):
    """Pages the admin shows: their schools' home pages and what Wagtail lets them explore."""
    if not may_use_admin(user):
        return Page.objects.none()
    if user.is_superuser:
        return Page.objects.all()
    explorable = PagePermissionPolicy().explorable_instances(user).values("pk")
    homes = page_model("SchoolHomePage").objects.filter(school_id__in=scope(user).staff_school_ids)
    return Page.objects.filter(_subtrees(homes.values_list("path", flat=True))).filter(
        Q(depth=2) | Q(pk__in=explorable)
    )
