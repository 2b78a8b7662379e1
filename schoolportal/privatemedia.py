"""Handing out a stored file, after the caller's permission check, in one of three ways.

Children's photos, reports and attachments are never at a public URL. Which way the bytes
travel is the installation's choice (``PRIVATE_MEDIA_DELIVERY``):

- ``app`` (local disk, the default): the web process streams the file.
- ``accel``: the reverse proxy streams it from an internal location; the response carries
  only ``X-Accel-Redirect`` (``PRIVATE_MEDIA_ACCEL_PREFIX`` + the file's name), so a large
  file does not hold a web process (see ``site/deploy/nginx.conf.example``).
- ``signed`` (object storage, the default with a bucket): a redirect to the bucket's URL of
  this one object, signed for ``MEDIA_SIGNED_URL_SECONDS``. The bucket itself is private: a
  URL without a valid signature, for another object, or after the expiry serves nothing.
"""

import mimetypes
from urllib.parse import quote

from django.conf import settings
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header


def serve(stored, *, filename=None, as_attachment=False, cache_control="private, no-store"):
    """The response for ``stored`` (a FieldFile), named ``filename`` when downloaded."""
    delivery = settings.PRIVATE_MEDIA_DELIVERY
    if delivery == "signed":
        return signed_redirect(stored, filename, as_attachment, cache_control)
    if delivery == "accel":
        return accel_redirect(stored, filename, as_attachment, cache_control)
    stored.open("rb")
    response = FileResponse(stored, as_attachment=as_attachment, filename=filename or "")
    response["Cache-Control"] = cache_control
    return response


def signed_redirect(stored, filename, as_attachment, cache_control):
    parameters = {"ResponseCacheControl": cache_control}
    disposition = content_disposition_header(as_attachment, filename) if filename else None
    if disposition:
        parameters["ResponseContentDisposition"] = disposition
    url = stored.storage.url(
        stored.name, parameters=parameters, expire=settings.MEDIA_SIGNED_URL_SECONDS
    )
    response = HttpResponseRedirect(url)
    # The redirect must not outlive its signature in any cache.
    response["Cache-Control"] = "private, no-store"
    return response


def accel_redirect(stored, filename, as_attachment, cache_control):
    content_type, _encoding = mimetypes.guess_type(filename or stored.name)
    response = HttpResponse(content_type=content_type or "application/octet-stream")
    response["X-Accel-Redirect"] = settings.PRIVATE_MEDIA_ACCEL_PREFIX + quote(stored.name)
    disposition = content_disposition_header(as_attachment, filename) if filename else None
    if disposition:
        response["Content-Disposition"] = disposition
    response["Cache-Control"] = cache_control
    return response
