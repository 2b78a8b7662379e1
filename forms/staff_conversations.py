"""What staff fill in for Berichten in the admin: a reply, a new message, a parent added.

The choices come from ``access`` (``staff_conversations``): a posted id outside them is
refused with a Dutch message, and what was typed stays in the form.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from schoolportal.conversations.sending import validate_uploads

NOT_OFFERED = _("Deze ontvanger kunt u hier niet kiezen. Kies uit de lijst.")


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented way: a widget that allows it and a
    field that cleans each file)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def attachments_help():
    return _("Bijvoorbeeld een PDF of foto; samen hooguit %(size)s.") % {
        "size": filesizeformat(settings.MAILING_ATTACHMENT_MAX_SIZE)
    }


class ReplyForm(forms.Form):
    """A message in a conversation: text and files (the rules of mailing attachments)."""

    body = forms.CharField(
        label=_("Bericht"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    attachments = MultipleFileField(label=_("Bijlagen"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Here, not on the field: in the request's language and with today's limit.
        self.fields["attachments"].help_text = attachments_help()

    def clean_body(self):
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Schrijf een bericht."))
        return body

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        validate_uploads(files)
        return files


class ComposeForm(ReplyForm):
    """A new message from one school: to parents (one by one or a whole group at once) and
    colleagues. ``guardians``, ``groups`` and ``colleagues`` are the ids the writer may
    choose (``access.addressable_*``)."""

    subject = forms.CharField(label=_("Onderwerp"), max_length=200)
    guardian_ids = forms.TypedMultipleChoiceField(
        label=_("Ouders/verzorgers"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": NOT_OFFERED},
    )
    group_ids = forms.TypedMultipleChoiceField(
        label=_("Alle ouders van een groep"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": NOT_OFFERED},
    )
    colleague_ids = forms.TypedMultipleChoiceField(
        label=_("Collega's"),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": NOT_OFFERED},
    )
    field_order = ["subject", "body", "attachments"]

    def __init__(self, *args, guardians, groups, colleagues, **kwargs):
        super().__init__(*args, **kwargs)
        for name, ids in (
            ("guardian_ids", guardians),
            ("group_ids", groups),
            ("colleague_ids", colleagues),
        ):
            self.fields[name].choices = [(pk, pk) for pk in sorted(set(ids))]

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned.get(name) for name in ("guardian_ids", "group_ids", "colleague_ids")]
        if not self.errors and not any(chosen):
            raise ValidationError(_("Kies ten minste één ontvanger."), code="no_recipient")
        return cleaned

    def chosen(self, name):
        """The ids ticked in a recipient field, also when the form was not valid (to tick
        them again)."""
        if self.is_bound:
            return {value for value in self.data.getlist(name) if value.isdigit()}
        return set()


class AddGuardiansForm(forms.Form):
    """The other parent(s) of a child added to a conversation."""

    guardian_ids = forms.TypedMultipleChoiceField(
        label=_("Ouder/verzorger toevoegen"),
        coerce=int,
        error_messages={
            "invalid_choice": _("Deze ouder kunt u niet aan dit gesprek toevoegen."),
            "required": _("Kies wie u wilt toevoegen."),
        },
    )

    def __init__(self, *args, guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian_ids"].choices = [
            (guardian.pk, guardian.full_name) for guardian in guardians
        ]
