from django.urls import path

from schoolportal.parentviews.caching import cached_parent_page

from . import views, writing

app_name = "mailings"

urlpatterns = [
    path("", cached_parent_page(views.MailingListView.as_view()), name="index"),
    # Cached like the other pages once read: reading and answering forget the session's pages.
    path("<int:pk>/", cached_parent_page(views.MailingDetailView.as_view()), name="detail"),
    path("<int:pk>/antwoorden/", writing.OwnSlipAnswersView.as_view(), name="answers"),
    path("schrijven/", writing.WriteMailingView.as_view(), name="write"),
    path("concept/<int:pk>/", writing.DraftView.as_view(), name="draft"),
    path("concept/<int:pk>/wijzigen/", writing.WriteMailingView.as_view(), name="draft_edit"),
    path(
        "<int:pk>/bijlagen/<int:attachment_pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
]
