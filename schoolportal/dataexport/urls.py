from django.urls import path

from . import views

app_name = "dataexport"

urlpatterns = [
    path("downloaden/", views.StartView.as_view(), name="start"),
    path("status/", views.StatusView.as_view(), name="status"),
    path("<int:pk>/", views.DownloadView.as_view(), name="download"),
]
