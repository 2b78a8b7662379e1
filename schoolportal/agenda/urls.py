from django.urls import path

from . import views

app_name = "agenda"

urlpatterns = [
    path("", views.AgendaView.as_view(), name="index"),
    path("maand/", views.AgendaMonthView.as_view(), name="month"),
    path("delen/", views.AgendaShareView.as_view(), name="share"),
    path("<int:pk>/", views.AgendaItemView.as_view(), name="item"),
    path("<int:pk>/agenda.ics", views.AgendaItemDownloadView.as_view(), name="item_ics"),
]
