from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class GroupContentPageForm(WagtailAdminPageForm):
    """Photos and files are chosen from what the editor may use on this group page.

    Wagtail's choosers only list what the editor may see, but the form fields would accept
    any id: a forged one (another school's photo or mailing attachment) would reach this
    group's parents. Restricting the fields' querysets refuses it like any invalid choice.
    ``access`` decides the choices, and they include what the page holds already, whoever
    uploaded it: a teacher must be able to save their page unchanged.
    """

    chosen_from = {
        "photos": ("image", "group_page_images"),
        "files": ("document", "group_page_documents"),
    }
    # The page's own fields, chosen as its rows' are (a blog post's photo).
    chosen_fields = {"photo": "group_page_images"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from schoolportal import access  # access imports the page models

        if self.for_user is None:
            return
        group_page = self.group_page()
        for relation, (field, rule) in self.chosen_from.items():
            formset = self.formsets.get(relation)
            if formset is None:
                continue
            # Not below a group page (not made by the admin): nothing may be chosen.
            allowed = (
                formset.empty_form.fields[field].queryset.none()
                if group_page is None
                else getattr(access, rule)(self.for_user, group_page)
            )
            for form in [*formset.forms, formset.empty_form]:
                form.fields[field].queryset = allowed
        for field, rule in self.chosen_fields.items():
            if field not in self.fields:
                continue
            choices = self.fields[field].queryset
            allowed = (
                choices.none()
                if group_page is None
                else getattr(access, rule)(self.for_user, group_page)
            )
            held = getattr(self.instance, f"{field}_id", None)
            if held is not None:
                allowed = allowed | choices.filter(pk=held)
            self.fields[field].queryset = allowed

    def group_page(self):
        """The group page this page is or lies below (an album's parent, when it is new)."""
        from .models import GroupPage

        if isinstance(self.instance, GroupPage):
            return self.instance
        parent = self.parent_page
        if parent is None and self.instance.pk:
            parent = self.instance.get_parent()
        return GroupPage.objects.filter(pk=parent.pk).first() if parent is not None else None


class BlogPostPageForm(GroupContentPageForm):
    """A photo above a post needs its caption before parents see it; a draft may wait."""

    def clean(self):
        cleaned_data = super().clean()
        photo, caption = cleaned_data.get("photo"), cleaned_data.get("photo_caption", "")
        if photo is not None and not caption.strip() and not self.is_deferred_validation:
            self.add_error("photo_caption", _("Beschrijf wat er op de foto te zien is."))
        return cleaned_data
