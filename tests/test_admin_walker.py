"""Keep it closed: every URL of Wagtail's admin, opened by a teacher or by the management of
one school, shows nothing of another school (issues #13 and #14).

The URLs come from Django's resolver, so a new admin view (a snippet, a hook's URL, a
Wagtail upgrade) is walked without anyone editing this file; an argument the walker cannot
fill fails ``test_every_admin_pattern_is_walked`` until somebody says where its values come
from. Wagtail's own registries (viewsets, bulk actions, reports) and the project's
modeladmin registers check the walker from the other side: every view they know of must be
one the walker opens. Every name, title and file name of school 2 carries a marker word
("Zeldzaam2…"), so a response that leaks it is found by searching its body.
"""

import itertools
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, Resolver404, URLResolver, resolve, reverse
from wagtail import hooks
from wagtail.admin.urls import reports as wagtail_report_urls
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.viewsets import viewsets
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Page,
    Revision,
    Site,
    WorkflowState,
)
from wagtail.snippets.models import get_snippet_models

from pages.models import GroupPageFile
from schoolportal.agenda.models import AgendaItem
from schoolportal.interviews.models import InterviewBooking, InterviewRound, InterviewSlot
from schoolportal.lunch.models import LunchDay
from schoolportal.mailings.models import Mailing, ReplySlipAnswer
from schoolportal.people.models import (
    Babysitter,
    Group,
    Guardian,
    Pupil,
    School,
    SchoolYear,
    StaffMember,
)
from snippets.registers import OutboxMessageAdmin
from tests.factories import UserFactory
from tests.walker_routes import OBJECT_ARGS, ROUTES, SKIPPED, pattern_arguments, urls
from tests.walker_world import FOREIGN, MARKER, OWN, World, build_school

pytestmark = pytest.mark.django_db

