from django import forms
from django.apps import apps
from django.forms.models import ModelChoiceIterator
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
            self.offer_pupils_on_photos(None)
            return
        group_page = self.group_page()
        self.offer_pupils_on_photos(group_page)
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

    def offer_pupils_on_photos(self, group_page):
        """An album's photo rows offer the group's children to tag ("Op de foto"), read once
        for all rows (``photo_row_form``). Set before the rows are made: also the row a
        script adds (the formset's empty form, made anew whenever it is asked for) must
        offer no other children."""
        formset = self.formsets.get("photos")
        if formset is None or "pupils" not in formset.form.base_fields:
            return
        group = getattr(group_page, "group", None)
        offered = []
        if group is not None:
            pupils = access.pupils_for(self.for_user).filter(group=group)
            offered = list(pupils.order_by("first_name", "last_name", "pk"))
        formset.form = photo_row_form(formset.form, offered)

    def group_page(self):
        """The group page this page is or lies below (an album's parent, when it is new)."""
        return group_page_of(self.instance, self.parent_page)


class ListedChoiceIterator(ModelChoiceIterator):
    """Choices from a list read once (``field.listed_choices``): every photo row of an album
    offers the same children, and would otherwise read them again per row."""

    def __iter__(self):
        for pupil in self.field.listed_choices:
            yield self.choice(pupil)

    def __len__(self):
        return len(self.field.listed_choices)

    def __bool__(self):
        return bool(self.field.listed_choices)


def photo_row_form(row_form, offered):
    """The form of an album's photo rows, offering ``offered`` (the group's children) to tag,
    and the children the row has tagged already: a child who left or moved to another group
    stays on last year's photos, and saving the album unchanged must not drop the tag (that
    would show the photo to everybody)."""
    Pupil = apps.get_model("people", "Pupil")
    offered_ids = {pupil.pk for pupil in offered}

    class PhotoRowForm(row_form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            tagged = list(self.initial.get("pupils") or [])
            held = [pupil for pupil in tagged if getattr(pupil, "pk", pupil) not in offered_ids]
            if held and not all(isinstance(pupil, Pupil) for pupil in held):
                held = list(Pupil.objects.filter(pk__in=[getattr(p, "pk", p) for p in held]))
            listed = offered + sorted(held, key=lambda pupil: (pupil.first_name, pupil.last_name))
            field = self.fields["pupils"]
            field.listed_choices = listed
            field.iterator = ListedChoiceIterator  # before the queryset: it sets the widget's
            field.queryset = Pupil.objects.filter(pk__in=[pupil.pk for pupil in listed])
            # For the row's warning (``panels.PhotoTagsConsentPanel``).
            self.pupils_without_consent = {
                pupil.pk: pupil for pupil in listed if not pupil.photo_consent_group_page
            }

    return PhotoRowForm


def tagged_without_consent(form):
    """The children tagged on a photo row (as the row shows them now: posted or saved) who
    have no consent for photos on the group page: the photo is hidden from other parents."""
    without_consent = getattr(form, "pupils_without_consent", None)
    if not without_consent or "pupils" not in form.fields:
        return []
    ids = {str(value) for value in form["pupils"].value() or []}
    return [pupil for pk, pupil in without_consent.items() if str(pk) in ids]


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
