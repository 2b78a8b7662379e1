"""The size a klassenouder previews their post's photo in, made by the worker."""

from wagtail.images import get_image_model

from pages.models import BlogPostPage


def make_preview_size(image_id):
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is None:
        return 0
    image.get_rendition(BlogPostPage.PHOTO_SIZE)
    return 1
