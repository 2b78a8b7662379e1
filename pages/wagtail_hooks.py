from wagtail import hooks
from wagtail.images.image_operations import FilterOperation

from schoolportal import access


class StripMetadataOperation(FilterOperation):
    """``stripmetadata``: the rendition keeps no EXIF or XMP.

    Photos from phones carry where and when they were taken and with which device; Wagtail
    copies that into every rendition. Parents' copies of children's photos must not.
    """

    METADATA = ("exif", "xmp", "XML:com.adobe.xmp", "comment")

    def construct(self):
        pass

    def run(self, willow, image, env):
        info = getattr(getattr(willow, "image", None), "info", None)
        if info is not None:
            for key in self.METADATA:
                info.pop(key, None)
        return willow


@hooks.register("register_image_operations")
def register_strip_metadata():
    return [("stripmetadata", StripMetadataOperation)]


@hooks.register("construct_page_chooser_queryset")
def pages_the_editor_may_link_to(pages, request):
    """Link choosers list the pages of the editor's own schools that Wagtail lets them
    explore, not other groups' or schools' (their post and album titles name children and
    events). ``snippets.choosers`` keeps the chooser's parent pages within the same scope."""
    if request.user.is_superuser:
        return pages
    return pages.filter(pk__in=access.staff_pages(request.user).values("pk"))
