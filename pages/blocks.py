"""The blocks a school newsletter is written in (``NewsletterPage.body``).

Each block renders for parents with its template in ``templates/pages/blocks/``; the
e-mail renders the same values itself (``schoolportal.newsletters.email``). Photos are
never linked from MEDIA_URL: the image block's template asks the portal's
permission-checked view (``newsletters:image``) for them, and a photo of a child without
consent for the school's website is not shown at all (``NewsletterPage.withheld_photos``).
"""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3"]
# The size parents see a newsletter photo in, as a blog post's (``pages.models``).
PHOTO_SIZE = "max-1600x1200|format-jpeg|jpegquality-85|stripmetadata"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("foto"))
    # Required: the photo's text alternative, as an album photo's caption.
    caption = blocks.CharBlock(
        label=_("onderschrift"),
        max_length=255,
        help_text=_(
            "Wat er op de foto te zien is. Ook de beschrijving voor wie de foto niet kan zien."
        ),
    )
    # Optional: whose consent the photo needs. Checked whenever the issue is shown or
    # e-mailed (``NewsletterPage.withheld_photos``), so a withdrawn consent counts at once.
    pupils = blocks.ListBlock(
        SnippetChooserBlock("people.Pupil"),
        label=_("kinderen op de foto"),
        default=[],
        help_text=_(
            "Niet verplicht. Staat een kind op de foto zonder toestemming voor foto's op de "
            "website van school, dan tonen we de foto niet in de nieuwsbrief en niet in de "
            "e-mail."
        ),
    )

    class Meta:
        icon = "image"
        label = _("Foto met onderschrift")
        template = "pages/blocks/image.html"


class CallToActionBlock(blocks.StructBlock):
    """A button to a web page or to a document of the school (one of the two)."""

    text = blocks.CharBlock(label=_("tekst op de knop"), max_length=80)
    url = blocks.URLBlock(label=_("link"), required=False)
    document = DocumentChooserBlock(label=_("of een document"), required=False)

    class Meta:
        icon = "link"
        label = _("Knop (link of document)")
        template = "pages/blocks/call_to_action.html"

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("url")) == bool(value.get("document")):
            message = _("Kies een link of een document (één van de twee).")
            raise StructBlockValidationError(block_errors={"url": ValidationError(message)})
        return value


class GroupNewsBlock(blocks.StructBlock):
    """Uit de groepen: a short item about one group."""

    group = SnippetChooserBlock("people.Group", label=_("groep"))
    text = blocks.TextBlock(label=_("tekst"), max_length=1000)

    class Meta:
        icon = "group"
        label = _("Uit de groepen")
        template = "pages/blocks/group_news.html"


class AgendaBlock(blocks.StructBlock):
    """The school's coming agenda, read from the agenda when the issue is read: an item
    changed or added after publication shows as it is now."""

    heading = blocks.CharBlock(label=_("kop"), max_length=80, default=_("Agenda"))
    weeks = blocks.IntegerBlock(
        label=_("aantal weken vooruit"), min_value=1, max_value=12, default=4
    )

    class Meta:
        icon = "date"
        label = _("Agenda")
        template = "pages/blocks/agenda.html"

    def occurrences(self, value, school_id, today=None):
        """The school's whole-school occurrences from today on, for ``value["weeks"]``."""
        from schoolportal.agenda.schedule import school_occurrences

        if school_id is None:
            return []
        first = today or timezone.localdate()
        return school_occurrences(school_id, first, first + timedelta(weeks=value["weeks"]))

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = (parent_context or {}).get("page")
        context["occurrences"] = self.occurrences(value, getattr(page, "school_id", None))
        return context


class NewsletterBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Kop"),
        max_length=120,
        form_classname="title",
        icon="title",
        template="pages/blocks/heading.html",
    )
    text = blocks.RichTextBlock(
        label=_("Tekst"), features=TEXT_FEATURES, template="pages/blocks/text.html"
    )
    image = ImageBlock()
    call_to_action = CallToActionBlock()
    group_news = GroupNewsBlock()
    agenda = AgendaBlock()
