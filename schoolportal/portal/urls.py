from django.urls import path
from django.views.generic import RedirectView

from schoolportal.parentviews.caching import cached_parent_page

from . import account, classes, family, views

app_name = "portal"

urlpatterns = [
    path("", cached_parent_page(views.DashboardView.as_view()), name="dashboard"),
    path("profiel/", cached_parent_page(views.ProfileView.as_view()), name="profile"),
    path("profiel/wachtwoord/", account.PasswordChangeView.as_view(), name="password_change"),
    path("profiel/e-mailadres/", account.EmailChangeView.as_view(), name="email_change"),
    path(
        "profiel/<slug:section>/wijzigen/",
        family.ProfileSectionEditView.as_view(),
        name="profile_edit",
    ),
    path("school/", cached_parent_page(classes.SchoolOverviewView.as_view()), name="school"),
    path("groepen/", RedirectView.as_view(pattern_name="portal:school"), name="class_list_root"),
    path(
        "groepen/<int:pk>/", cached_parent_page(classes.ClassListView.as_view()), name="class_list"
    ),
    path(
        "groepen/<int:pk>/afdrukken/",
        cached_parent_page(classes.ClassListPrintView.as_view()),
        name="class_list_print",
    ),
    path("kinderen/", cached_parent_page(family.ChildListView.as_view()), name="children"),
    path("kinderen/koppelen/", family.LinkChildView.as_view(), name="link_child"),
    path("kinderen/<int:pk>/", cached_parent_page(family.ChildDetailView.as_view()), name="child"),
    path(
        "kinderen/<int:pk>/noodcontacten/",
        family.EmergencyContactsEditView.as_view(),
        name="child_emergency_contacts",
    ),
    path(
        "kinderen/<int:pk>/<slug:section>/wijzigen/",
        family.ChildSectionEditView.as_view(),
        name="child_edit",
    ),
    path("oppas/", cached_parent_page(family.BabysitterListView.as_view()), name="babysitters"),
    path("oppas/toevoegen/", family.BabysitterEditView.as_view(), name="babysitter_add"),
    path("oppas/<int:pk>/wijzigen/", family.BabysitterEditView.as_view(), name="babysitter_edit"),
    path(
        "oppas/<int:pk>/verwijderen/",
        family.BabysitterDeleteView.as_view(),
        name="babysitter_delete",
    ),
    path("help/", cached_parent_page(views.HelpView.as_view()), name="help"),
]
