"""Per-session caching of rendered parent pages.

A parent page shows the family's own data, other families' shared data, the school's
agenda and the date. All of it lives in the apps of ``CACHED_APPS``: any change there
bumps one database row (``DataVersion``), and a cached page is served only under the
version, session, language, date and path it was rendered for. A hit costs the small
queries of the session (where the database holds it), the user and the version, and no
template rendering.

The same version keys the ``{% cache %}`` fragments parents share (``object_fragment_key``).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control, patch_vary_headers

from .models import DataVersion

CACHED_APPS = {
    "people",
    "agenda",
    "accounts",
    "mailings",
    "pages",
    "newsletters",  # teachers' group items, shown in an issue once approved
    "wagtaildocs",
    "wagtailimages",
}
# Group pages are shown from their own models (app "pages"); Wagtail saves a page as a plain
# ``Page`` when it moves or unpublishes one.
CACHED_MODELS = {("wagtailcore", "page")}
# Saved often, shown on no cached page: they must not empty everybody's cache. What one
# parent does that only their own pages show (reading a mailing) calls
# ``forget_session_pages`` instead. Reply-slip answers do bump the version: a co-parent's
# page shows the family's answer.
NOT_SHOWN = {
    ("people", "linkcodeattempt"),
    ("people", "pupillinkcode"),
    ("agenda", "calendarfeed"),
    ("mailings", "mailingread"),
    ("mailings", "replyslipreminder"),
    # A photo's sizes are made by the task worker (pages.renditions), after the photo is
    # saved or its album published; parents' pages never wait for one.
    ("wagtailimages", "rendition"),
    # Written at every login and every few minutes of use ("Ingelogde apparaten"); shown only
    # on the user's own devices page, which is never cached.
    ("accounts", "loginsession"),
    # A pending change of login address, shown on no parent page until it is confirmed.
    ("accounts", "emailchange"),
}
# What Wagtail saves on a page for a draft, an autosave or a lock.
DRAFT_FIELDS = {
    "wagtail_admin_comments",
    "latest_revision",
    "latest_revision_created_at",
    "draft_title",
    "has_unpublished_changes",
    "locked",
    "locked_at",
    "locked_by",
}
# The query parameters cached pages understand; any other query string is rendered.
CACHED_PARAMETERS = {"van", "maand", "pagina"}
SESSION_GENERATION = "page_generation"
USER_GENERATION = "page-user-generation"
PAGE_TIMEOUT = 60 * 10


def current_version():
    """The data version: read on every parent page, cached or not."""
    version = DataVersion.objects.filter(pk=1).values_list("version", flat=True).first()
    return version or 0


def request_version(request):
    """The data version a GET page is rendered under: read once per request.

    Shared fragments are keyed on it. A request that changes data (not a GET) reads it
    again, after its own change.
    """
    if request.method != "GET":
        return current_version()
    version = getattr(request, "portal_data_version", None)
    if version is None:
        version = request.portal_data_version = current_version()
    return version


def object_fragment_key(request, obj):
    """What a fragment showing only ``obj`` (and what belongs to it) rests on, for
    ``{% cache %}`` with the language: the object and the data version."""
    return f"{request_version(request)}:{obj.pk}"


def bump_version():
    if not DataVersion.objects.filter(pk=1).update(version=F("version") + 1):
        DataVersion.objects.get_or_create(pk=1, defaults={"version": 1})


def _data_changed(sender, update_fields=None, **kwargs):
    label = (sender._meta.app_label, sender._meta.model_name)
    if label[0] not in CACHED_APPS and label not in CACHED_MODELS:
        return
    if label in NOT_SHOWN:
        return
    if sender.__module__ == "__fake__":
        return  # a migration's historical model (Wagtail's first migration makes a page)
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return  # every login saves last_login, and no page shows it
    if label[0] == "pages" and update_fields is not None and set(update_fields) <= DRAFT_FIELDS:
        return  # a draft (or autosave, or lock) of a page: parents see only what is published
    bump_version()


def _relation_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        _data_changed(type(instance))


post_save.connect(_data_changed, dispatch_uid="portal-cache-save")
post_delete.connect(_data_changed, dispatch_uid="portal-cache-delete")
m2m_changed.connect(_relation_changed, dispatch_uid="portal-cache-m2m")


def forget_session_pages(request):
    """This session's cached pages are stale (the parent read or answered something)."""
    request.session[SESSION_GENERATION] = request.session.get(SESSION_GENERATION, 0) + 1


def user_pages_generation(user_id):
    """A counter per user in the cache: what only that user's pages show besides the data
    version (the number of unread messages in the menu) changed when it went up."""
    return cache.get(f"{USER_GENERATION}:{user_id}", 0)


def forget_user_pages(user_ids):
    """Every cached page of these users, in all their sessions, is stale."""
    for user_id in set(user_ids) - {None}:
        key = f"{USER_GENERATION}:{user_id}"
        if not cache.add(key, 1, None):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, None)


def _page_key(request, version):
    language = translation.get_language() or settings.LANGUAGE_CODE
    # The page holds a CSRF token made from this cookie's secret: another cookie, another page.
    csrf = hashlib.sha256(request.COOKIES.get(settings.CSRF_COOKIE_NAME, "").encode()).hexdigest()
    parts = [
        str(version),
        request.session.session_key,
        str(request.session.get(SESSION_GENERATION, 0)),
        str(user_pages_generation(request.user.pk)),
        language,
        timezone.localdate().isoformat(),
        csrf[:16],
    ]
    return "page:" + ":".join(parts) + ":" + request.get_full_path()


def cached_parent_page(view):
    """Serve a parent's GET page from the cache while nothing it shows has changed.

    Never for anonymous or deactivated users, and never with a flash message waiting:
    such a page is rendered (and not stored).
    """

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        cacheable = (
            request.method == "GET"
            and request.user.is_authenticated
            and request.session.session_key
            and not len(messages.get_messages(request))
            and set(request.GET) <= CACHED_PARAMETERS
        )
        if not cacheable:
            return view(request, *args, **kwargs)
        key = _page_key(request, request_version(request))
        content = cache.get(key)
        if content is not None:
            response = HttpResponse(content)
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response = response.render()
            # A view may keep its page for less, e.g. until a deadline it shows passes.
            timeout = min(PAGE_TIMEOUT, getattr(response, "page_cache_timeout", PAGE_TIMEOUT))
            if response.status_code == 200 and timeout > 0:
                cache.set(key, response.content, timeout)
        patch_cache_control(response, private=True, no_cache=True)
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapper
