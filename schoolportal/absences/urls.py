from django.urls import path

from . import views

app_name = "absences"

urlpatterns = [
    path("", views.AbsenceIndexView.as_view(), name="index"),
    path("melden/", views.ReportAbsenceView.as_view(), name="report"),
    path("<int:pk>/wijzigen/", views.ChangeReturnView.as_view(), name="change"),
    path("<int:pk>/weer-beter/", views.EndReportView.as_view(), name="end"),
]
