from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import HelpPanel

from schoolportal import access

from .forms import tagged_without_consent


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
            context["hidden_photos"] = self.hidden_photos()
            return context

        def hidden_photos(self):
            """(caption, tagged children without consent) per photo row other parents will
            not see, as the rows are now (posted or saved): the summary above the rows."""
            formset = getattr(self.form, "formsets", {}).get("photos")
            if formset is None:
                return []
            rows = []
            for form in formset.forms:
                if is_deleted(form):
                    continue
                pupils = tagged_without_consent(form)
                if pupils:
                    rows.append((form["caption"].value() or _("Foto zonder onderschrift"), pupils))
            return rows


class PhotoTagsConsentPanel(HelpPanel):
    """Beside a photo row: the tagged children without consent for photos on the group page,
    for whom the photo is hidden from other parents (``access.photos_shown_to``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("template", "pages/panels/photo_tags_consent.html")
        super().__init__(**kwargs)

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.without_consent = tagged_without_consent(self.form) if self.form else []

        def is_shown(self):
            return bool(self.without_consent)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["without_consent"] = self.without_consent
            return context


def is_deleted(form):
    """Whether a posted row is marked to be taken off (Wagtail's hidden DELETE field)."""
    if not form.is_bound or "DELETE" not in form.fields:
        return False
    return bool(form.fields["DELETE"].to_python(form["DELETE"].data))


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
