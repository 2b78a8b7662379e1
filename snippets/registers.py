"""Staff registers: operational records the school looks things up in, never edits.

The first is the outbox: one row per e-mail, so "did this parent get the letter?" is a search
on the address. These screens are wagtail-modeladmin listings rather than snippet viewsets:
a row is a record the system writes, with no drafts, revisions, previews, choosers, usage or
copies to scope (see docs/architecture.md).

Read-only for everybody, superusers included: a row says what happened to an e-mail, and
changing or deleting it would make that untrue. Management and administration see the rows
of their own schools (``access.managed_schools``); a row belongs to a school through its
cause, since the outbox stores only the cause's kind and id. Teachers follow a mailing's
delivery on the mailing itself (``snippets.mailings``).
"""

from django.contrib.admin import display
from django.contrib.auth.models import Permission
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin

from pages.models import NewsletterPage
from schoolportal import access
from schoolportal.conversations import sending
from schoolportal.mailings import delivery
from schoolportal.mailings.models import Mailing, ReplySlipReminder
from schoolportal.newsletters.delivery import NEWSLETTER
from schoolportal.notifications.models import OutboxMessage
from schoolportal.pupilimport import invitations
from schoolportal.pupilimport.models import ImportRun

# A message's row says "bericht" and nothing of it: its subject is for its parties only, and
# the mailing column stays empty (``with_mailing_title`` reads mailings and reminders only).
KIND_LABELS = {
    delivery.MAILING: _("mailing"),
    delivery.REMINDER: _("herinnering"),
    sending.KIND: _("bericht"),
    NEWSLETTER: _("nieuwsbrief"),
    invitations.KIND: _("uitnodiging"),
}


def outbox_of_schools(schools):
    """Rows caused by the schools' mailings, reminders about them and newsletter issues. A
    row of another kind is no school's, so only superusers see it."""
    mailings = Mailing.objects.filter(school__in=schools).values("pk")
    reminders = ReplySlipReminder.objects.filter(mailing__school__in=schools).values("pk")
    issues = NewsletterPage.objects.filter(school__in=schools).values("pk")
    imports = ImportRun.objects.filter(school__in=schools).values("pk")
    return (
        Q(kind=delivery.MAILING, cause_id__in=mailings)
        | Q(kind=delivery.REMINDER, cause_id__in=reminders)
        | Q(kind=NEWSLETTER, cause_id__in=issues)
        | Q(kind=invitations.KIND, cause_id__in=imports)
    )


def with_mailing_title(rows):
    """Each row's mailing title (for a reminder: the title of the mailing it reminds about),
    read in the listing's own query."""
    mailing = Mailing.objects.filter(pk=OuterRef("cause_id")).values("title")
    reminder = ReplySlipReminder.objects.filter(pk=OuterRef("cause_id")).values("mailing__title")
    issue = NewsletterPage.objects.filter(pk=OuterRef("cause_id")).values("title")
    return rows.annotate(
        mailing_title=Case(
            When(kind=delivery.MAILING, then=Subquery(mailing[:1])),
            When(kind=delivery.REMINDER, then=Subquery(reminder[:1])),
            When(kind=NEWSLETTER, then=Subquery(issue[:1])),
            default=Value(""),
        )
    )


class RegisterPermissionHelper(PermissionHelper):
    """Listing only, for superusers and management or administration of a school.

    Django's model permissions play no part: the add, edit and delete views refuse
    everybody, and the listing follows the school, not a group's checkboxes."""

    def user_can_list(self, user):
        return user.is_superuser or access.managed_schools(user).exists()

    def user_can_create(self, user):
        return False

    def user_can_inspect_obj(self, user, obj):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class OutboxMessageAdmin(ModelAdmin):
    model = OutboxMessage
    menu_label = _("E-mails")
    menu_icon = "mail"
    menu_order = 216  # right after Mailings
    permission_helper_class = RegisterPermissionHelper
    # Its history view checks no permission at all, and the rows have no history to show.
    history_view_enabled = False
    list_display = (
        "recipient_email",
        "mailing",
        "kind_label",
        "status",
        "attempts",
        "sent_at",
        "last_error",
        "created_at",
    )
    # Only filters whose choices name no school's data: a filter on a related model would
    # offer every school's rows. (Django's date filters would speak English here: their
    # translations come with django.contrib.admin, which is not installed.)
    list_filter = ("status",)
    search_fields = ("recipient_email", "mailing_title")
    ordering = ("-created_at", "-pk")
    list_per_page = 50

    def get_queryset(self, request):
        rows = super().get_queryset(request)
        if not request.user.is_superuser:
            rows = rows.filter(outbox_of_schools(access.managed_schools(request.user)))
        return with_mailing_title(rows)

    @display(description=_("mailing"), ordering="mailing_title")
    def mailing(self, row):
        return row.mailing_title

    @display(description=_("soort"), ordering="kind")
    def kind_label(self, row):
        return KIND_LABELS.get(row.kind, row.kind)

    def get_permissions_for_registration(self):
        """Nothing to tick in a group's permissions: who sees the register follows the role
        at a school (see ``RegisterPermissionHelper``)."""
        return Permission.objects.none()

    def register_indexing(self):
        """A row is a record, not content: Wagtail's reference index (what uses what)
        gains nothing from tracking every e-mail."""
