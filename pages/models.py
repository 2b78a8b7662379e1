import os

from django.db import models
from django.forms import CheckboxSelectMultiple
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PagePermissionTester

from forms.widgets import NativeDateInput

from .base import PortalServedPage
from .forms import BlogPostPageForm, GroupContentPageForm, PhotoAlbumPageForm

# The newsletter's page types live in their own module; imported here so Django finds them.
from .newsletters import NewsletterIndexPage, NewsletterPage  # noqa: F401
from .panels import PhotoConsentPanel, PhotoTagsConsentPanel


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
    subpage_types = ["pages.GroupPage", "pages.NewsletterIndexPage"]

    class Meta:
        verbose_name = _("schoolhomepagina")
        verbose_name_plural = _("schoolhomepagina's")


# --- Group pages ----------------------------------------------------------------------------
#
# Every group (class) gets a page under its school's home page, created with the group
# (see ``pages.provisioning``). Its teachers edit it and what lies below it in the admin;
# parents read it in the portal, and only when a child of theirs is in the group
# (``access.group_pages_for``). These pages are never served at their own URL: Wagtail's
# ``serve`` sends the visitor to the portal view, which asks ``access``.

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h2", "h3"]

# The sizes parents see a photo in: always JPEG (a screenshot would otherwise be a large PNG)
# and never with the camera's metadata (``stripmetadata``, see wagtail_hooks).
PHOTO_SIZES = {
    "thumbnail": "fill-480x360|format-jpeg|jpegquality-80|stripmetadata",
    "large": "max-1600x1200|format-jpeg|jpegquality-85|stripmetadata",
}


class GroupPagePermissionTester(PagePermissionTester):
    """Editors change a group page and write below it, but the page belongs to its group:
    it is made with the group and goes with it (``pages.signals``), never by hand."""

    def can_delete(self, ignore_bulk=False):
        return self.user.is_superuser and super().can_delete(ignore_bulk)

    def can_move(self):
        return self.user.is_superuser and super().can_move()

    def can_copy(self):
        return False  # a copy would be a second page for the same group

    def can_set_view_restrictions(self):
        return self.user.is_superuser  # the page stays marked private (``provisioning``)


class GroupPage(PortalServedPage):
    """A group's own page: an introduction, files, and below it the blog and photo albums."""

    # Deleting a group deletes its page through Wagtail's tree (``pages.signals``); the
    # database only lets go of the reference (a cascade would corrupt the tree).
    group = models.OneToOneField(
        "people.Group",
        on_delete=models.SET_NULL,
        null=True,
        related_name="page",
        verbose_name=_("groep"),
    )
    intro = RichTextField(
        _("introductie"),
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text=_("Staat bovenaan de groepspagina, bijvoorbeeld een welkom van de leerkracht."),
    )
    # Made with the page (``pages.provisioning``): the Wagtail group whose members edit this
    # page's subtree, and the collection that holds its photos and files.
    editors = models.OneToOneField(
        "auth.Group", on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        editable=False,
        related_name="+",
    )

    # The group is set when the page is made; a teacher cannot move it to another group.
    # Off: no reactions under any of the group's posts (``schoolportal.reactions``).
    reactions_enabled = models.BooleanField(
        _("reacties onder blogberichten"),
        default=True,
        help_text=_(
            "Ouders en leerkrachten kunnen onder de blogberichten van deze groep reageren."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("group", read_only=True),
        FieldPanel("intro"),
        InlinePanel("files", heading=_("Bestanden"), label=_("bestand")),
        FieldPanel("reactions_enabled"),
    ]
    promote_panels = []
    base_form_class = GroupContentPageForm

    parent_page_types = ["pages.SchoolHomePage"]
    subpage_types = ["pages.BlogPostPage", "pages.PhotoAlbumPage"]
    portal_url_name = "grouppages:group"
    preview_template = "pages/preview/group_page.html"

    def permissions_for_user(self, user):
        return GroupPagePermissionTester(user, self)

    def get_preview_context(self, request, mode_name):
        context = super().get_preview_context(request, mode_name)
        # Newest first, as the portal lists them (schoolportal/grouppages/views.py).
        for name, model in (("posts", BlogPostPage), ("albums", PhotoAlbumPage)):
            below = model.objects.live().child_of(self) if self.pk else model.objects.none()
            context[name] = below.order_by("-date", "-pk")
        return context

    class Meta:
        verbose_name = _("groepspagina")
        verbose_name_plural = _("groepspagina's")


class GroupPageFile(Orderable):
    """A file on a group page: parents download it through the portal."""

    page = ParentalKey(GroupPage, on_delete=models.CASCADE, related_name="files")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("bestand"),
    )
    description = models.CharField(_("omschrijving"), max_length=255, blank=True)

    panels = [FieldPanel("document"), FieldPanel("description")]

    class Meta(Orderable.Meta):
        verbose_name = _("bestand")
        verbose_name_plural = _("bestanden")

    def __str__(self):
        return self.document.title

    @property
    def filename(self):
        """The name parents download it under: the title they read on the page, with the
        file's extension (as a mailing's attachments)."""
        from schoolportal.mailings.models import UNSAFE_IN_FILENAMES

        extension = os.path.splitext(self.document.file.name)[1].lower()
        title = UNSAFE_IN_FILENAMES.sub(" ", self.document.title).strip(" .") or _("bestand")
        return title if title.lower().endswith(extension) else f"{title}{extension}"


