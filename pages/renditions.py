"""Resized images are only read in web requests; the task worker makes them.

A web request never decodes a full image: an album photo of 50 million pixels takes
hundreds of megabytes and about a second. Views look a size up with Wagtail's
``find_existing_renditions`` (which never makes one) and, when it is missing, ask the
worker for it and show a placeholder meanwhile. The worker is asked at most once per album
(or image file) in ``QUEUED_SECONDS``, however many parents open the album at once.
"""

from django.core.cache import cache
from django.db.models import Prefetch
from django.db.models.signals import post_save
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from schoolportal.notifications.queue import enqueue

# Long enough for a worker to make an album's sizes; a request lost with a stopped worker
# is made again after it.
QUEUED_SECONDS = 120


def existing_rendition(image, spec):
    """The stored rendition of ``image`` in ``spec``, or None. Never makes one."""
    return image.find_existing_renditions(Filter(spec)).get(Filter(spec))


def photos_missing(photos, spec):
    """The ids of the album photos in ``photos`` (a queryset) without their ``spec`` size,
    in two queries besides the photos', whatever their number."""
    images = get_image_model().objects.prefetch_renditions(spec)
    photos = photos.prefetch_related(Prefetch("image", queryset=images))
    return {photo.pk for photo in photos if existing_rendition(photo.image, spec) is None}


def request_album_renditions(album_id):
    """Ask the worker for an album's sizes, unless that was asked already."""
    if cache.add(f"renditions-queued:album:{album_id}", True, QUEUED_SECONDS):
        enqueue("pages.tasks.make_album_renditions", album_id)


def request_post_renditions(post_id):
    """Ask the worker for the size of a blog post's photo, as ``request_album_renditions``."""
    if cache.add(f"renditions-queued:post:{post_id}", True, QUEUED_SECONDS):
        enqueue("pages.tasks.make_post_renditions", post_id)


def request_photo_size(image_id):
    """Ask the worker for the blog-post size of an image not on a live post yet."""
    if cache.add(f"renditions-queued:photo:{image_id}", True, QUEUED_SECONDS):
        enqueue("pages.tasks.make_photo_size", image_id)


def request_newsletter_renditions(page_id):
    """Ask the worker for the photo sizes of a newsletter issue, as ``request_album_renditions``."""
    if cache.add(f"renditions-queued:newsletter:{page_id}", True, QUEUED_SECONDS):
        enqueue("pages.tasks.make_newsletter_renditions", page_id)


def request_admin_renditions(image):
    # Per file: a new file saved soon after needs its own sizes.
    if cache.add(f"renditions-queued:image:{image.pk}:{image.file_hash}", True, QUEUED_SECONDS):
        enqueue("pages.tasks.make_admin_renditions", image.pk)


def image_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    """An upload or a new file: the admin's thumbnails are made in the worker before an
    editor opens the listing, where Wagtail would otherwise make them in the request."""
    if raw or (update_fields is not None and "file" not in update_fields):
        return  # a fixture, or Wagtail storing the file's size or hash
    request_admin_renditions(instance)


def connect():
    post_save.connect(image_saved, sender=get_image_model(), dispatch_uid="admin-sizes")
