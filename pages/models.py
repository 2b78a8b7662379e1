from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class SchoolHomePage(Page):
    """A school's public home page and the root of its Wagtail Site.

    Logged-out visitors see the school's introduction and the way in to the
    parent portal; everything about children lives behind the login.
    """

    school = models.OneToOneField(
        "people.School",
        on_delete=models.PROTECT,
        related_name="home_page",
        verbose_name=_("school"),
    )
    intro = RichTextField(
        _("introductie"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul", "h2", "h3"],
    )

    content_panels = [*Page.content_panels, FieldPanel("school"), FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = []

    class Meta:
        verbose_name = _("schoolhomepagina")
        verbose_name_plural = _("schoolhomepagina's")
