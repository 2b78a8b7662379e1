"""Images are resized in a task worker, never in a web request.

An album's sizes (and a blog post's photo's) are made when it is published (and again when
a parent's view finds one missing, see ``pages.renditions``); otherwise the first parent to
open a new album of 100 photos makes 100 thumbnails in parallel requests, each a full image
decode in a web worker. The admin's own thumbnails are made when an image is saved, so its
listings and choosers usually find them made.
"""

from wagtail.images import get_image_model

from .blocks import PHOTO_SIZE as NEWSLETTER_PHOTO_SIZE
from .models import AlbumPhoto, BlogPostPage, NewsletterPage, PhotoAlbumPage

# The sizes Wagtail's admin shows an image in: listings and choosers, and the edit page.
ADMIN_SIZES = ("max-165x165", "max-800x600")


def make_album_renditions(album_id):
    album = PhotoAlbumPage.objects.filter(pk=album_id).first()
    if album is None:
        return 0
    photos = album.photos.select_related("image")
    for photo in photos:
        photo.image.get_renditions(*AlbumPhoto.SIZES.values())
    return len(photos)


def make_post_renditions(post_id):
    post = BlogPostPage.objects.filter(pk=post_id).select_related("photo").first()
    if post is None or post.photo is None:
        return 0
    post.photo.get_rendition(BlogPostPage.PHOTO_SIZE)
    return 1


def make_photo_size(image_id):
    """A blog post's photo size of one image not on a post yet (a klassenouder's draft)."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    image.get_rendition(BlogPostPage.PHOTO_SIZE)
    return 1


def make_admin_renditions(image_id):
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    return len(image.get_renditions(*ADMIN_SIZES))


def make_newsletter_renditions(page_id):
    issue = NewsletterPage.objects.filter(pk=page_id).first()
    if issue is None:
        return 0
    images = get_image_model().objects.filter(pk__in=issue.image_ids())
    for image in images:
        image.get_rendition(NEWSLETTER_PHOTO_SIZE)
    return len(images)
