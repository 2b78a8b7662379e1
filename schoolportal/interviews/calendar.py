"""Booked interviews as calendar events: in the parent's and the teacher's personal feed
(Agenda delen) and as an .ics download."""

from django.utils.translation import gettext as _

from schoolportal.agenda.ical import timed_event


def summary(booking, for_teacher):
    if for_teacher:
        return _("Oudergesprek %(pupil)s") % {"pupil": booking.pupil.full_name}
    return _("Oudergesprek %(pupil)s met %(teacher)s") % {
        "pupil": booking.pupil.first_name,
        "teacher": booking.slot.teacher.display_name,
    }


def description(booking):
    lines = [booking.round.title]
    if booking.round.video_link:
        lines.append(booking.round.video_link)
    if booking.subject:
        lines.append(_("Onderwerp: %(subject)s") % {"subject": booking.subject})
    return "\n".join(lines)


def booking_event(booking, domain, for_teacher=False):
    """A function ``(stamp) -> Event`` for ``booking`` (with slot, teacher, round, pupil).
    The UID stays the same when the parent moves it, so a calendar moves the event."""
    slot = booking.slot

    def event(stamp):
        return timed_event(
            f"interview-{booking.pk}{'-teacher' if for_teacher else ''}@{domain}",
            summary(booking, for_teacher),
            slot.starts_at,
            slot.ends_at,
            stamp,
            location=slot.location,
            description=description(booking),
            modified=booking.updated_at,
        )

    return event
