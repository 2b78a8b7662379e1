from django.urls import path

from schoolportal.parentviews.caching import cached_parent_page

from . import views

app_name = "newsletters"

urlpatterns = [
    path("", cached_parent_page(views.ArchiveView.as_view()), name="index"),
    path("<int:pk>/", cached_parent_page(views.IssueView.as_view()), name="issue"),
    path("<int:pk>/foto/<int:image_pk>/", views.ImageView.as_view(), name="image"),
    path("<int:pk>/bestand/<int:document_pk>/", views.DocumentView.as_view(), name="document"),
]
