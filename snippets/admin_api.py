"""The admin API (``/admin/api/main/``) with the admin's own scope.

Wagtail's documents and images endpoints list every row of the installation, titles and
download URLs included; its pages endpoint lists what a user may explore. Each endpoint
here answers listings, details and ``find`` from what ``access`` allows, so another
school's id answers 404.
"""

from django.db.models import Q
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from schoolportal import access


class ScopedDocumentsAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return access.staff_documents(self.request.user).order_by("id")


class ScopedImagesAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return access.staff_images(self.request.user).order_by("id")


class ScopedPagesAPIViewSet(PagesAdminAPIViewSet):
    def get_base_queryset(self):
        """Also the pages ``child_of`` and ``descendant_of`` may name: the root (where the
        explorer starts) and the user's own schools' pages."""
        own = access.staff_pages(self.request.user).values("pk")
        return super().get_base_queryset().filter(Q(depth=1) | Q(pk__in=own))


ENDPOINTS = {
    "documents": ScopedDocumentsAPIViewSet,
    "images": ScopedImagesAPIViewSet,
    "pages": ScopedPagesAPIViewSet,
}
