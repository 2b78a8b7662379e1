from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail_modeladmin.options import modeladmin_register

from schoolportal import access
from schoolportal.absences.models import AbsenceReport
from schoolportal.mailings.models import Mailing
from schoolportal.people.models import Group, Guardian, Pupil, StaffMember

from . import (
    absences,
    accesslog,
    admin_api,
    admin_look,  # noqa: F401  (registers its hooks: the admin stylesheet, no moderation dead end)
    classposts,
    consent,
    conversations,
    dashboard,
    interview_schedule,
    interviews,
    lunch,
    newsletters,
    privacy,
    pupilimport,
    reactions,
    reports,
    results,
    second_factor,
)
from .agenda import AgendaItemViewSet
from .class_lists import StaffClassListIndexView, StaffClassListView
from .invitations import InviteView, invite_url
from .linkcodes import LinkCodesView
from .mailings import MailingViewSet, mailing_admin_urls
from .people import PeopleViewSetGroup
from .registers import OutboxMessageAdmin

register_snippet(PeopleViewSetGroup)
register_snippet(AgendaItemViewSet)
register_snippet(MailingViewSet)
register_snippet(absences.AbsenceReportViewSet)
register_snippet(lunch.LunchDayViewSet)
register_snippet(results.TestResultViewSet)
register_snippet(results.SchoolReportViewSet)
register_snippet(interviews.InterviewRoundViewSet)
register_snippet(interviews.InterviewSlotViewSet)
register_snippet(interviews.InterviewBookingViewSet)
register_snippet(newsletters.GroupNewsItemViewSet)
modeladmin_register(OutboxMessageAdmin)


@hooks.register("register_admin_urls")
def register_people_urls():
    return [
        path("uitnodigen/<str:kind>/<int:pk>/", InviteView.as_view(), name="people_invite"),
        path("koppelcodes/<str:kind>/<int:pk>/", LinkCodesView.as_view(), name="people_linkcodes"),
        path("klassenlijst/", StaffClassListIndexView.as_view(), name="people_class_lists"),
        path("klassenlijst/<int:pk>/", StaffClassListView.as_view(), name="people_class_list"),
        path(
            "absenties/<int:pk>/beeindigen/",
            absences.EndAbsenceView.as_view(),
            name="absences_end",
        ),
        path("overblijven/dag/", lunch.DailyListView.as_view(), name="lunch_daily"),
        path("overblijven/maand/", lunch.MonthlyCountView.as_view(), name="lunch_monthly"),
        path(
            "oudergesprekken/rooster/",
            interview_schedule.ScheduleView.as_view(),
            name="interviews_schedule",
        ),
    ]


# Reacties under blog posts: those of the group pages the user edits.
hooks.register("register_admin_urls", reactions.urls)
hooks.register("register_admin_menu_item", reactions.menu_item)

# Berichten: each user's own conversations, never a listing of the school's (see there).
hooks.register("register_admin_urls", conversations.urls)
hooks.register("register_admin_menu_item", conversations.menu_item)


@hooks.register("register_admin_menu_item")
def class_lists_menu_item():
    return MenuItem(
        _("Klassenlijsten"), reverse("people_class_lists"), icon_name="list-ul", order=210
    )


hooks.register("register_admin_menu_item", lunch.lunch_menu_item)
hooks.register("register_admin_urls", results.urls)
hooks.register("register_admin_menu_item", results.results_menu_item)
hooks.register("register_snippet_listing_buttons", results.release_button)
hooks.register("register_admin_urls", consent.urls)
hooks.register("register_admin_menu_item", consent.menu_item)
hooks.register("register_snippet_listing_buttons", consent.history_button)
hooks.register("register_admin_urls", accesslog.urls)
hooks.register("register_admin_menu_item", accesslog.menu_item)
hooks.register("register_admin_urls", pupilimport.urls)
hooks.register("register_admin_menu_item", pupilimport.menu_item)
hooks.register("register_admin_menu_item", interview_schedule.menu_item)
hooks.register("register_admin_urls", privacy.urls)
hooks.register("register_admin_menu_item", privacy.overview_menu_item)
hooks.register("register_admin_menu_item", privacy.log_menu_item)
hooks.register("register_snippet_listing_buttons", privacy.deletion_button)
hooks.register("register_admin_urls", second_factor.urls)
hooks.register("register_snippet_listing_buttons", second_factor.off_button)
hooks.register("register_log_actions", second_factor.register_actions)


@hooks.register("register_snippet_listing_buttons")
def class_list_and_code_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Group):
        yield ListingButton(
            _("Klassenlijst"),
            url=reverse("people_class_list", args=[snippet.pk]),
            icon_name="list-ul",
            priority=40,
        )
    if isinstance(snippet, Group | Pupil) and user.has_perm("people.change_pupil"):
        kind = "groep" if isinstance(snippet, Group) else "leerling"
        yield ListingButton(
            _("Koppelcodes"),
            url=reverse("people_linkcodes", args=[kind, snippet.pk]),
            icon_name="key",
            priority=45,
        )


