from django.urls import path

from . import views

app_name = "conversations"

urlpatterns = [
    path("", views.InboxView.as_view(), name="index"),
    path("verzonden/", views.SentView.as_view(), name="sent"),
    path("opstellen/", views.ComposeView.as_view(), name="compose"),
    path("ontvangers/", views.SuggestionsView.as_view(), name="suggestions"),
    path("<int:pk>/", views.ConversationView.as_view(), name="conversation"),
    path(
        "<int:pk>/bijlagen/<int:attachment_pk>/",
        views.AttachmentView.as_view(),
        name="attachment",
    ),
]
