"""Image and document tags, named only where they are on something the user may see.

Tags are one table for the whole installation (taggit), and Wagtail offers them as they
are: the ten most used in the image and document listings' filters and the image chooser,
and any that starts with what is typed in the tag field's autocomplete. Here all of those
draw from ``access.staff_tags``: the tags of the user's own schools' images and documents.
"""

from django.db.models import Count
from django.http import Http404, JsonResponse
from wagtail.admin.auth import require_admin_access
from wagtail.documents.views import documents as document_views
from wagtail.images.views import chooser as image_choosers
from wagtail.images.views import images as image_views

from schoolportal import access

AUTOCOMPLETE_LIMIT = 10  # as Wagtail's own


def popular_tags(user, count=10):
    return (
        access.staff_tags(user)
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:count]
    )


class ScopedTagFilterMixin:
    """Wagtail's media filter set with the tag filter's choices from the user's own tags."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        tag_filter = self.filters.get("tag")
        if tag_filter is None:
            return
        choices = [(tag.name, tag.name) for tag in popular_tags(request.user)]
        if choices:
            tag_filter.extra["choices"] = choices
        else:
            del self.filters["tag"]


class ImagesFilterSet(ScopedTagFilterMixin, image_views.ImagesFilterSet):
    pass


class DocumentsFilterSet(ScopedTagFilterMixin, document_views.DocumentsFilterSet):
    pass


class ImageIndexView(image_views.IndexView):
    filterset_class = ImagesFilterSet


class DocumentIndexView(document_views.IndexView):
    filterset_class = DocumentsFilterSet


class ImageChooseView(image_choosers.ImageChooseView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["popular_tags"] = popular_tags(self.request.user)
        return context


# Wagtail's image chooser, but its first page names the user's own popular tags.
_image_chooser = image_choosers.ImageChooserViewSet(
    "wagtailimages_chooser",
    model=image_choosers.viewset.model,
    url_prefix="images/chooser",
    choose_view_class=ImageChooseView,
)


@require_admin_access
def tag_autocomplete(request, app_name=None, model_name=None):
    """Wagtail's tag autocomplete, from the user's own tags (images and documents use
    taggit's own tag model; any other answers nothing)."""
    if (app_name, model_name) not in ((None, None), ("taggit", "tag")):
        raise Http404
    term = request.GET.get("term")
    if not term:
        return JsonResponse([], safe=False)
    names = access.staff_tags(request.user).filter(name__istartswith=term).order_by("name")
    return JsonResponse(list(names.values_list("name", flat=True)[:AUTOCOMPLETE_LIMIT]), safe=False)


# (path below /admin/, view): placed before Wagtail's admin URLs in ``schoolportal.urls``.
URLS = [
    ("images/", ImageIndexView.as_view()),
    ("images/results/", ImageIndexView.as_view(results_only=True)),
    ("documents/", DocumentIndexView.as_view()),
    ("documents/results/", DocumentIndexView.as_view(results_only=True)),
    ("images/chooser/", _image_chooser.choose_view),
    ("tag-autocomplete/", tag_autocomplete),
    ("tag-autocomplete/<slug:app_name>/<slug:model_name>/", tag_autocomplete),
]
