"""Calendar apps poll the feed; a school's agenda version tells them cheaply whether it changed."""

from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from schoolportal.people.models import Group, Guardianship, Pupil, School

from .models import AgendaException, AgendaItem


def touch_school_agenda(*school_ids):
    School.objects.filter(pk__in=[pk for pk in school_ids if pk]).update(
        agenda_changed_at=timezone.now()
    )


@receiver(pre_save, sender=Pupil)
def remember_pupil_placement(sender, instance, **kwargs):
    instance._previous_placement = (
        Pupil.objects.filter(pk=instance.pk).values_list("group", "school").first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Pupil)
def pupil_moved(sender, instance, created, **kwargs):
    """A child in another group sees other agenda items: their parents' feeds changed."""
    previous = getattr(instance, "_previous_placement", None)
    if previous != (instance.group_id, instance.school_id) and not created:
        touch_school_agenda(instance.school_id, previous[1] if previous else None)


@receiver(post_save, sender=Guardianship)
@receiver(post_delete, sender=Guardianship)
def guardianship_changed(sender, instance, **kwargs):
    """Every school of the family moves on, so Last-Modified never goes back in time."""
    schools = Pupil.objects.filter(
        Q(pk=instance.pupil_id) | Q(guardianships__guardian_id=instance.guardian_id)
    ).values_list("school", flat=True)
    touch_school_agenda(*set(schools))


@receiver(pre_save, sender=AgendaItem)
def remember_agenda_school(sender, instance, **kwargs):
    instance._previous_school_id = (
        AgendaItem.objects.filter(pk=instance.pk).values_list("school", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=AgendaItem)
@receiver(post_delete, sender=AgendaItem)
def agenda_item_changed(sender, instance, **kwargs):
    """An item moved to another school leaves the old school's feeds too."""
    touch_school_agenda(instance.school_id, getattr(instance, "_previous_school_id", None))


@receiver(post_delete, sender=Group)
def group_deleted(sender, instance, **kwargs):
    """Deleting a group takes its pupils out of it with a bulk update that sends no signal."""
    touch_school_agenda(instance.school_id)


@receiver(m2m_changed, sender=AgendaItem.groups.through)
def agenda_groups_changed(sender, instance, **kwargs):
    if isinstance(instance, AgendaItem):
        touch_school_agenda(instance.school_id)


@receiver(post_save, sender=AgendaException)
@receiver(post_delete, sender=AgendaException)
def agenda_exception_changed(sender, instance, **kwargs):
    school_id = AgendaItem.objects.filter(pk=instance.item_id).values_list("school", flat=True)
    for pk in school_id:
        touch_school_agenda(pk)
