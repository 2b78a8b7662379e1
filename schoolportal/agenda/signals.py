"""Calendar apps poll the feed; a school's agenda version tells them cheaply whether it changed."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from schoolportal.people.models import School

from .models import AgendaException, AgendaItem


def touch_school_agenda(school_id):
    School.objects.filter(pk=school_id).update(agenda_changed_at=timezone.now())


@receiver(post_save, sender=AgendaItem)
@receiver(post_delete, sender=AgendaItem)
def agenda_item_changed(sender, instance, **kwargs):
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
