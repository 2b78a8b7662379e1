"""School: jaargroep information and class lists, with only what parents chose to share."""

from django.conf import settings
from django.core.cache import cache
from django.db.models import Prefetch
from django.http import Http404
from django.template.loader import get_template
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.views.generic import TemplateView

from schoolportal import access
from schoolportal.accesslog.models import Action, Screen
from schoolportal.accesslog.recording import record
from schoolportal.parentviews.caching import PAGE_TIMEOUT, request_version
from schoolportal.parentviews.views import GuardianRequiredMixin
from schoolportal.people.models import ClassParent, Guardianship, StaffMember


class SchoolOverviewView(GuardianRequiredMixin, TemplateView):
    """Jaargroep informatie: each group of the parent's children, its teachers and class parents."""

    template_name = "portal/school.html"

    def get_context_data(self, **kwargs):
        groups = (
            access.parent_groups(self.request.user)
            .select_related("school", "school_year")
            .prefetch_related(
                Prefetch("teachers", queryset=StaffMember.objects.only("id", "display_name")),
                Prefetch("class_parents", queryset=ClassParent.objects.select_related("guardian")),
            )
            .order_by("school__name", "lowest_year_level", "name")
        )
        # The groups' cards show the groups, their teachers and class parents' names, the
        # same for every family with children in the same groups: the template keeps them
        # per groups, data version and language, and reads them only when not kept yet.
        group_ids = ",".join(map(str, access.scope(self.request.user).group_ids))
        return super().get_context_data(
            groups=SimpleLazyObject(lambda: list(groups)),
            groups_key=f"{request_version(self.request)}:{group_ids}",
            **kwargs,
        )


def _pupils_with_guardians(pupils):
    return (
        pupils.only("id", "first_name", "infix", "last_name", "group_id", "school_id")
        .prefetch_related(
            Prefetch(
                "guardianships",
                queryset=Guardianship.objects.select_related("guardian").order_by("pk"),
            )
        )
        .order_by("last_name", "first_name")
    )


def _render_row(template, pupil, guardians, policy, school):
    details = [policy.details(guardian, school, pupil.group_id) for guardian in guardians]
    return template.render({"pupil": pupil, "guardians": details})


def class_list_rows(request, group, row_template, action=Action.VIEWED):
    """The group's rows, one rendered ``row_template`` per pupil, with what the viewer may see.

    Most rows show only what the guardians share with every parent
    (``ContactDetailsPolicy.sees_only_shared``), the same for every parent of the group:
    those are rendered once per group, template, language and data version and kept for
    all of them. The rows the viewer sees more of (their own children's; every row for
    management of the school and the group's teachers) are rendered for the viewer.
    Fixed queries.

    A viewer who sees the rows as staff (management, the group's teacher, who may also be a
    parent here) leaves ``action`` in the Inzagelog for every row but their own children's.
    """
    viewer = request.user
    policy = access.ContactDetailsPolicy(viewer)
    template = get_template(row_template)
    key = ":".join(
        [
            "class-list-rows",
            row_template,
            translation.get_language() or settings.LANGUAGE_CODE,
            str(request_version(request)),
            str(group.pk),
        ]
    )
    shared = cache.get(key)
    if shared is None:
        # Whoever may see the group (the view's ``groups_for``) may see all of its pupils,
        # so the rows are the same whichever viewer renders them first.
        pupils = _pupils_with_guardians(access.pupils_for(viewer).filter(group=group))
        everyone = access.ContactDetailsPolicy.shared_with_every_parent()
        shared = [
            (pupil.pk, _render_row(template, pupil, _guardians(pupil), everyone, group.school))
            for pupil in pupils
        ]
        cache.set(key, shared, PAGE_TIMEOUT)
    viewers_own = {
        pk for pk, _row in shared if not policy.sees_only_shared(pk, group.school, group.pk)
    }
    if not viewers_own:
        return [row for _pk, row in shared]
    pupils, guardians = {}, {}
    for guardianship in access.guardianships_of_pupils(viewer, viewers_own):
        pupils[guardianship.pupil_id] = guardianship.pupil
        guardians.setdefault(guardianship.pupil_id, []).append(guardianship.guardian)
    own_rows = {
        pk: _render_row(template, pupil, guardians[pk], policy, group.school)
        for pk, pupil in pupils.items()
    }
    if policy.sees_hidden(group.school, group.pk):
        as_staff = [pk for pk in pupils if pk not in policy.own_pupil_ids]
        record(
            request,
            action,
            where=Screen.PORTAL_CLASS_LIST,
            pupils=[pupils[pk] for pk in as_staff],
            guardians={g.pk: g for pk in as_staff for g in guardians[pk]}.values(),
            school=group.school_id,
        )
        request.access_logged = True
    return [own_rows.get(pk, row) for pk, row in shared]


def _guardians(pupil):
    return [guardianship.guardian for guardianship in pupil.guardianships.all()]


class ClassListView(GuardianRequiredMixin, TemplateView):
    """The class list of one of the parent's children's groups (404 for any other group)."""

    template_name = "portal/class_list.html"
    row_template = "portal/includes/class_list_row.html"
    log_action = Action.VIEWED

    def get_context_data(self, **kwargs):
        group = access.group_for(self.request.user, self.kwargs["pk"])
        if group is None:
            raise Http404
        rows = class_list_rows(self.request, group, self.row_template, self.log_action)
        # Each row is rendered HTML already: joined here, not node by node in the template.
        rows = mark_safe("".join(rows))  # noqa: S308
        return super().get_context_data(group=group, rows=rows, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if getattr(request, "access_logged", False):
            # Not kept in the page cache: every time staff open it must reach the log.
            response.page_cache_timeout = 0
        return response


class ClassListPrintView(ClassListView):
    """Afdrukken: names and shared addresses on one printable page."""

    template_name = "portal/class_list_print.html"
    row_template = "portal/includes/class_list_print_row.html"
    log_action = Action.PRINTED
