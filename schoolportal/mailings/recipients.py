"""Whom a mailing reaches: the pupils it is addressed to, their guardians and addresses."""

from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf

from schoolportal.people.models import Guardian, Guardianship, Pupil

from .models import AddressedPupil


def current_audience_pupils(mailing):
    """The pupils a mailing is addressed to today: every school of the board, the whole
    school, or its chosen groups; never a pupil who left."""
    if mailing.for_every_school:
        return Pupil.objects.current()
    pupils = Pupil.objects.current().filter(school_id=mailing.school_id)
    if mailing.for_whole_school:
        return pupils
    return pupils.filter(
        group_id__in=mailing.groups.through.objects.filter(mailing_id=mailing.pk).values("group_id")
    )


def audience_pupils(mailing):
    """The pupils of a mailing: those it was sent for, or (not sent yet) today's audience."""
    if mailing.sent_at is None:
        return current_audience_pupils(mailing)
    addressed = AddressedPupil.objects.filter(mailing_id=mailing.pk).values("pupil_id")
    return Pupil.objects.filter(pk__in=addressed)


def audience_guardianships(mailing):
    """Guardian–child pairs of the audience: whom a mailing reaches, and how families form."""
    return Guardianship.objects.filter(pupil__in=audience_pupils(mailing))


def mailing_recipients(mailing):
    """(e-mail address, user id) of every guardian of a pupil in the audience, once each."""
    return guardian_addresses(audience_guardianships(mailing).values("guardian_id"))


def guardian_addresses(guardian_ids):
    """(e-mail address, user id) of these guardians: the address a guardian keeps in their
    profile, else their login address; guardians with neither are left out."""
    return (
        Guardian.objects.filter(pk__in=guardian_ids)
        .annotate(address=Coalesce(NullIf("email", Value("")), "user__email"))
        .exclude(address__isnull=True)
        .exclude(address="")
        .values_list("address", "user_id")
    )
