"""Privacy: who handles a guardian's deletion request and reads the privacy log.

Management and administration of a school do, for the guardians of its pupils. A guardian
with a child at another school is handled by staff who manage that school too (or the
installation's superuser): erasing them removes what that other school has of them as well.
The processing overview is for the same people, for their own schools.
"""

from django.db.models import Exists, OuterRef, Q

from schoolportal.people.models import Guardian, Guardianship, School
from schoolportal.privacy.models import PrivacyLogEntry

from .scope import is_anonymous, managed_schools, scope


def privacy_schools(user):
    """Ids of the schools whose privacy the user handles."""
    if is_anonymous(user):
        return []
    return list(scope(user).managed_school_ids)


def may_handle_privacy(user):
    return not is_anonymous(user) and (user.is_superuser or bool(privacy_schools(user)))


def erasable_guardians(user):
    """Guardians whose deletion request the user may preview and carry out."""
    if is_anonymous(user):
        return Guardian.objects.none()
    if user.is_superuser:
        return Guardian.objects.all()
    schools = privacy_schools(user)
    elsewhere = Guardianship.objects.filter(guardian=OuterRef("pk")).exclude(
        pupil__school_id__in=schools
    )
    return Guardian.objects.filter(
        Exists(Guardianship.objects.filter(guardian=OuterRef("pk"), pupil__school_id__in=schools))
    ).exclude(Exists(elsewhere))


def privacy_school_of(user, guardian):
    """The school of the user's that ``guardian``'s children go to: where the deletion
    request is logged."""
    return (
        School.objects.filter(pupils__guardianships__guardian=guardian)
        .filter(pk__in=managed_schools(user).values("pk"))
        .order_by("pk")
        .first()
    )


def privacy_log_entries(user):
    """The retention runs (the whole installation's counts, no names) and the deletion
    requests of the user's schools."""
    if is_anonymous(user):
        return PrivacyLogEntry.objects.none()
    if user.is_superuser:
        return PrivacyLogEntry.objects.all()
    schools = privacy_schools(user)
    if not schools:
        return PrivacyLogEntry.objects.none()
    return PrivacyLogEntry.objects.filter(Q(school__isnull=True) | Q(school_id__in=schools))