class GroupChildPage(PortalServedPage):
    """A blog post or photo album: dated, and only below a group page."""

    date = models.DateField(_("datum"), default=timezone.localdate)

    parent_page_types = ["pages.GroupPage"]
    subpage_types = []

    class Meta:
        abstract = True


class BlogPostPage(GroupChildPage):
    """A post in the group's blog, written by the teacher (or by a klassenouder, approved by
    the teacher), with a photo if she likes.

    The photo is a field, not an image in the rich text: Wagtail's rich-text images link
    to MEDIA_URL, which parents are never served; this one goes through the portal's
    permission-checked photo view like an album's.
    """

    body = RichTextField(_("tekst"), features=RICH_TEXT_FEATURES)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("foto"),
        help_text=_("Eén foto boven het bericht. Voor veel foto's: maak een fotoalbum."),
    )
    # Required with a photo (``BlogPostPageForm``): as an album photo's caption, the text
    # alternative.
    photo_caption = models.CharField(
        _("onderschrift"),
        max_length=255,
        blank=True,
        help_text=_(
            "Wat er op de foto te zien is. Ook de beschrijving voor wie de foto niet kan zien."
        ),
    )
    # Off: this post has no reactions (``schoolportal.reactions``), whatever the group says.
    reactions_enabled = models.BooleanField(
        _("reacties toestaan"),
        default=True,
        help_text=_("Ouders en leerkrachten van de groep kunnen onder dit bericht reageren."),
    )

    # Set when a klassenouder wrote the post in the portal (``schoolportal.classposts``): the
    # post names its author, and it is in their "Mijn berichten". Staff's posts have none.
    class_parent = models.ForeignKey(
        "people.Guardian",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="class_posts",
        verbose_name=_("geschreven door klassenouder"),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("date", widget=NativeDateInput),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("photo"), FieldPanel("photo_caption"), PhotoConsentPanel()],
            heading=_("Foto"),
        ),
        FieldPanel("reactions_enabled"),
    ]
    promote_panels = []
    base_form_class = BlogPostPageForm
    portal_url_name = "grouppages:post"
    preview_template = "pages/preview/blog_post_page.html"
    PHOTO_SIZE = PHOTO_SIZES["large"]

    def with_content_json(self, content):
        # Restoring an older revision never hands the post to another author.
        post = super().with_content_json(content)
        post.class_parent_id = self.class_parent_id
        return post

    class Meta:
        verbose_name = _("blogbericht")
        verbose_name_plural = _("blogberichten")
        ordering = ["-date", "-pk"]


