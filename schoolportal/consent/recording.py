"""Writing the consent history: the one way every screen that changes consent saves it.

The acting user is passed in by the view that knows them (no thread-local "current user"),
and the history is written in the same transaction as the change, so a change without its
history row (or the reverse) cannot exist.
"""

from django.db import transaction

from schoolportal.people.models import Pupil

from .models import ConsentChange, ConsentUse

FIELDS = [use.value for use in ConsentUse]


def stored_consent(pupil):
    """The pupil's consent as the database has it now ({field: bool}); {} for a new pupil."""
    if pupil.pk is None:
        return {}
    return Pupil.objects.filter(pk=pupil.pk).values(*FIELDS).first() or {}


def save_with_consent_history(pupil, save, actor, channel):
    """Save ``pupil`` by calling ``save()`` and keep a history row per consent that changed.

    ``save`` is the caller's own save (a form's, with its inline rows); it returns the saved
    pupil. The values before are read from the database, not from the instance a form may
    already have changed.
    """
    with transaction.atomic():
        before = stored_consent(pupil)
        saved = save()
        changes = [
            ConsentChange(
                pupil=saved,
                use=field,
                old_value=before.get(field),
                new_value=getattr(saved, field),
                changed_by=actor,
                changed_by_name=actor_name(actor),
                channel=channel,
            )
            for field in FIELDS
            if before.get(field) != getattr(saved, field)
        ]
        ConsentChange.objects.bulk_create(changes)
    return saved


def actor_name(user):
    return "" if user is None else str(user)  # the full name, or the address
