"""Uploaded files are never served from a public URL: children's photos live there.

Parents get album photos through the portal (``views.PhotoView``) and documents through
Wagtail's document view. What is left under MEDIA_URL is for the admin: the images
and their renditions a staff member may see there (``access.staff_images``).
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.views.decorators.http import require_GET

from schoolportal import access, privatemedia


@require_GET
@login_required
def admin_media(request, path):
    images = access.staff_images(request.user)
    image = images.filter(Q(file=path) | Q(renditions__file=path)).distinct().first()
    if image is None:
        raise Http404
    stored = image.file if image.file.name == path else image.renditions.get(file=path).file
    return privatemedia.serve(stored, cache_control="private, max-age=3600")
