"""The admin's home page: a teacher lands on her groups, management on their school.

Wagtail's stock panels (page counts, its user guide, what's new, workflows) are the same for
everybody and say nothing about a school; ``wagtail_hooks`` swaps them for these panels.
What a panel shows comes from ``access``; every list is cut to a fixed length so a panel
costs the same number of queries however many groups, mailings or slips there are.
"""

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.components import Component

from pages.models import BlogPostPage, PhotoAlbumPage
from schoolportal import access
from schoolportal.agenda.models import AgendaItem
from schoolportal.mailings import delivery, replies
from schoolportal.mailings.models import Mailing
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import Guardian, School, StaffMember

# Each open slip costs a few queries (its families are computed, not stored).
MAX_OPEN_SLIPS = 5
MAX_RECENT_MAILINGS = 5
# Wagtail's panels that are about the installation, not about one's school.
STOCK_PANELS = {
    "whats_new_in_wagtail_version",
    "workflow_objects_to_moderate",
    "user_objects_in_workflow_moderation",
    "locked_pages",
}
STATUS = OutboxMessage.Status


def add_page_url(page_model, parent):
    meta = page_model._meta
    return reverse("wagtailadmin_pages:add", args=[meta.app_label, meta.model_name, parent.pk])


def snippet_add_url(model):
    return reverse(model.snippet_viewset.get_url_name("add"))


def answered_counts(mailing):
    """(answered, total) of a reply slip, counted as its answers screen counts them."""
    units = replies.reply_units(mailing)
    return sum(1 for unit in units if unit.answer), len(units)


def delivery_state(mailing, counts):
    """One short phrase for a mailing's delivery, as the delivery screen would sum it up."""
    if mailing.sent_at is None:
        return _("concept")
    problems = counts.get(STATUS.FAILED, 0) + counts.get(STATUS.INTERRUPTED, 0)
    if problems:
        return _("%(count)s niet afgeleverd") % {"count": problems}
    waiting = counts.get(STATUS.PENDING, 0) + counts.get(STATUS.SENDING, 0)
    if waiting:
        return _("wordt verzonden (%(count)s te gaan)") % {"count": waiting}
    return _("verzonden aan %(count)s") % {"count": counts.get(STATUS.SENT, 0)}


class TeacherPanel(Component):
    """Per taught group: what she adds most, and her reply slips still open."""

    name = "schoolportal_teacher"
    template_name = "snippets/dashboard_teacher.html"
    order = 10

    def __init__(self, user):
        self.user = user

    def groups(self):
        pages = {
            page.group_id: page
            for page in access.taught_group_pages(self.user).select_related("group__school")
        }
        for group in access.taught_groups(self.user).select_related("school").order_by("name"):
            page = pages.get(group.pk)
            uses_pages = page is not None and group.school.group_pages_enabled
            yield {
                "group": group,
                "blog_url": add_page_url(BlogPostPage, page) if uses_pages else None,
                "album_url": add_page_url(PhotoAlbumPage, page) if uses_pages else None,
                "files_url": (
                    reverse("wagtailadmin_pages:edit", args=[page.pk]) if uses_pages else None
                ),
            }

    def open_slips(self):
        slips = access.open_reply_slips_of_taught_groups(self.user, timezone.now())
        for mailing in slips.order_by("-sent_at")[:MAX_OPEN_SLIPS]:
            answered, total = answered_counts(mailing)
            yield {
                "mailing": mailing,
                "answered": answered,
                "total": total,
                "answers_url": reverse(
                    "wagtailsnippets_mailings_mailing:answers", args=[mailing.pk]
                ),
            }

    def get_context_data(self, parent_context=None):
        return {
            "groups": list(self.groups()),
            "slips": list(self.open_slips()),
            "mailing_url": snippet_add_url(Mailing),
            "agenda_url": snippet_add_url(AgendaItem),
        }


class ManagementPanel(Component):
    """The school at a glance: recent mailings, invitations waiting, the module switches."""

    name = "schoolportal_management"
    template_name = "snippets/dashboard_management.html"
    order = 20

    def __init__(self, user):
        self.user = user

    def mailings(self):
        recent = list(
            access.staff_objects(self.user, Mailing)
            .filter(school__in=access.managed_schools(self.user))
            .order_by("-pk")[:MAX_RECENT_MAILINGS]
        )
        counts = {}
        rows = (
            OutboxMessage.objects.filter(
                kind=delivery.MAILING, cause_id__in=[mailing.pk for mailing in recent]
            )
            .values_list("cause_id", "status")
            .annotate(number=Count("pk"))
        )
        for cause_id, status, number in rows:
            counts.setdefault(cause_id, {})[status] = number
        for mailing in recent:
            yield {
                "mailing": mailing,
                "state": delivery_state(mailing, counts.get(mailing.pk, {})),
                "url": reverse("wagtailsnippets_mailings_mailing:delivery", args=[mailing.pk])
                if mailing.sent_at
                else reverse(Mailing.snippet_viewset.get_url_name("edit"), args=[mailing.pk]),
            }

    def waiting(self, model):
        """How many of ``model`` have no account to log in with yet (see ``invitations``)."""
        no_account = Q(user__isnull=True) | Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
        return {
            "count": access.staff_objects(self.user, model).filter(no_account).count(),
            "url": reverse(model.snippet_viewset.get_url_name("list")),
        }

    def schools(self):
        switches = [field for field in School._meta.get_fields() if field.name.endswith("_enabled")]
        for school in access.managed_schools(self.user).order_by("name"):
            yield {
                "school": school,
                "switches": [
                    (field.verbose_name, getattr(school, field.name)) for field in switches
                ],
                "edit_url": reverse(School.snippet_viewset.get_url_name("edit"), args=[school.pk]),
            }

    def get_context_data(self, parent_context=None):
        return {
            "mailings": list(self.mailings()),
            "guardians": self.waiting(Guardian),
            "staff": self.waiting(StaffMember),
            "schools": list(self.schools()),
        }


def school_panels(request, panels):
    """``construct_homepage_panels``: the school's panels instead of Wagtail's stock ones."""
    user = request.user
    if user.is_superuser and not access.scope(user).staff_school_ids:
        return  # the installation's technical administrator keeps Wagtail's own panels
    panels[:] = [panel for panel in panels if getattr(panel, "name", None) not in STOCK_PANELS]
    if access.managed_schools(user).exists():
        panels.append(ManagementPanel(user))
    if access.scope(user).taught_group_ids:
        panels.append(TeacherPanel(user))
