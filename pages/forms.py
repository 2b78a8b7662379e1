from django import forms
from django.apps import apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from schoolportal import access


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
        return group_page_of(self.instance, self.parent_page)


def group_page_of(page, parent_page):
    """The group page ``page`` is or lies below; ``parent_page`` while it is new."""
    # Looked up by name: the page types import these forms (their ``base_form_class``).
    GroupPage = apps.get_model("pages", "GroupPage")

    if isinstance(page, GroupPage):
        return page
    parent = parent_page
    if parent is None and page is not None and page.pk:
        parent = page.get_parent()
    return GroupPage.objects.filter(pk=parent.pk).first() if parent is not None else None


class BlogPostPageForm(GroupContentPageForm):
    """A photo above a post needs its caption before parents see it; a draft may wait."""

    def clean(self):
        cleaned_data = super().clean()
        photo, caption = cleaned_data.get("photo"), cleaned_data.get("photo_caption", "")
        if photo is not None and not caption.strip() and not self.is_deferred_validation:
            self.add_error("photo_caption", _("Beschrijf wat er op de foto te zien is."))
        return cleaned_data


class MultiplePhotosInput(forms.FileInput):
    """A plain file input taking many files: choosing 30 photos from a phone's gallery
    works without any script."""

    allow_multiple_selected = True

    class Media:
        js = ["admin/js/album-upload.js"]


class NewPhotosField(forms.FileField):
    """The files are checked and stored one by one as the form is made
    (``PhotoAlbumPageForm``): a bad file must not cost the teacher the good ones."""

    widget = MultiplePhotosInput(attrs={"accept": "image/*"})

    def clean(self, data, initial=None):
        return []

    def has_changed(self, initial, data):
        return bool(data)  # none chosen is an empty list, which FileField counts as a change


class PhotoAlbumPageForm(GroupContentPageForm):
    """An album's form, with an upload of many photos at once beside its photo rows.

    Each uploaded file becomes a photo in the group page's own collection (Wagtail's image
    form checks its type, size and pixels; nothing else is asked) and a new row of the
    album, with its caption still to write. That happens before the form reads its rows, so
    whatever else the form then says (a caption is required to publish), the new photos are
    there as rows and are not uploaded again; a file that is not a usable photo is named in
    an error, and the others are kept.
    """

    upload_field = "new_photos"
    rows = "photos"

    new_photos = NewPhotosField(
        label=_("Foto's toevoegen"),
        required=False,
        help_text=_(
            "Kies één of meer foto's tegelijk. Ze komen onderaan bij de foto's van het album; "
            "schrijf daarna bij elke foto wat erop te zien is."
        ),
    )

    def __init__(self, data=None, files=None, *args, **kwargs):
        self.upload_errors = []
        uploads = files.getlist(self.upload_field) if files else []
        if data is not None and uploads:
            group_page = group_page_of(kwargs.get("instance"), kwargs.get("parent_page"))
            images = self.store_uploads(uploads, kwargs.get("for_user"), group_page)
            data = self.with_rows_for(data, images)
        super().__init__(data, files, *args, **kwargs)

    def store_uploads(self, uploads, user, group_page):
        """The uploads as images in the group page's collection; errors for the others."""
        from wagtail.images import get_image_model
        from wagtail.images.forms import get_image_form
        from wagtail.permissions import policy_registry

        model = get_image_model()
        collection_id = getattr(group_page, "collection_id", None)
        may_add = (
            user is not None
            and collection_id is not None
            and policy_registry.get_by_type(model)
            .collections_user_has_permission_for(user, "add")
            .filter(pk=collection_id)
            .exists()
        )
        if not may_add:
            self.upload_errors.append(_("Hier kunnen geen foto's worden toegevoegd."))
            return []
        image_form = get_image_form(model, fields=("title", "file", "collection"))
        images = []
        for upload in uploads:
            form = image_form(
                {"title": upload.name[:255], "collection": collection_id},
                {"file": upload},
                user=user,
            )
            if not form.is_valid():
                reasons = [message for messages in form.errors.values() for message in messages]
                self.upload_errors.append(
                    gettext("%(file)s is niet toegevoegd: %(reason)s")
                    % {"file": upload.name, "reason": " ".join(reasons)}
                )
                continue
            image = form.save(commit=False)
            # The same file sent again (a second click, a form sent twice) is the photo that
            # is there already, not a copy.
            twin = (
                model.objects.filter(collection_id=collection_id, file_hash=image.file_hash)
                .order_by("pk")
                .first()
                if image.file_hash
                else None
            )
            if twin is None:
                image.uploaded_by_user = user
                image.save()
            images.append(twin or image)
        return images

    def with_rows_for(self, data, images):
        """``data`` with a new photo row for each of ``images``, filling the empty rows first
        (a new album has one)."""
        data = data.copy()
        prefix = self.rows

        def row(index, name):
            return data.get(f"{prefix}-{index}-{name}", "")

        total = data.get(f"{prefix}-TOTAL_FORMS", "")
        if not total.isdigit():
            return data  # not the album's form: the formset says so
        total = int(total)
        present = {row(index, "image") for index in range(total)}
        empty = [
            index
            for index in range(total)
            if not any(row(index, name) for name in ("id", "image", "caption", "DELETE"))
        ]
        orders = [
            int(row(index, "ORDER")) for index in range(total) if row(index, "ORDER").isdigit()
        ]
        order = max(orders, default=0)
        for image in images:
            if str(image.pk) in present:
                continue  # the same photo twice is one row
            present.add(str(image.pk))
            if empty:
                index = empty.pop(0)
            else:
                index, total = total, total + 1
            order += 1
            data[f"{prefix}-{index}-image"] = str(image.pk)
            data[f"{prefix}-{index}-caption"] = ""
            data[f"{prefix}-{index}-ORDER"] = row(index, "ORDER") or str(order)
        data[f"{prefix}-TOTAL_FORMS"] = str(total)
        return data

    def clean(self):
        cleaned_data = super().clean()
        for message in self.upload_errors:
            self.add_error(self.upload_field, message)
        return cleaned_data
