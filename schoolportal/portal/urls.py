from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("profiel/", views.ProfileView.as_view(), name="profile"),
    path("help/", views.HelpView.as_view(), name="help"),
]
