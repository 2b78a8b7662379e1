"""Uit de groepen: a teacher's item about their group for a newsletter issue.

A teacher writes it in the admin and sends it for approval; the school's newsletter
editors (management and administration) approve it in a Wagtail workflow, which publishes
it. The issue's "uit de groepen" then shows the approved (live) items next to those the
editor typed, in the portal and in the e-mail (``NewsletterPage.group_items``). A teacher
writes only for the groups they teach (``access.editable_group_items``).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.models import (
    DraftStateMixin,
    RevisionMixin,
    Task,
    TaskState,
    WorkflowMixin,
)

# ``access`` reads this module's models by name, so importing it here makes no circle.
from schoolportal import access


class GroupNewsItem(WorkflowMixin, DraftStateMixin, RevisionMixin, ClusterableModel):
    # Not live until the newsletter's editor approves it (Wagtail's default is live).
    live = models.BooleanField(_("goedgekeurd"), default=False, editable=False)
    issue = models.ForeignKey(
        "pages.NewsletterPage",
        on_delete=models.CASCADE,
        related_name="group_items",
        verbose_name=_("nieuwsbrief"),
    )
    group = models.ForeignKey(
        "people.Group", on_delete=models.CASCADE, related_name="+", verbose_name=_("groep")
    )
    # Set from the group on save: what the admin's school scope and the approval ask.
    school = models.ForeignKey(
        "people.School", on_delete=models.CASCADE, editable=False, related_name="+"
    )
    text = models.TextField(_("tekst"), max_length=1000)
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("foto"),
    )
    caption = models.CharField(
        _("onderschrift"),
        max_length=255,
        blank=True,
        help_text=_("Wat er op de foto te zien is. Nodig bij een foto."),
    )
    pupils = ParentalManyToManyField(
        "people.Pupil",
        blank=True,
        related_name="+",
        verbose_name=_("kinderen op de foto"),
        help_text=_(
            "Staat een kind op de foto zonder toestemming voor foto's op de website van "
            "school, dan wordt de foto niet getoond."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="groupnewsitem")
    workflow_states = GenericRelation(
        "wagtailcore.WorkflowState",
        content_type_field="base_content_type",
        object_id_field="object_id",
        related_query_name="groupnewsitem",
        for_concrete_model=False,
    )

    class Meta:
        verbose_name = _("groepsbericht voor de nieuwsbrief")
        verbose_name_plural = _("groepsberichten voor de nieuwsbrief")
        ordering = ["group__lowest_year_level", "group__name", "pk"]

    def __str__(self):
        return f"{self.group} – {self.issue.title}"

    @property
    def revisions(self):
        return self._revisions

    def save(self, *args, **kwargs):
        self.school_id = self.group.school_id
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "school"}
        super().save(*args, **kwargs)

    def with_content_json(self, content):
        # An old revision brings back neither another group's school nor another author.
        item = super().with_content_json(content)
        item.created_by_id = self.created_by_id
        return item


class NewsletterEditorApprovalTask(Task):
    """Approval by the newsletter's editors: management and administration of the item's
    school (``access.may_approve_group_item``), not of another school."""

    def _may_approve(self, obj, user):
        return access.may_approve_group_item(user, obj)

    def user_can_access_editor(self, obj, user):
        return self._may_approve(obj, user)

    def locked_for_user(self, obj, user):
        return not self._may_approve(obj, user)

    def get_actions(self, obj, user):
        if not self._may_approve(obj, user):
            return []
        return [
            ("reject", _("Wijzigingen vragen"), True),
            ("approve", _("Goedkeuren"), False),
            ("approve", _("Goedkeuren met opmerking"), True),
        ]

    def get_task_states_user_can_moderate(self, user, **kwargs):
        items = access.approvable_group_items(user).values_list("pk", flat=True)
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__groupnewsitem__in=items,
        )

    @classmethod
    def get_description(cls):
        return _("De directie en administratie van de school keuren het groepsbericht goed.")

    class Meta:
        verbose_name = _("goedkeuring door de nieuwsbriefredactie")
        verbose_name_plural = _("goedkeuringen door de nieuwsbriefredactie")
