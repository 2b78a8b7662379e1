"""A photo a parent uploads in the portal (a class parent's blog post, a reaction), stored as
a Wagtail image of the group page's own collection.

Wagtail's image form checks it exactly as an album's photos are checked (type, size,
pixels). No ``user`` goes to the form: a parent holds no collection rights; the portal's
access rule already chose the collection, where the group's teachers see the photo. Parents
only ever get its sizes made by the worker, without the camera's metadata.
"""

from django.utils.translation import gettext
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form


def store_group_photo(upload, collection_id, user):
    """``(image, [])``, or ``(None, [reasons])`` when the file is no usable photo."""
    if collection_id is None:
        return None, [gettext("Hier kunnen geen foto's worden toegevoegd.")]
    form_class = get_image_form(get_image_model(), fields=("title", "file", "collection"))
    upload.seek(0)
    form = form_class({"title": upload.name[:255], "collection": collection_id}, {"file": upload})
    if not form.is_valid():
        return None, [message for messages in form.errors.values() for message in messages]
    image = form.save(commit=False)
    image.collection_id = collection_id
    image.uploaded_by_user = user
    image.save()
    return image, []
