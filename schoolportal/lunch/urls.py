from django.urls import path

from . import views

app_name = "lunch"

urlpatterns = [
    path("", views.LunchIndexView.as_view(), name="index"),
    path("kind/<int:pk>/", views.LunchChildView.as_view(), name="child"),
    path("<int:pk>/afmelden/", views.CancelLunchDayView.as_view(), name="cancel"),
]
