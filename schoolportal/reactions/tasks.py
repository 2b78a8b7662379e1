"""The size parents see a reaction's photo in, made in the worker (see pages.renditions)."""

from pages.models import BlogPostPage

from .models import Reaction

PHOTO_SIZE = BlogPostPage.PHOTO_SIZE  # large, JPEG, without the camera's metadata


def make_reaction_renditions(reaction_id):
    reaction = Reaction.objects.filter(pk=reaction_id).select_related("photo").first()
    if reaction is None or reaction.photo is None:
        return 0
    reaction.photo.get_rendition(PHOTO_SIZE)
    return 1