class PhotoAlbumPage(GroupChildPage):
    """A photo album: photos with captions, shown only to the group's parents."""

    description = models.TextField(_("omschrijving"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("date", widget=NativeDateInput),
        FieldPanel("description"),
        # Where the teacher adds photos: the upload, beside it who may not be on them, and
        # the photos to caption.
        FieldPanel("new_photos"),
        PhotoConsentPanel(),
        InlinePanel("photos", heading=_("Foto's"), label=_("foto"), min_num=1),
    ]
    promote_panels = []
    base_form_class = PhotoAlbumPageForm
    portal_url_name = "grouppages:album"
    preview_template = "pages/preview/photo_album_page.html"

    class Meta:
        verbose_name = _("fotoalbum")
        verbose_name_plural = _("fotoalbums")
        ordering = ["-date", "-pk"]


class AlbumPhoto(Orderable, ClusterableModel):
    """One photo of an album. Its files are served by the portal, never from MEDIA_URL.

    A photo on which the teacher tagged a child without consent for photos on the group page
    is shown only to that child's guardians and the group page's editors
    (``access.album_photos_for``); the album editor names those children per photo.
    """

    album = ParentalKey(PhotoAlbumPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("foto"),
    )
    # Required: it is the photo's text alternative (a file name such as IMG_2034 is none).
    caption = models.CharField(
        _("onderschrift"),
        max_length=255,
        help_text=_(
            "Wat er op de foto te zien is. Ook de beschrijving voor wie de foto niet kan zien."
        ),
    )

    # Parental: the tags are part of the album's revisions, so a draft's tags wait for its
    # publication like its captions. The editor offers the group's children only
    # (``GroupContentPageForm``).
    pupils = ParentalManyToManyField(
        "people.Pupil",
        blank=True,
        related_name="album_photos",
        verbose_name=_("op de foto"),
        help_text=_(
            "Kies de kinderen die op de foto staan. Staat er een kind op zonder toestemming "
            "voor foto's op de groepspagina, dan zien alleen de ouders van dat kind en het "
            "team de foto."
        ),
    )

    panels = [
        FieldPanel("image"),
        FieldPanel("caption"),
        FieldPanel("pupils", widget=CheckboxSelectMultiple),
        PhotoTagsConsentPanel(),
    ]

    SIZES = PHOTO_SIZES

    class Meta(Orderable.Meta):
        verbose_name = _("foto")
        verbose_name_plural = _("foto's")

    def __str__(self):
        return self.caption

    def pupils_without_consent(self):
        """The tagged children without consent for photos on the group page, as consented
        now: for them the photo is hidden from other parents. Read from the photo as it is
        (a preview's tags are those of the draft)."""
        return [pupil for pupil in self.pupils.all() if not pupil.photo_consent_group_page]


class SchoolCollection(models.Model):
    """A school's own collection of documents and photos, and the Wagtail group of its staff.

    Wagtail grants collection rights to Django groups. Every staff member of the school is in
    ``staff`` (``pages.provisioning``), which may add and choose documents in ``collection``
    and in the group pages' collections below it, and nowhere else: uploads and the admin's
    collection drop-downs stay within the school.
    """

    school = models.OneToOneField(
        "people.School", on_delete=models.CASCADE, related_name="media", verbose_name=_("school")
    )
    # A deleted collection or group only lets go of the link: provisioning makes new ones.
    collection = models.OneToOneField(
        "wagtailcore.Collection", on_delete=models.CASCADE, related_name="+"
    )
    staff = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("schoolcollectie")
        verbose_name_plural = _("schoolcollecties")

    def __str__(self):
        return str(self.collection)
