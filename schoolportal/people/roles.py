"""Admin rights follow a staff member's role: their account joins the matching Wagtail group.

Teachers reach the admin, plan the agenda and write mailings for their groups (their
group pages get page permissions when those exist); administration and management also
change the school's people and structure.
"""

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q

from .models import StaffMember, StaffRole

ROLE_GROUP_NAMES = {
    StaffRole.TEACHER: "Leerkrachten",
    StaffRole.ADMINISTRATION: "Administratie",
    StaffRole.MANAGEMENT: "Directie",
}

PEOPLE_MODELS = (
    "schoolyear",
    "group",
    "pupil",
    "guardian",
    "guardianship",
    "staffmember",
    "classparent",
    "babysitter",
    "emergencycontact",
)
# Every staff member, teachers included, plans agenda items (teachers for their own groups).
AGENDA_MODELS = ("agendaitem", "agendaexception")
# Every staff member writes mailings too (teachers for their own groups, see access).
MAILING_PERMISSIONS = (
    "add_mailing",
    "change_mailing",
    "delete_mailing",
    "view_mailing",
    "publish_mailing",
    "view_replyslipanswer",
)
# Every staff member records and ends absences (a teacher for their own groups, see access);
# deleting a report (a mistake) is for management and administration.
ABSENCE_PERMISSIONS = ("add_absencereport", "change_absencereport", "view_absencereport")
# Every staff member reads the lunch lists and registers a day (a teacher for their own
# groups); deleting one (a mistake) is for management and administration.
LUNCH_PERMISSIONS = ("add_lunchday", "change_lunchday", "view_lunchday")
# Every staff member publishes and releases reports and test results (a teacher for their
# own groups); deleting one (a mistake) is for management and administration.
RESULTS_PERMISSIONS = (
    "add_schoolreport",
    "change_schoolreport",
    "view_schoolreport",
    "add_testresult",
    "change_testresult",
    "view_testresult",
)
# Every staff member reads the interview rounds, blocks or adds their own times and books,
# moves or cancels on a parent's behalf (a teacher for their own times and groups, see
# access); planning a round (days, groups) is for management and administration.
INTERVIEW_PERMISSIONS = (
    "view_interviewround",
    "add_interviewslot",
    "change_interviewslot",
    "view_interviewslot",
    "add_interviewbooking",
    "change_interviewbooking",
    "delete_interviewbooking",
    "view_interviewbooking",
)
# Every staff member writes group items for the newsletter (a teacher for their own groups);
# the newsletter's editors publish them, by approving them in the workflow.
GROUP_ITEM_PERMISSIONS = ("add_groupnewsitem", "change_groupnewsitem", "view_groupnewsitem")
ACTIONS = ("add", "change", "delete", "view")


def _codenames(models):
    return [f"{action}_{model}" for model in models for action in ACTIONS]


def permissions_for(role):
    """The Django permissions of a role, as (app label, codename) pairs."""
    wanted = [("wagtailadmin", "access_admin")]
    wanted += [("agenda", codename) for codename in _codenames(AGENDA_MODELS)]
    wanted += [("mailings", codename) for codename in MAILING_PERMISSIONS]
    wanted += [("absences", codename) for codename in ABSENCE_PERMISSIONS]
    wanted += [("lunch", codename) for codename in LUNCH_PERMISSIONS]
    wanted += [("results", codename) for codename in RESULTS_PERMISSIONS]
    wanted += [("interviews", codename) for codename in INTERVIEW_PERMISSIONS]
    wanted += [("newsletters", codename) for codename in GROUP_ITEM_PERMISSIONS]
    if role in (StaffRole.ADMINISTRATION, StaffRole.MANAGEMENT):
        wanted.append(("absences", "delete_absencereport"))
        wanted.append(("lunch", "delete_lunchday"))
        wanted += [("results", "delete_schoolreport"), ("results", "delete_testresult")]
        wanted += [("interviews", f"{action}_interviewround") for action in ACTIONS]
        wanted.append(("interviews", "delete_interviewslot"))
        wanted.append(("newsletters", "delete_groupnewsitem"))
        wanted.append(("newsletters", "publish_groupnewsitem"))
        wanted += [("people", codename) for codename in _codenames(PEOPLE_MODELS)]
        wanted.append(("people", "view_school"))
    if role == StaffRole.MANAGEMENT:
        wanted += [("people", codename) for codename in _codenames(("school",))]
    query = Q()
    for app_label, codename in wanted:
        query |= Q(content_type__app_label=app_label, codename=codename)
    return Permission.objects.filter(query)


def role_group(role):
    """The Wagtail group for a role, created with its permissions on first use."""
    group, created = AuthGroup.objects.get_or_create(name=ROLE_GROUP_NAMES[role])
    if created:
        group.permissions.set(permissions_for(role))
    return group


def sync_role_permissions(**kwargs):
    """After every migrate: role groups get the permissions of models added since."""
    for role in StaffRole:
        group = role_group(role)
        group.permissions.set(permissions_for(role))
        revoke_collection_rights(group)


def revoke_collection_rights(group):
    """Role groups are the same for every school, so they hold no collection rights: a right
    on the root collection reaches every school's collections. Staff upload and choose
    documents through their school's staff group (``pages.provisioning``)."""
    from wagtail.models import GroupCollectionPermission

    GroupCollectionPermission.objects.filter(group=group).delete()


@transaction.atomic
def sync_admin_groups(user):
    """Put the user in exactly the role groups of their staff memberships (at any school)."""
    if user is None:
        return
    roles = set(StaffMember.objects.filter(user=user).values_list("role", flat=True))
    for role in StaffRole:
        group = role_group(role)
        if role in roles:
            user.groups.add(group)
        else:
            user.groups.remove(group)
