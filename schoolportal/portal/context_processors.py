from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from schoolportal import access
from schoolportal.conversations.unread import MenuCounts
from schoolportal.parentviews.caching import PAGE_TIMEOUT, request_version

from .menu import menu_for, menu_key


def _schools_for_request(request):
    """The schools whose contact details the footer shows.

    A logged-in user's own schools; for anyone else the school of the site being visited.
    """
    user = request.user
    if user.is_authenticated:
        schools = _own_schools(request)
        if schools:
            return schools
    school = current_site_school(request)
    return [school] if school else []


def current_site_school(request):
    from wagtail.models import Site

    from pages.models import SchoolHomePage

    site = Site.find_for_request(request)
    if site is None:
        return None
    home = SchoolHomePage.objects.filter(pk=site.root_page_id).select_related("school").first()
    return home.school if home else None


def _own_schools(request):
    """``access.schools_for`` the user, kept per user and data version.

    Which schools a user belongs to, and what they are, changes only with the data version
    (people and accounts bump it), so every page of every session of the user reads it
    once per version instead of with three queries per page.
    """
    user = request.user
    key = f"portal-schools:{user.pk}:{request_version(request)}"
    schools = cache.get(key)
    if schools is None:
        schools = list(access.schools_for(user))
        cache.set(key, schools, PAGE_TIMEOUT)
    return schools


def _schools_key(request, schools):
    """What the header's brand and the footer's school details rest on: the schools and
    the data version. Their ``{% cache %}`` fragments in base.html add the language and
    whether the user is a parent."""
    ids = ",".join(str(school.pk) for school in schools)
    return f"{request_version(request)}:{ids}"


def portal(request):
    if not hasattr(request, "user"):
        return {}
    schools = SimpleLazyObject(lambda: _schools_for_request(request))
    guardian = access.guardian_for(request.user)
    counts = MenuCounts(request.user)
    menu = SimpleLazyObject(lambda: menu_for(schools, request.path, counts)) if guardian else []
    return {
        "portal_schools": schools,
        "portal_schools_key": SimpleLazyObject(lambda: _schools_key(request, schools)),
        "portal_guardian": guardian,
        # Whether the user is a parent, for keys of fragments that show only that of them.
        "portal_guardian_known": guardian is not None,
        "portal_menu": menu,
        # The rendered menu (a ``{% cache %}`` fragment in base.html) is the same for every
        # parent with the same items, on the same section, in the same language.
        "portal_menu_key": SimpleLazyObject(lambda: menu_key(menu)),
    }
