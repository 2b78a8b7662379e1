from django.utils.functional import SimpleLazyObject

from schoolportal import access

from .menu import menu_for


def _schools_for_request(request):
    """The schools whose contact details the footer shows.

    A logged-in user's own schools; for anyone else the school of the site being visited.
    """
    user = request.user
    if user.is_authenticated:
        schools = list(access.schools_for(user))
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


def portal(request):
    if not hasattr(request, "user"):
        return {}
    schools = SimpleLazyObject(lambda: _schools_for_request(request))
    guardian = access.guardian_for(request.user)
    return {
        "portal_schools": schools,
        "portal_guardian": guardian,
        "portal_menu": SimpleLazyObject(lambda: menu_for(schools, request.path))
        if guardian
        else [],
    }
