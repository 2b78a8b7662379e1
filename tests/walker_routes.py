"""The admin walker's URLs: every admin pattern Django's resolver knows, filled with one
school's ids, so a new admin view is walked without anyone listing it.

An argument nobody has said how to fill raises LookupError (and fails the walker's
coverage test) instead of being skipped.
"""

import itertools
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from taggit.models import Tag
from wagtail import hooks
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Page,
    Revision,
    Site,
    Task,
    TaskState,
    Workflow,
    WorkflowState,
    get_page_models,
)
from wagtail.snippets.models import get_snippet_models
from wagtail.workflows import get_task_types

from schoolportal.absences.models import AbsenceReport
from schoolportal.conversations.models import Conversation, MessageAttachment
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import (
    Group,
    Guardian,
    Pupil,
    School,
    StaffMember,
)
from schoolportal.pupilimport.models import ImportRun
from schoolportal.reactions.models import Reaction
from schoolportal.results.models import SchoolReport, TestResult
from tests.walker_world import MISSING_ID, SEARCH

Image = get_image_model()
Document = get_document_model()
User = get_user_model()


# --- The admin's URL patterns, from the resolver ------------------------------------------------


@dataclass(frozen=True)
class AdminRoute:
    route: str  # "admin/pages/<int:page_id>/edit/"; regex routes as written
    names: tuple  # every pattern name on this route ("" for unnamed): a shadowed one included
    args: tuple  # argument names, in order
    regex: bool

    def __str__(self):
        return self.route

    def named(self, *fragments):
        return any(fragment in name for name in self.names for fragment in fragments)


def pattern_arguments(pattern):
    if isinstance(pattern, RegexPattern):
        return tuple(pattern.regex.groupindex)
    return tuple(pattern.converters)


def _walk(patterns, prefix="", namespace="", args=()):
    for entry in patterns:
        route = prefix + str(entry.pattern).lstrip("^")
        entry_args = (*args, *pattern_arguments(entry.pattern))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner, entry_args)
        elif route.startswith("admin/"):
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield route, name, entry_args, isinstance(entry.pattern, RegexPattern)


def admin_routes():
    """One entry per distinct route: where two patterns share one (the project's scoped bulk
    actions before Wagtail's), only the first is ever served, and both names are kept."""
    routes = {}
    for route, name, args, regex in _walk(get_resolver().url_patterns):
        if route in routes:
            routes[route] = AdminRoute(route, (*routes[route].names, name), args, regex)
        else:
            routes[route] = AdminRoute(route, (name,), args, regex)
    return list(routes.values())


ROUTES = admin_routes()

# Never walked, with the reason. Everything else is.
SKIPPED = {
    "admin/logout/": "ends the walker's session",
    "admin/failwhale/": "Wagtail's deliberate error page for testing error reporting",
}
# Regex routes without arguments: the path to walk them with.
FIXED_PATHS = {"admin/.*/$": "admin/bestaat-niet/"}

