"""The teacher's approval of a blog post a klassenouder wrote (``schoolportal.classposts``).

A Wagtail workflow task: the post waits in the admin until one of its approvers approves
it (which publishes it) or asks for changes with a comment (which sends it back to its
author). Its approvers are the editors of the post's group page: the group's teachers and
the school's management and administration (``access.may_approve_class_post``), never a
teacher of another group or school.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState

# ``access`` reads page models by name, so importing it here makes no circle.
from schoolportal import access


class TeacherApprovalTask(Task):
    """Approval by the teachers of the post's group (and the school's management)."""

    def user_can_access_editor(self, obj, user):
        return access.may_approve_class_post(user, obj)

    def locked_for_user(self, obj, user):
        # While it waits, only those who decide on it change it (a typo, a photo's caption).
        return not access.may_approve_class_post(user, obj)

    def get_actions(self, obj, user):
        if not access.may_approve_class_post(user, obj):
            return []
        return [
            ("reject", _("Terugsturen met opmerking"), True),
            ("approve", _("Goedkeuren en publiceren"), False),
            ("approve", _("Goedkeuren met opmerking"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        posts = access.approvable_class_posts(user).values("pk")
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type__model="page",
            workflow_state__object_id__in=[str(pk) for pk in posts.values_list("pk", flat=True)],
        )

    @classmethod
    def get_description(cls):
        return _(
            "De leerkrachten van de groep (of de directie of administratie) keuren een "
            "bericht van een klassenouder goed of sturen het terug met een opmerking."
        )

    class Meta:
        verbose_name = _("goedkeuring door de leerkracht")
        verbose_name_plural = _("goedkeuringen door de leerkracht")
