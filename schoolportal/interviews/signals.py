"""A booked, moved or cancelled interview changes the parent's and the teacher's calendar
feed: the school's agenda version moves on (see ``agenda.signals``)."""

from django.db.models.signals import post_delete, post_save

from schoolportal.agenda.signals import touch_school_agenda

from .models import InterviewBooking, InterviewRound


def booking_changed(sender, instance, **kwargs):
    school_id = InterviewRound.objects.filter(pk=instance.round_id).values_list(
        "school_id", flat=True
    )
    touch_school_agenda(*school_id)


def connect():
    post_save.connect(booking_changed, sender=InterviewBooking, dispatch_uid="interviews-feed")
    post_delete.connect(booking_changed, sender=InterviewBooking, dispatch_uid="interviews-feed-d")
