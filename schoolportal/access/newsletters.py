"""Newsletters: who reads a school's issues, who writes them, what their agenda block shows.

An issue goes to the whole school, so it is read by every guardian of a child at the
school and by the school's staff (the seed manual's "alle ouders van de school"); nobody
else, not even a parent of another school of the same installation. Management and
administration write them in the admin (``pages.provisioning`` gives them the page rights).

The page types are looked up by name, as in ``access.grouppages``.
"""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q

from schoolportal.agenda.models import AgendaItem
from schoolportal.people.models import StaffMember

from .grouppages import page_model
from .scope import SCHOOL_WIDE_ROLES, is_anonymous, scope


def newsletter_school_ids(user):
    """Ids of the schools whose newsletters the user reads: their children's and their own
    as staff (every school for a superuser)."""
    if is_anonymous(user):
        return []
    if user.is_superuser:
        return None  # no limit
    rights = scope(user)
    return sorted(set(rights.child_school_ids) | set(rights.staff_school_ids))


def newsletters_for(user):
    """Published newsletter issues of the user's schools."""
    newsletter = page_model("NewsletterPage")
    school_ids = newsletter_school_ids(user)
    issues = newsletter.objects.live().exclude(school=None)
    return issues if school_ids is None else issues.filter(school_id__in=school_ids)


def newsletter_for(user, pk):
    """Issue ``pk`` with its school, if it is one of ``newsletters_for``; else None."""
    if is_anonymous(user):
        return None
    return newsletters_for(user).filter(pk=pk).select_related("school").first()


def newsletter_agenda_items(school_id):
    """The agenda items an issue's agenda block shows: the school's whole-school items.

    An issue goes to every family of the school, so a group's own items are left out:
    they would tell families of other groups what is not theirs.
    """
    return AgendaItem.objects.filter(school_id=school_id, whole_school=True)


def newsletter_photo_allowed(pupils):
    """Whether a newsletter photo on which ``pupils`` are marked may be shown, in the portal
    and in the e-mail: every one of them has consent for photos on the school's website
    (what the newsletter is; as for the website, not the group page). Asked whenever the
    issue is shown, so a withdrawn consent counts at once. A marked child no longer in the
    records (None) has no consent."""
    return all(pupil is not None and pupil.photo_consent_website for pupil in pupils)


def newsletter_editors(school_id):
    """Accounts that write a school's newsletters: its management and administration."""
    staff = StaffMember.objects.filter(school_id=school_id, role__in=SCHOOL_WIDE_ROLES)
    return get_user_model().objects.filter(pk__in=staff.exclude(user=None).values("user_id"))


def staff_newsletters(user):
    """Issues (published or not) of the schools where the user works: every staff member
    of the school follows their delivery, as a mailing's."""
    newsletter = page_model("NewsletterPage")
    if is_anonymous(user):
        return newsletter.objects.none()
    issues = newsletter.objects.exclude(school=None)
    if user.is_superuser:
        return issues
    return issues.filter(school_id__in=scope(user).staff_school_ids)


def may_send_newsletter(user, issue):
    """Whether the user may send an issue again: who writes the school's newsletters."""
    if is_anonymous(user):
        return False
    return user.is_superuser or issue.school_id in scope(user).managed_school_ids


# --- Uit de groepen: teachers' items for an issue (``schoolportal.newsletters.models``) --------

GROUP_ITEM = "newsletters.groupnewsitem"


def _group_items():
    # By name: the model's approval task asks this module.
    return apps.get_model("newsletters", "GroupNewsItem").objects


def staff_group_items(user):
    """Group items the admin shows a staff member: those of the schools where they work."""
    if is_anonymous(user):
        return _group_items().none()
    if user.is_superuser:
        return _group_items().all()
    return _group_items().filter(school_id__in=scope(user).staff_school_ids)


def editable_group_items(user):
    """Group items a staff member may change: every item of a school they manage (the
    newsletter's editors), elsewhere those of the groups they teach."""
    if is_anonymous(user):
        return _group_items().none()
    if user.is_superuser:
        return _group_items().all()
    rights = scope(user)
    return _group_items().filter(
        Q(school_id__in=rights.managed_school_ids)
        | Q(school_id__in=rights.staff_school_ids, group_id__in=rights.taught_group_ids)
    )


def approvable_group_items(user):
    """Group items the user approves for the newsletter: those of the schools they manage."""
    if is_anonymous(user):
        return _group_items().none()
    if user.is_superuser:
        return _group_items().all()
    return _group_items().filter(school_id__in=scope(user).managed_school_ids)


def may_approve_group_item(user, item):
    if is_anonymous(user):
        return False
    return user.is_superuser or item.school_id in scope(user).managed_school_ids


def approved_group_items(issue):
    """The approved (published) group items an issue shows, of its own school's groups."""
    return (
        _group_items()
        .filter(issue_id=issue.pk, school_id=issue.school_id, live=True)
        .select_related("group", "image")
        .prefetch_related("pupils")
    )
