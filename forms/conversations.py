"""Berichten in the portal: a new message to school staff, and a reply in a conversation."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from schoolportal.conversations.recipients import grouped_choices
from schoolportal.conversations.sending import validate_uploads

BODY_MAX_LENGTH = 20000
UNKNOWN_RECIPIENT = _(
    "U kunt alleen een bericht sturen aan medewerkers van de school van uw kind. Kies de "
    "ontvangers uit de lijst."
)
ONE_SCHOOL = _("Kies ontvangers van één school: een bericht gaat naar één school.")


class MultipleFileInput(forms.ClearableFileInput):
    # Django's documented way to accept several files in one field.
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AttachmentsMixin:
    def attachments_help(self):
        return _("Bijvoorbeeld een PDF of foto; samen hooguit %(size)s.") % {
            "size": filesizeformat(settings.MAILING_ATTACHMENT_MAX_SIZE)
        }

    def clean_attachments(self):
        uploads = self.cleaned_data.get("attachments") or []
        try:
            validate_uploads(uploads)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from error
        return uploads

    @property
    def lost_attachments(self):
        """Files were chosen but the form came back: a browser never keeps them."""
        return self.is_bound and bool(self.files.getlist("attachments")) and bool(self.errors)


class ComposeForm(AttachmentsMixin, forms.Form):
    """ "Opstellen": to one or more staff members of the child's school."""

    recipients = forms.MultipleChoiceField(
        label=_("Aan"),
        error_messages={"invalid_choice": UNKNOWN_RECIPIENT, "required": _("Kies een ontvanger.")},
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    body = forms.CharField(
        label=_("Bericht"), max_length=BODY_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 10})
    )
    attachments = MultipleFileField(label=_("Bijlagen"), required=False)

    def __init__(self, *args, addressees, **kwargs):
        super().__init__(*args, **kwargs)
        self.addressees = {person.value: person for person in addressees}
        field = self.fields["recipients"]
        field.choices = grouped_choices(addressees)
        # Without JavaScript: the plain list (recipient-combobox.js replaces this text).
        field.help_text = _(
            "Kies één of meer ontvangers; houd Ctrl (Mac: Cmd) ingedrukt om er meer te kiezen."
        )
        field.widget.attrs["data-recipient-combobox"] = ""
        self.fields["attachments"].help_text = self.attachments_help()

    def clean_recipients(self):
        # The choices list only the parent's own schools' staff: a posted guardian id,
        # another school's staff id or an unknown id already failed as an invalid choice.
        chosen = [self.addressees[value] for value in self.cleaned_data["recipients"]]
        if len({person.staff_member.school_id for person in chosen}) > 1:
            raise forms.ValidationError(ONE_SCHOOL)
        return chosen


class ReplyForm(AttachmentsMixin, forms.Form):
    body = forms.CharField(
        label=_("Uw antwoord"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Bijlagen"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = self.attachments_help()
