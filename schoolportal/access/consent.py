"""Photo consent: whose consent and consent history a staff member reads in the admin.

A teacher reads it for the groups they teach (they take the photos there); management and
administration for every pupil of their school. Nobody changes the history: it is written
only by ``schoolportal.consent.recording`` when a pupil's consent is saved.
"""

from django.db.models import Q

from schoolportal.consent.models import ConsentChange
from schoolportal.people.models import Pupil

from .absences import staff_absence_groups
from .scope import is_anonymous, scope


def consent_groups(user):
    """Groups whose consent overview the user may open: taught, or of a managed school (the
    groups whose absences they follow)."""
    return staff_absence_groups(user)


def consent_pupils(user):
    """Pupils whose consent and its history the user may read (a pupil without a group is
    management's)."""
    if is_anonymous(user):
        return Pupil.objects.none()
    if user.is_superuser:
        return Pupil.objects.all()
    rights = scope(user)
    return Pupil.objects.filter(
        Q(group_id__in=rights.taught_group_ids) | Q(school_id__in=rights.managed_school_ids)
    )


def consent_history(user, pupil):
    """The consent changes of ``pupil``, newest first, if the user may read them."""
    if not consent_pupils(user).filter(pk=pupil.pk).exists():
        return ConsentChange.objects.none()
    return ConsentChange.objects.filter(pupil=pupil).select_related("changed_by")
