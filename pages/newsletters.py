"""The school's newsletter: an archive page per school and its issues below it.

``NewsletterIndexPage`` is made with the school's home page (``pages.provisioning``) and
holds the page rights of the school's newsletter editors; ``NewsletterPage`` is one issue.
Like group pages they live in the admin's tree and are read only through the portal
(``schoolportal.newsletters``), which asks ``access``; the first publication of an issue
e-mails it to every guardian of the school (``schoolportal.newsletters.delivery``).
"""

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, PagePermissionTester

from forms.widgets import NativeDateInput
from schoolportal import access

from .base import PortalServedPage
from .blocks import NewsletterBlock
from .panels import NewsletterPhotoConsentPanel


class NewsletterIndexPagePermissionTester(PagePermissionTester):
    """The archive belongs to its school: made with the home page, never by hand."""

    def can_delete(self, ignore_bulk=False):
        return self.user.is_superuser and super().can_delete(ignore_bulk)

    def can_move(self):
        return self.user.is_superuser and super().can_move()

    def can_copy(self):
        return False  # a second archive for the same school

    def can_set_view_restrictions(self):
        return self.user.is_superuser  # the archive stays marked private (``provisioning``)


class NewsletterIndexPage(PortalServedPage):
    """Nieuwsbrieven: one per school, with the school's issues below it."""

    # Made with the page (``pages.provisioning``): the Wagtail group whose members write
    # the school's newsletters.
    editors = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )

    content_panels = [*Page.content_panels]
    promote_panels = []
    preview_modes = []  # parents see the archive of all their schools, not this page

    parent_page_types = ["pages.SchoolHomePage"]
    subpage_types = ["pages.NewsletterPage"]
    max_count_per_parent = 1
    portal_url_name = "newsletters:index"

    class Meta:
        verbose_name = _("nieuwsbrievenoverzicht")
        verbose_name_plural = _("nieuwsbrievenoverzichten")

    def get_portal_url(self):
        return reverse(self.portal_url_name)

    def permissions_for_user(self, user):
        return NewsletterIndexPagePermissionTester(user, self)


class NewsletterPage(PortalServedPage):
    """One issue of the school's newsletter."""

    issue_date = models.DateField(_("datum van uitgave"), default=timezone.localdate)
    intro = models.TextField(
        _("introductie"),
        max_length=1000,
        blank=True,
        help_text=_("Een paar zinnen bovenaan; ouders zien ze ook in het overzicht."),
    )
    body = StreamField(NewsletterBlock(), verbose_name=_("inhoud"), blank=True)
    # Set on save: the school (from the tree) and the words the archive's search looks in.
    school = models.ForeignKey(
        "people.School",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
        verbose_name=_("school"),
    )
    search_text = models.TextField(editable=False, blank=True)
    # Set once, by the first publication that e-mailed the issue (``delivery``).
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("issue_date", widget=NativeDateInput),
        FieldPanel("intro"),
        NewsletterPhotoConsentPanel(),
        FieldPanel("body"),
    ]
    promote_panels = []

    parent_page_types = ["pages.NewsletterIndexPage"]
    subpage_types = []
    portal_url_name = "newsletters:issue"
    preview_template = "pages/preview/newsletter_page.html"

    class Meta:
        verbose_name = _("nieuwsbrief")
        verbose_name_plural = _("nieuwsbrieven")
        ordering = ["-issue_date", "-pk"]

    def find_school(self):
        """The school of the home page the issue is below (also for a preview of a new one:
        Wagtail gives it a place in the tree), unless it has one."""
        if self.school_id is None and self.path:
            # By name: ``pages.models`` imports this module (so Django finds its models).
            home = apps.get_model("pages", "SchoolHomePage").objects.ancestor_of(self).first()
            self.school_id = home.school_id if home else None

    def get_preview_context(self, request, mode_name):
        self.find_school()  # the agenda block shows the school's agenda in a first preview
        return super().get_preview_context(request, mode_name)

    def save(self, *args, **kwargs):
        self.find_school()
        self.search_text = self.text_for_search()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "school", "search_text"}
        super().save(*args, **kwargs)

    def text_for_search(self):
        """The issue's words as plain text: intro, headings, texts, captions, group items."""
        parts = [self.intro]
        for block in self.body:
            if block.block_type == "heading":
                parts.append(block.value)
            elif block.block_type == "text":
                parts.append(strip_tags(block.value.source))
            elif block.block_type == "image":
                parts.append(block.value["caption"])
            elif block.block_type in ("group_news", "call_to_action"):
                parts.append(block.value["text"])
        return "\n".join(part for part in parts if part)

    def with_content_json(self, content):
        # Publishing an older revision must not bring back a time before it was sent
        # (that would send it again), nor another school.
        page = super().with_content_json(content)
        page.sent_at = self.sent_at
        page.school_id = self.school_id
        return page

    @cached_property
    def withheld_photos(self):
        """{position in the body: marked children without consent} of the photo blocks not
        shown (``access.newsletter_photo_allowed``). Read when the issue is shown or
        e-mailed, not at publication: a consent withdrawn since counts. One query for the
        marked children of all photos (Wagtail reads a block type's values in bulk)."""
        withheld = {}
        for position, block in enumerate(self.body):
            if block.block_type != "image":
                continue
            pupils = list(block.value.get("pupils") or [])
            if not access.newsletter_photo_allowed(pupils):
                withheld[position] = [
                    pupil for pupil in pupils if not access.newsletter_photo_allowed([pupil])
                ]
        return withheld

    def blocks_with_consent(self):
        """(block, None) for each block readers see, (block, [marked children without
        consent]) for a withheld photo: the preview names them for the editor."""
        withheld = self.withheld_photos
        return [(block, withheld.get(n)) for n, block in enumerate(self.body)]

    def shown_blocks(self):
        """The blocks of the body readers see: all but the withheld photos."""
        return [block for block, withheld in self.blocks_with_consent() if withheld is None]

    @cached_property
    def shown_group_items(self):
        """Teachers' approved items for "uit de groepen" (``schoolportal.newsletters``), each
        with ``photo_shown``: it has a photo whose marked children all have consent. Two
        queries (the items, their children), read when the issue is shown."""
        items = list(access.approved_group_items(self))
        for item in items:
            item.photo_shown = item.image_id is not None and access.newsletter_photo_allowed(
                list(item.pupils.all())
            )
        return items

    @cached_property
    def group_items_position(self):
        """Where the approved group items go: after the editor's last "uit de groepen"
        block, or (None) at the end of the issue."""
        positions = [n for n, block in enumerate(self.body) if block.block_type == "group_news"]
        return positions[-1] if positions else None

    def image_ids(self):
        """Ids of the images the issue shows: the only ones its readers may fetch."""
        ids = {
            block.value["image"].pk
            for block in self.shown_blocks()
            if block.block_type == "image" and block.value["image"] is not None
        }
        return ids | {item.image_id for item in self.shown_group_items if item.photo_shown}

    def document_ids(self):
        """Ids of the documents its buttons link to: the only ones its readers download."""
        return {
            block.value["document"].pk
            for block in self.body
            if block.block_type == "call_to_action" and block.value["document"] is not None
        }