Image = get_image_model()
Document = get_document_model()
User = get_user_model()
# Content types of a file answer rather than a page about it.
FILE_TYPES = ("image/", "application/pdf", "application/octet-stream")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Both schools, built once for the module inside a transaction rolled back afterwards
    (each test runs in a savepoint within it), their files in a directory of their own."""
    media = tmp_path_factory.mktemp("walker-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        built = World(own=build_school(OWN), foreign=build_school(FOREIGN), media=media)
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- Walking ------------------------------------------------------------------------------------


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    # Headers too: a redirect to another school's page names it in its Location.
    return b"\n".join([*(f"{k}: {v}".encode() for k, v in response.items()), content])


def leaks(response, content, names_an_object=True):
    """What of school 2 the response shows: marker words, or a file served for its id."""
    found = sorted({marker.decode() for marker in MARKER.findall(content.lower())})
    served = response.status_code == 200 and response["Content-Type"].startswith(FILE_TYPES)
    if served and names_an_object:
        found.append(f"a file ({response['Content-Type']})")
    return found


def school_data():
    """What a GET must never change: the pages' state, and how many rows of school data exist
    (renditions, editing sessions and the like are Wagtail's bookkeeping and may appear)."""
    models = (Page, Revision, Image, Document, Collection, AuthGroup, Site, User, WorkflowState)
    models += (School, SchoolYear, Group, Pupil, Guardian, StaffMember, Babysitter)
    models += (Mailing, ReplySlipAnswer, AgendaItem, GroupPageFile, LunchDay)
    models += (InterviewRound, InterviewSlot, InterviewBooking)
    pages = Page.objects.order_by("pk").values_list("pk", "title", "live", "locked", "path")
    mailings = Mailing.objects.order_by("pk").values_list("pk", "title", "live", "sent_at")
    return [list(pages), list(mailings), *(model.objects.count() for model in models)]


def logged_in(client, world, settings, user):
    settings.MEDIA_ROOT = world.media  # the world's files in place
    client.raise_request_exception = False  # a crash is a finding, not the end of the walk
    client.force_login(user)
    return client


@pytest.fixture
def teacher(client, world, settings):
    """The walker as a teacher of school 1's group."""
    return logged_in(client, world, settings, world.own.teacher.user)


# Who walks: a teacher (their groups' pages, the school's agenda and mailings) and the
# management (people, structure, every mailing and the e-mail register of the school).
VIEWERS = ("teacher", "manager")


@pytest.fixture
def walker(client, world, settings, viewer):
    return logged_in(client, world, settings, getattr(world.own, viewer).user)


def walk(client, route, side):
    """(URL, status, leaks, body) of every URL of the route."""
    results = []
    for url, names_an_object in urls(route, side):
        response = client.get(url)
        content = body(response)  # read once: a file's stream is read only once
        results.append(
            (url, response.status_code, leaks(response, content, names_an_object), content)
        )
    return results


WALKED = [route for route in ROUTES if route.route not in SKIPPED]
# Leaks found and not fixed yet, "viewer route" or download -> what leaks (see
# /work/notes/walker-findings.md). Strict: the fix makes the test fail until its entry goes.
KNOWN_LEAKS = {}
KNOWN_DOWNLOAD_LEAKS = {}


def expected(value, known, key=None):
    reason = known.get(key or str(value))
    marks = [pytest.mark.xfail(strict=True, reason=f"leaks {reason}")] if reason else []
    return pytest.param(value, id=str(value), marks=marks)


@pytest.mark.parametrize(
    ("viewer", "route"),
    [
        pytest.param(
            viewer,
            route,
            id=f"{viewer}-{route}",
            marks=expected(route, KNOWN_LEAKS, f"{viewer} {route}").marks,
        )
        for viewer in VIEWERS
        for route in WALKED
    ],
)
def test_no_admin_url_shows_another_schools_data(walker, world, route):
    before = school_data()
    results = walk(walker, route, world.foreign)

    leaked = [(url, status, found) for url, status, found, _body in results if found]
    crashed = [(url, status) for url, status, _found, _body in results if status >= 500]
    assert not leaked, "\n".join(f"{status} {url}: {found}" for url, status, found in leaked)
    assert not crashed, crashed
    assert school_data() == before, "a GET changed school data"


DOWNLOADS = [
    "photo",
    "rendition",
    "group file",
    "attachment",
    "orphan",
    "message file",
    "report",
]


@pytest.mark.parametrize("what", [expected(what, KNOWN_DOWNLOAD_LEAKS) for what in DOWNLOADS])
def test_another_schools_files_are_not_served_to_the_teacher(teacher, world, what):
    url, _content = world.foreign.downloads[what]
    response = teacher.get(url)

    assert response.status_code in (302, 403, 404), url
    assert not leaks(response, body(response)), url


# Wagtail's reports that list every school's pages, changes or people (snippets/reports.py).
SUPERUSER_REPORTS = [
    "site_history",
    "page_types_usage",
    "locked_pages",
    "workflow",
    "workflow_tasks",
]


@pytest.mark.parametrize("report", SUPERUSER_REPORTS)
@pytest.mark.parametrize("part", ["", "_results"])
def test_whole_installation_reports_stay_closed_to_the_teacher(teacher, report, part):
    url = reverse(f"wagtailadmin_reports:{report}{part}")
    superuser = Client()
    superuser.force_login(UserFactory(is_superuser=True))

    assert teacher.get(url).status_code == 404
    assert superuser.get(url).status_code == 200  # the URL is the report, not a 404 anyway


# --- The walker itself: it reaches real pages, and it skips nothing silently ---------------------

# Own objects the walker must reach (200, their marker in the page) through the same URL
# building: a walker that only ever met 404s would prove nothing.
REACHES = {
    "admin/pages/<int:page_id>/edit/": "eigen1blog",
    "admin/pages/<int:parent_page_id>/": "eigen1album",
    "admin/choose-page/<int:parent_page_id>/": "eigen1blog",
    "admin/api/main/pages/<int:pk>/": "eigen1blog",
    "admin/images/<int:image_id>/": "eigen1foto",
    "admin/images/chooser/": "eigen1foto",
    "admin/documents/chooser/": "eigen1groepsbestand",
    "admin/snippets/mailings/mailing/edit/<int:pk>/": "eigen1mailing",
    "admin/snippets/mailings/mailing/answers/<int:pk>/": "eigen1antwoord",
    "admin/snippets/agenda/agendaitem/edit/<int:pk>/": "eigen1agenda",
    "admin/bulk/<str:app_label>/<str:model_name>/<str:action>/": "eigen1mailing",
    "admin/klassenlijst/<int:pk>/": "eigen1kind",
    # Berichten: the teacher takes part in the conversation (management does not: it is
    # refused to them, see tests/test_conversations_admin.py).
    "admin/berichten/": "eigen1onderwerp",
    "admin/berichten/<int:pk>/": "eigen1berichttekst",
    "admin/snippets/absences/absencereport/": "eigen1kind",
    "admin/snippets/absences/absencereport/inspect/<int:pk>/": "eigen1absentie",
    "admin/absenties/<int:pk>/beeindigen/": "eigen1kind",
    "admin/snippets/lunch/lunchday/": "eigen1kind",
    "admin/snippets/lunch/lunchday/inspect/<int:pk>/": "eigen1kind",
    "admin/overblijven/dag/": "eigen1kind",
    "admin/overblijven/maand/": "eigen1kind",
    "admin/snippets/results/testresult/": "eigen1toets",
    "admin/snippets/results/schoolreport/": "eigen1rapport",
    "admin/snippets/results/testresult/edit/<int:pk>/": "eigen1toets",
    "admin/resultaten/vrijgeven/<str:kind>/<int:pk>/": "eigen1rapport",
    "admin/resultaten/importeren/": "eigen1groep",
    "admin/snippets/interviews/interviewround/": "eigen1gespreksronde",
    "admin/snippets/interviews/interviewslot/edit/<int:pk>/": "eigen1juf",
    "admin/snippets/interviews/interviewbooking/edit/<int:pk>/": "eigen1gesprek",
    "admin/oudergesprekken/rooster/": "eigen1gesprek",
    "admin/reacties/": "eigen1reactie",
    "admin/reacties/<int:pk>/verwijderen/": "eigen1reactie",
}


# What the management reaches besides: the people screens and the e-mail register.
MANAGER_REACHES = {
    "admin/snippets/people/pupil/": "eigen1kind",
    "admin/snippets/people/guardian/edit/<int:pk>/": "eigen1ouder",
    "admin/snippets/mailings/mailing/delivery/<int:pk>/": "eigen1mailing",
    "admin/snippets/interviews/interviewround/edit/<int:pk>/": "eigen1gespreksronde",
    "admin/notifications/outboxmessage/$": "eigen1ouder@example.org",
    "admin/inzagelog/": "eigen1kind",
}


@pytest.mark.parametrize(
    ("viewer", "path"),
    [("teacher", path) for path in REACHES] + [("manager", path) for path in MANAGER_REACHES],
)
def test_walker_reaches_its_own_schools_pages(walker, world, viewer, path):
    route = next(route for route in ROUTES if route.route == path)
    marker = {**REACHES, **MANAGER_REACHES}[path].encode()

    reached = [
        url
        for url, status, _found, content in walk(walker, route, world.own)
        if status == 200 and marker in content.lower()
    ]

    assert reached, f"no URL of {path} showed {marker!r} to its own {viewer}"


@pytest.mark.parametrize("what", DOWNLOADS)
def test_teacher_downloads_their_own_files(teacher, world, what):
    url, content = world.own.downloads[what]
    response = teacher.get(url)

    assert response.status_code == 200, url
    assert body(response).endswith(content), url


def test_every_admin_pattern_is_walked(world):
    unfilled, without_ids = [], []
    for route in WALKED:
        try:
            built = urls(route, world.foreign)
        except LookupError as error:
            unfilled.append(str(error))
            continue
        assert built, route
        takes_ids = any(arg in OBJECT_ARGS for arg in route.args)
        if takes_ids and not any(names_an_object for _url, names_an_object in built):
            without_ids.append(route.route)

    assert not unfilled, unfilled
    # A pattern that takes an id is walked with at least one of school 2's real ids.
    assert not without_ids, without_ids
    assert len(WALKED) >= 320
    known = {key.split(" ", 1)[1] for key in KNOWN_LEAKS}
    assert set(SKIPPED) | known | set(REACHES) | set(MANAGER_REACHES) <= {r.route for r in ROUTES}


# --- Wagtail's registries: every view they know of is one the walker opens ---------------------

# The project's wagtail-modeladmin registers (snippets/wagtail_hooks.py): modeladmin keeps no
# registry of its own, so a new one is added here (the last test below fails until it is).
MODELADMINS = (OutboxMessageAdmin,)
# Argument values to reverse a pattern with: which object does not matter, the route does.
SAMPLE_VALUES = ("1", "x")
WALKED_ROUTES = {route.route: route for route in WALKED}


def flattened(patterns, namespace):
    """(URL name, pattern) of every pattern, nested includes too."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if pattern.namespace else namespace
            yield from flattened(pattern.url_patterns, inner)
        else:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern


def reversed_with_samples(name, pattern):
    """The URL of a named pattern, its arguments filled with the first sample values that fit."""
    names = pattern_arguments(pattern.pattern)
    for values in itertools.product(SAMPLE_VALUES, repeat=len(names)):
        try:
            return reverse(name, kwargs=dict(zip(names, values, strict=True)))
        except NoReverseMatch:
            continue
    raise AssertionError(f"{name}: no sample values fit its arguments {names}")


def registered_viewsets():
    """Every viewset Wagtail serves: its registry (snippets, their choosers, Wagtail's own
    sites, users, groups, choosers) and, named explicitly, every snippet model's viewset."""
    found = [*viewsets.viewsets, *(model.snippet_viewset for model in get_snippet_models())]
    return list({id(viewset): viewset for viewset in found}.values())


def viewset_urls():
    """(what, URL, arguments that must match) for every pattern of every viewset and
    modeladmin register, from their own ``get_urlpatterns()``."""
    registered = [("", register().get_admin_urls_for_registration()) for register in MODELADMINS]
    for viewset in registered_viewsets():
        # Page viewsets have none: their views sit behind Wagtail's shared page URLs.
        if patterns := viewset.get_urlpatterns():
            registered.append((viewset.url_namespace, patterns))
    for namespace, patterns in registered:
        for name, pattern in flattened(patterns, namespace):
            assert pattern.name, f"{namespace}: an unnamed pattern {pattern.pattern}"
            yield name, reversed_with_samples(name, pattern), {}


def bulk_action_urls():
    """Every bulk action in Wagtail's registry, for every model it is registered for."""
    for model in apps.get_models():
        app_label, model_name = model._meta.app_label, model._meta.model_name
        for action in bulk_action_registry.get_bulk_actions_for_model(app_label, model_name):
            kwargs = {
                "app_label": app_label,
                "model_name": model_name,
                "action": action.action_type,
            }
            yield (
                f"bulk {app_label}.{model_name} {action.action_type}",
                reverse("wagtail_bulk_action", kwargs=kwargs),
                kwargs,
            )


def report_urls():
    """Wagtail's reports: every URL of its reports namespace and every report menu item."""
    for pattern in wagtail_report_urls.urlpatterns:
        name = f"wagtailadmin_reports:{pattern.name}"
        yield name, reverse(name), {}
    for register in hooks.get_hooks("register_reports_menu_item"):
        item = register()
        yield f"report menu: {item.name}", item.url, {}


def not_walked(url, side, same_arguments, walked=WALKED_ROUTES):
    """Why the walker never opens ``url``, or None when it does.

    The walker opens the route that serves the URL (a project view shadowing Wagtail's
    included), with ``same_arguments`` where they say what the URL is about (a bulk
    action's model and action); which object an id names is its own check, in
    ``test_every_admin_pattern_is_walked``."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return f"{url}: no view answers it"
    route = walked.get(match.route)
    if route is None:
        return f"{url}: its route {match.route} is not walked"
    wanted = {key: str(value) for key, value in same_arguments.items()}
    for walked_url, _names_an_object in urls(route, side):
        found = resolve(urlsplit(walked_url).path).kwargs
        if wanted.items() <= {key: str(value) for key, value in found.items()}.items():
            return None
    return f"{url}: {match.route} is walked, never with {wanted}"


REGISTRIES = {"viewsets": viewset_urls, "bulk actions": bulk_action_urls, "reports": report_urls}


@pytest.mark.parametrize("registry", REGISTRIES)
def test_every_view_wagtails_registries_know_is_walked(world, registry):
    found = list(REGISTRIES[registry]())
    missing = [
        reason
        for _what, url, same_arguments in found
        if (reason := not_walked(url, world.foreign, same_arguments))
    ]

    assert found
    assert not missing, "\n".join(missing)


def registry_object_routes():
    """The walked routes of viewset and register views about one object (edit, delete,
    history, chosen, …)."""
    routes = {}
    for _what, url, _same_arguments in viewset_urls():
        match = resolve(urlsplit(url).path)
        if OBJECT_ARGS & set(match.kwargs) and match.route in WALKED_ROUTES:
            routes[match.route] = WALKED_ROUTES[match.route]
    return list(routes.values())


def refused(response):
    """Not found, forbidden, or Wagtail's answer to PermissionDenied: back to the admin's home."""
    if response.status_code == 302:
        return response["Location"] == reverse("wagtailadmin_home")
    return response.status_code in (403, 404, 405)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_viewset_view_refuses_another_schools_object(walker, world, viewer):
    """Not only nothing leaks (above): the view does not answer at all. A view that answers
    200 for another school's id has no scope, even when what it shows carries no marker."""
    answered = []
    routes = registry_object_routes()
    for route in routes:
        for url, names_an_object in urls(route, world.foreign):
            response = walker.get(url)
            if names_an_object and not refused(response):
                answered.append(f"{response.status_code} {url}")

    assert len(routes) >= 90
    assert not answered, "\n".join(answered)


def test_the_registry_check_reports_a_view_the_walker_skips(world):
    """The check above can fail: a viewset view left out of the walk, and a bulk action the
    walker does not know, are both reported."""
    pupil_edit = reverse("wagtailsnippets_people_pupil:edit", args=[1])
    skipped = dict(WALKED_ROUTES)
    del skipped["admin/snippets/people/pupil/edit/<int:pk>/"]
    unknown_action = {"app_label": "people", "model_name": "pupil", "action": "verzonnen"}
    unknown = reverse("wagtail_bulk_action", kwargs=unknown_action)

    assert not_walked(pupil_edit, world.foreign, {}) is None
    assert "is not walked" in not_walked(pupil_edit, world.foreign, {}, walked=skipped)
    assert "never with" in not_walked(unknown, world.foreign, unknown_action)


def test_every_modeladmin_register_is_checked():
    """A new ModelAdmin's URLs must be in MODELADMINS, or the registry check misses them."""
    listed = {
        pattern.name
        for admin in MODELADMINS
        for pattern in admin().get_admin_urls_for_registration()
    }
    served = {name for route in ROUTES for name in route.names if "_modeladmin_" in name}

    assert served == listed
