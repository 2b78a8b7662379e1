from django.urls import path

from . import views

app_name = "classposts"

# Below the group pages' own URLs (/portaal/groepspagina/): none of these is kept in the
# page cache, they show what only their author sees, as it is now.
urlpatterns = [
    path("<int:pk>/blog/schrijven/", views.WritePostView.as_view(), name="write"),
    path("mijn-berichten/", views.OwnPostsView.as_view(), name="own_posts"),
    path("mijn-berichten/<int:pk>/", views.OwnPostView.as_view(), name="own_post"),
    path(
        "mijn-berichten/<int:pk>/wijzigen/",
        views.WritePostView.as_view(editing=True),
        name="edit",
    ),
    path("mijn-berichten/<int:pk>/foto/", views.OwnPostPhotoView.as_view(), name="photo"),
]