# Editing sessions (POST only) and half-finished uploads belong to the user who made them,
# no school's: walked with an id nothing has (the view must still answer, 404 at most).
NO_SCHOOL_DATA = {"session_id", "uploaded_file_id"}
PAGE_ARGS = {"page_id", "parent_page_id", "page_to_move_id", "destination_id", "page_pk"}
ARG_MODELS = {
    **dict.fromkeys(PAGE_ARGS, Page),
    "image_id": Image,
    "document_id": Document,
    "doc_id": Document,
    "collection_id": Collection,
    "workflow_state_id": WorkflowState,
    "workflow_pk": Workflow,
    "redirect_id": Redirect,
}
OBJECT_ARGS = {*ARG_MODELS, "pk", "object_id", "instance_pk"}  # instance_pk: wagtail-modeladmin
# Where the route says what its ``pk`` is (most specific first); snippets by their namespace.
ROUTE_MODELS = (
    ("admin/api/main/pages/", Page),
    ("admin/api/main/images/", Image),
    ("admin/api/main/documents/", Document),
    ("admin/pages/", Page),
    ("admin/choose-page/", Page),
    ("admin/images/", Image),
    ("admin/documents/", Document),
    ("admin/collections/", Collection),
    ("admin/users/", User),
    ("admin/groups/", AuthGroup),
    ("admin/sites/", Site),
    ("admin/klassenlijst/", Group),
    ("admin/toestemming/groep/", Group),
    ("admin/toestemming/leerling/", Pupil),
    ("admin/privacy/ouder/", Guardian),
    ("admin/absenties/", AbsenceReport),
    ("admin/resultaten/rapport/", SchoolReport),
    ("admin/leerlingimport/", ImportRun),
    ("admin/workflows/tasks/", Task),
    ("admin/workflows/task_chooser/", Task),
    ("admin/workflows/", Workflow),
    ("admin/notifications/outboxmessage/", OutboxMessage),
    ("admin/reacties/", Reaction),
    ("admin/berichten/bijlage/", MessageAttachment),
    ("admin/berichten/", Conversation),
    ("admin/nieuwsbrieven/", Page),  # an issue's delivery screen
)
SNIPPETS = {f"{m._meta.app_label}/{m._meta.model_name}/": m for m in get_snippet_models()}
# ``kind`` of the project's invitation and link-code pages.
KINDS = {
    "people_invite": {"guardian": Guardian, "staffmember": StaffMember},
    "people_linkcodes": {"groep": Group, "leerling": Pupil},
    "results_release": {"rapport": SchoolReport, "toets": TestResult},
    "second_factor_off": {"medewerker": StaffMember, "ouder": Guardian},
}
FIXED_VALUES = {
    "filter_spec": ("original", "max-165x165"),
    "uidb64": ("MQ",),
    "token": ("set-password",),
}


def bulk_actions():
    """(app label, model, action, model class) of every bulk action, from Wagtail's hook."""
    return [
        (model._meta.app_label, model._meta.model_name, action.action_type, model)
        for action in hooks.get_hooks("register_bulk_action")
        for model in action.models
    ]


def type_choices(route):
    """Values of a route's (app, model) arguments: tag, task, settings or page models."""
    if route.named("tag_model_autocomplete"):
        models = [Tag]
    elif route.named("add_task"):
        models = get_task_types()
    elif route.named("wagtailsettings"):
        models = list(settings_registry) or [School]  # none registered: the view answers 404
    else:
        models = [m for m in get_page_models() if m is not Page] + [Page]
    return [(m._meta.app_label, m._meta.model_name, m) for m in models]


def contexts(route):
    """(fixed arguments, model) pairs: what the route's own arguments say it is about."""
    args = set(route.args)
    if {"app_label", "model_name", "action"} <= args:
        for app_label, model_name, action, model in bulk_actions():
            yield {"app_label": app_label, "model_name": model_name, "action": action}, model
    elif "kind" in args:
        for name, kinds in KINDS.items():
            if route.named(name):
                for kind, model in kinds.items():
                    yield {"kind": kind}, model
    elif pair := next(
        (
            p
            for p in (
                ("content_type_app_name", "content_type_model_name"),
                ("app_label", "model_name"),
                ("app_name", "model_name"),
            )
            if set(p) <= args
        ),
        None,
    ):
        for app_label, model_name, _model in type_choices(route):
            yield dict(zip(pair, (app_label, model_name), strict=True)), None
    else:
        yield {}, route_model(route)


def route_model(route):
    snippet = re.match(r"admin/snippets/(?:choose/)?(\w+/\w+/)", route.route)
    if snippet:
        return SNIPPETS.get(snippet[1])
    return next((model for prefix, model in ROUTE_MODELS if route.route.startswith(prefix)), None)