@hooks.register("register_snippet_listing_buttons")
def absence_buttons(snippet, user, next_url=None):
    may_end = user.has_perm("absences.change_absencereport")
    if isinstance(snippet, AbsenceReport) and snippet.is_open and may_end:
        yield ListingButton(
            _("Weer aanwezig"), url=absences.end_url(snippet), icon_name="tick", priority=40
        )
    if isinstance(snippet, Pupil):
        yield ListingButton(
            _("Absenties"),
            url=reverse(AbsenceReport.snippet_viewset.get_url_name("list"))
            + f"?pupil={snippet.pk}",
            icon_name="warning",
            priority=46,
        )


@hooks.register("register_snippet_listing_buttons")
def invite_button(snippet, user, next_url=None):
    if isinstance(snippet, Guardian | StaffMember) and user.has_perm(
        f"people.change_{snippet._meta.model_name}"
    ):
        has_account = snippet.user_id is not None and snippet.user.has_usable_password()
        if not has_account:
            yield ListingButton(
                _("Uitnodigen"), url=invite_url(snippet), icon_name="mail", priority=50
            )


@hooks.register("register_snippet_listing_buttons")
def message_button(snippet, user, next_url=None):
    if isinstance(snippet, Guardian) and access.writing_schools(user):
        yield ListingButton(
            _("Bericht sturen"), url=conversations.compose_url(guardian=snippet), priority=55
        )


@hooks.register("register_snippet_listing_buttons")
def mailing_buttons(snippet, user, next_url=None):
    if isinstance(snippet, Mailing):
        urls = mailing_admin_urls(snippet)
        if snippet.sent_at:
            yield ListingButton(
                _("Verzending"), url=urls["delivery"], icon_name="mail", priority=40
            )
        if snippet.has_reply_slip:
            yield ListingButton(_("Antwoorden"), url=urls["answers"], icon_name="form", priority=41)


@hooks.register("construct_document_chooser_queryset")
def documents_of_own_schools(documents, request):
    return documents.filter(pk__in=access.staff_documents(request.user).values("pk"))


@hooks.register("before_serve_document")
def documents_are_private(document, request):
    """Deny by default: Wagtail's document URL is for staff, and another school's document
    (or one of no school) not even for them. Parents download attachments through the
    mailing (``mailings:attachment``), which asks ``access`` for that mailing."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not access.staff_documents(request.user).filter(pk=document.pk).exists():
        raise Http404
    return None


@hooks.register("construct_reports_menu")
def whole_installation_reports_for_superusers_only(request, menu_items):
    """See ``reports``: these reports show every school's changes and pages."""
    if not request.user.is_superuser:
        menu_items[:] = [
            item for item in menu_items if item.name not in reports.SUPERUSER_ONLY_REPORTS
        ]


@hooks.register("construct_main_menu")
def whole_installation_menu_items_for_superusers_only(request, menu_items):
    """See ``reports``: the forms listing filters by every school's site."""
    if not request.user.is_superuser:
        menu_items[:] = [
            item for item in menu_items if item.name not in reports.SUPERUSER_ONLY_MENU_ITEMS
        ]


# Wagtail's help links and its own-installation reports say nothing to a school's staff.
TEACHER_HIDDEN_REPORTS = ("aging-pages",)
TEACHER_HIDDEN_HELP = ("editor-guide",)


@hooks.register("construct_reports_menu")
def installation_reports_hidden_from_staff(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name not in TEACHER_HIDDEN_REPORTS]


@hooks.register("construct_help_menu")
def wagtail_help_links_hidden_from_staff(request, menu_items):
    if not request.user.is_superuser:
        menu_items[:] = [
            item
            for item in menu_items
            if item.name not in TEACHER_HIDDEN_HELP and not item.name.startswith("whats-new")
        ]


hooks.register("construct_homepage_panels", dashboard.school_panels)
hooks.register("construct_homepage_panels", absences.absences_panel)
hooks.register("construct_homepage_panels", classposts.waiting_posts_panel)


# After Wagtail's own (order 0): the page, image and document counts of every school.
@hooks.register("construct_homepage_summary_items", order=100)
def installation_counts_for_superusers_only(request, summary_items):
    if not request.user.is_superuser:
        summary_items.clear()


# After Wagtail's own registrations (order 0), which these replace under the same names.
@hooks.register("construct_admin_api", order=100)
def scoped_admin_api(router):
    for name, endpoint in admin_api.ENDPOINTS.items():
        router.register_endpoint(name, endpoint)
