from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("", views.ResultsIndexView.as_view(), name="index"),
    path("kind/<int:pk>/", views.ChildResultsView.as_view(), name="child"),
    path("rapport/<int:pk>/", views.ReportDownloadView.as_view(), name="report"),
]
