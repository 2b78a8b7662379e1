from django.urls import path

from schoolportal.parentviews.caching import cached_parent_page

from . import views

app_name = "agenda"

urlpatterns = [
    path("", cached_parent_page(views.AgendaView.as_view()), name="index"),
    path("maand/", cached_parent_page(views.AgendaMonthView.as_view()), name="month"),
    path("delen/", views.AgendaShareView.as_view(), name="share"),
    path("<int:pk>/", cached_parent_page(views.AgendaItemView.as_view()), name="item"),
    path("<int:pk>/agenda.ics", views.AgendaItemDownloadView.as_view(), name="item_ics"),
]
