from django.urls import path

from . import views

app_name = "interviews"

urlpatterns = [
    path("", views.InterviewIndexView.as_view(), name="index"),
    path("ronde/<int:pk>/", views.RoundView.as_view(), name="round"),
    path("ronde/<int:pk>/kind/<int:pupil_pk>/", views.BookView.as_view(), name="book"),
    path("reservering/<int:pk>/afzeggen/", views.CancelView.as_view(), name="cancel"),
    path("reservering/<int:pk>/oudergesprek.ics", views.DownloadView.as_view(), name="download"),
]
