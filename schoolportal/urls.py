from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from schoolportal.agenda.views import calendar_feed
from schoolportal.grouppages import media
from schoolportal.operations import health
from snippets import choosers, page_moves, reports, tags
from snippets.bulk_actions import scoped_bulk_action

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Before Wagtail's admin: bulk actions on school data stay within the user's schools.
    path(
        "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/",
        scoped_bulk_action,
        name="scoped_bulk_action",
    ),
    # Before Wagtail's admin: listings spanning every school are for superusers only.
    *(path(f"admin/{route}", view) for route, view in reports.URLS),
    # Before Wagtail's admin: tags are offered only where they are on the user's own media.
    *(path(f"admin/{route}", view) for route, view in tags.URLS),
    path("admin/documents/chooser/chosen/<int:pk>/", choosers.document_chosen),
    # Before Wagtail's admin: the page chooser opens and names only the user's own pages.
    path("admin/choose-page/", choosers.browse_pages),
    path("admin/choose-page/<int:parent_page_id>/", choosers.browse_pages),
    path("admin/choose-page/chosen-multiple/", choosers.pages_chosen),
    path(
        "admin/pages/<int:page_to_move_id>/move/<int:destination_id>/confirm/",
        page_moves.move_confirm,
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("account/", include("schoolportal.accounts.urls")),
    path("portaal/agenda/", include("schoolportal.agenda.urls")),
    path("portaal/mailings/", include("schoolportal.mailings.urls")),
    path("portaal/berichten/", include("schoolportal.conversations.urls")),
    path("portaal/groepspagina/", include("schoolportal.grouppages.urls")),
    path("portaal/groepspagina/", include("schoolportal.classposts.urls")),
    path("portaal/absenties/", include("schoolportal.absences.urls")),
    path("portaal/overblijven/", include("schoolportal.lunch.urls")),
    path("portaal/resultaten/", include("schoolportal.results.urls")),
    path("portaal/oudergesprekken/", include("schoolportal.interviews.urls")),
    path("portaal/nieuwsbrieven/", include("schoolportal.newsletters.urls")),
    path("portaal/mijn-gegevens/", include("schoolportal.dataexport.urls")),
    path("portaal/privacy/", include("schoolportal.privacy.urls")),
    path("portaal/", include("schoolportal.portal.urls")),
    path("agenda/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("i18n/", include("django.conf.urls.i18n")),
]

urlpatterns += [
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media.admin_media, name="admin_media")
]
urlpatterns += [path("", include(wagtail_urls))]