def dependent_values(arg, model, pk):
    """Values of an argument that belongs to the object chosen for the route's main argument."""
    base = Page if model is not None and issubclass(model, Page) else model
    if arg.startswith("revision_id"):
        if base is None:
            return []
        content_type = ContentType.objects.get_for_model(base)
        revisions = Revision.objects.filter(base_content_type=content_type, object_id=str(pk))
        extra = {"revision_id_a": ["earliest"], "revision_id_b": ["latest", "live"]}.get(arg, [])
        return [*revisions.values_list("pk", flat=True), *extra] or [MISSING_ID]
    states = WorkflowState.objects.filter(object_id=str(pk))
    if arg == "task_state_id":
        return list(
            TaskState.objects.filter(workflow_state__in=states).values_list("pk", flat=True)
        ) or [MISSING_ID]
    if arg == "task_id":
        tasks = TaskState.objects.filter(workflow_state__in=states).values_list(
            "task_id", flat=True
        )
        return list(tasks) or [MISSING_ID]
    if arg == "workflow_state_id":
        return list(states.values_list("pk", flat=True)) or [MISSING_ID]
    return None


def action_names(route):
    if route.named("workflow"):
        return ["approve", "reject"]
    return ["copy", "move", "publish"]  # the page API's actions (POST only)


def url_arguments(route, side):
    """Every combination of argument values to walk ``route`` with, from ``side``'s objects.

    Raises LookupError for an argument nobody has said how to fill (see the meta-test)."""
    for fixed, model in contexts(route):
        main = next((a for a in route.args if a in OBJECT_ARGS and a not in fixed), None)
        main_model = ARG_MODELS.get(main, model)
        mains = [None] if main is None else side.pks(main_model) or [MISSING_ID]
        for pk in mains:
            values = {}
            for arg in route.args:
                if arg in fixed:
                    values[arg] = [fixed[arg]]
                elif arg == main:
                    values[arg] = [pk]
                elif arg in ARG_MODELS:
                    values[arg] = side.pks(ARG_MODELS[arg])
                elif (dependent := dependent_values(arg, main_model, pk)) is not None:
                    values[arg] = dependent
                elif arg == "action_name":
                    values[arg] = action_names(route)
                elif arg in FIXED_VALUES:
                    values[arg] = FIXED_VALUES[arg]
                elif arg in NO_SCHOOL_DATA:
                    values[arg] = [MISSING_ID]
                else:
                    raise LookupError(f"{route}: no values for argument {arg!r}")
            for combination in itertools.product(*values.values()):
                yield dict(zip(values, combination, strict=True)), main_model


def fill(route, arguments):
    if route.route in FIXED_PATHS:
        return "/" + FIXED_PATHS[route.route]
    if route.regex:
        path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: str(arguments[m[1]]), route.route)
        return "/" + path.rstrip("$").replace("\\.", ".")
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(arguments[m[1]]), route.route)


def queries(route, arguments, model, side):
    """Query strings of the URL: none, and the ones through which views read ids or searches."""
    yield {}
    has_object = any(arg in OBJECT_ARGS for arg in arguments)
    if route.named("bulk_action") or route.named("chosen_multiple", ":find"):
        for pk in side.pks(model):
            yield {"next": "/admin/", "id": pk}
        if route.named("bulk_action"):
            yield {"next": "/admin/", "id": "all"}
    if has_object:
        return
    yield {"q": SEARCH}
    if route.named("autocomplete"):
        yield {"term": SEARCH}
    if route.named("wagtailadmin_api:"):
        yield {"search": SEARCH}
        if route.named(":pages:"):
            for pk in side.pks(Page):
                yield {"child_of": pk}
                yield {"descendant_of": pk}
    if route.route.startswith(("admin/images/", "admin/documents/")):
        for pk in side.pks(Collection):
            yield {"collection_id": pk}


def urls(route, side):
    """(URL, whether it names one of ``side``'s objects) to walk the route with, each once."""
    seen = {}
    for arguments, model in url_arguments(route, side):
        path = fill(route, arguments)
        for query in queries(route, arguments, model, side):
            ids = [v for v in (*arguments.values(), *query.values()) if isinstance(v, int)]
            url = f"{path}?{urlencode(query)}" if query else path
            seen[url] = seen.get(url, False) or any(pk != MISSING_ID for pk in ids)
    return list(seen.items())
