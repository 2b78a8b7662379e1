from django.urls import path

from . import views

app_name = "reactions"

# Included below the group pages' URL (schoolportal/grouppages/urls.py).
urlpatterns = [
    path("blog/<int:pk>/reageren/", views.ReactView.as_view(), name="react"),
    path("blog/<int:pk>/volgen/", views.FollowView.as_view(), name="follow"),
    path("reactie/<int:pk>/wijzigen/", views.EditView.as_view(), name="edit"),
    path("reactie/<int:pk>/verwijderen/", views.DeleteView.as_view(), name="delete"),
    path("reactie/<int:pk>/verbergen/", views.HideView.as_view(), name="hide"),
    path("reactie/<int:pk>/foto/", views.PhotoView.as_view(), name="photo"),
]
