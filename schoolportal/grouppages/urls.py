from django.urls import include, path

from schoolportal.parentviews.caching import cached_parent_page

from . import views

app_name = "grouppages"

urlpatterns = [
    path("", cached_parent_page(views.GroupPageListView.as_view()), name="index"),
    path("<int:pk>/", cached_parent_page(views.GroupPageView.as_view()), name="group"),
    path("<int:pk>/blog/", cached_parent_page(views.BlogView.as_view()), name="blog"),
    # Not kept in the page cache: its reactions change more often than anything it rests on.
    path("blog/<int:pk>/", views.BlogPostView.as_view(), name="post"),
    path("blog/<int:pk>/foto/", views.PostPhotoView.as_view(), name="post_photo"),
    path("album/<int:pk>/", cached_parent_page(views.AlbumView.as_view()), name="album"),
    path(
        "foto/<int:pk>/bekijken/",
        cached_parent_page(views.PhotoPageView.as_view()),
        name="photo_page",
    ),
    path("foto/<int:pk>/", views.PhotoView.as_view(), name="photo"),
    path("foto/<int:pk>/klein/", views.PhotoView.as_view(size="thumbnail"), name="thumbnail"),
    path("bestand/<int:pk>/", views.FileDownloadView.as_view(), name="file"),
    path("", include("schoolportal.reactions.urls")),
]
