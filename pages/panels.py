from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import HelpPanel

from schoolportal import access


class PhotoConsentPanel(HelpPanel):
    """Tells the teacher, next to the photos, which children may not appear on them."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "pages/panels/photo_consent.html")
        kwargs.setdefault("heading", _("Toestemming voor foto's"))
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def group_page(self):
            parent = getattr(self.form, "parent_page", None)
            if parent is None and self.instance.pk:
                parent = self.instance.get_parent()
            return parent.specific if parent is not None else None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            group_page = self.group_page()
            group = getattr(group_page, "group", None)
            context["group"] = group
            context["without_consent"] = (
                access.pupils_for(self.request.user)
                .filter(group=group, photo_consent_group_page=False)
                .order_by("first_name", "last_name")
                if group is not None
                else []
            )
            return context


class NewsletterPhotoConsentPanel(HelpPanel):
    """Names, above the issue's blocks, the children marked on its photos who have no
    consent for photos on the school's website: those photos are not shown to parents."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "pages/panels/newsletter_photo_consent.html")
        kwargs.setdefault("heading", _("Toestemming voor foto's"))
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            # The draft being edited, as last saved: its marks, today's consents.
            withheld = self.instance.withheld_photos if self.instance.pk else {}
            context["withheld"] = [
                (self.instance.body[position].value["caption"], pupils)
                for position, pupils in withheld.items()
            ]
            return context
