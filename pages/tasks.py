"""Album photos are resized once, in a task worker, when their album is published.

Otherwise the first parent to open a new album of 100 photos makes 100 thumbnails in
parallel requests, each a full image decode in a web worker.
"""

from .models import PhotoAlbumPage


def make_album_renditions(album_id):
    album = PhotoAlbumPage.objects.filter(pk=album_id).first()
    if album is None:
        return 0
    photos = album.photos.select_related("image")
    for photo in photos:
        photo.image.get_renditions(*photo.SIZES.values())
    return len(photos)
