"""What happens to interview slots and bookings: generated from the teachers' days, booked,
moved and cancelled while booking is open.

That a slot holds one booking and a child one booking per round is the database's job
(``InterviewBooking``'s constraints): two parents who submit the same slot at the same
moment both pass the checks here, and the constraint lets exactly one of them in. The
loser's ``IntegrityError`` becomes ``SlotTaken``, with nothing saved.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from schoolportal.notifications import outbox

from .models import InterviewBooking, InterviewSlot, parse_breaks

CONFIRMATION = "interview_confirmation"


class BookingRefused(Exception):
    """A booking that cannot be made; the view words the reason."""


class NotOpenYet(BookingRefused):
    def __init__(self, opens_at):
        super().__init__(opens_at)
        self.opens_at = opens_at


class Closed(BookingRefused):
    pass


class WrongGroup(BookingRefused):
    """The slot is not one of the child's teachers in a round for the child's group."""


class SlotTaken(BookingRefused):
    """Booked by another family (perhaps a moment ago) or blocked by the teacher."""


class ChildAlreadyBooked(BookingRefused):
    """The other parent booked this child in the same round a moment ago."""


# --- Slots ---------------------------------------------------------------------------------


def day_times(day, minutes):
    """(start, end) of every slot of ``day``: from its start, ``minutes`` long, skipping its
    breaks and ending by its end."""
    breaks = [(day.moment(start), day.moment(end)) for start, end in parse_breaks(day.breaks)]
    length = timedelta(minutes=minutes)
    start, last = day.moment(day.start_time), day.moment(day.end_time)
    times = []
    while start + length <= last:
        clash = next(
            (end for b_start, end in breaks if start < end and b_start < start + length), None
        )
        if clash is not None:
            start = clash  # after the break the grid starts again
            continue
        times.append((start, start + length))
        start += length
    return times


def generate_slots(interview_round):
    """Make the round's slots match its days: new times are added; generated times that no
    longer fit are removed unless booked (a teacher's single added slots stay).

    Returns (added, removed, kept_booked): kept_booked are booked slots outside the days.
    """
    wanted = {}
    for day in interview_round.days.all():
        location = day.room or interview_round.location
        for start, end in day_times(day, interview_round.slot_minutes):
            wanted[(day.teacher_id, start)] = (end, location)
    with transaction.atomic():
        existing = {
            (slot.teacher_id, slot.starts_at): slot
            for slot in InterviewSlot.objects.filter(round=interview_round).select_related(
                "booking"
            )
        }
        new = [
            InterviewSlot(
                round=interview_round,
                teacher_id=teacher,
                starts_at=start,
                ends_at=end,
                location=location,
            )
            for (teacher, start), (end, location) in wanted.items()
            if (teacher, start) not in existing
        ]
        InterviewSlot.objects.bulk_create(new)
        stale, kept = [], []
        for key, slot in existing.items():
            if key in wanted or slot.added_by_hand:
                continue
            (kept if hasattr(slot, "booking") else stale).append(slot.pk)
        InterviewSlot.objects.filter(pk__in=stale).delete()
    return len(new), len(stale), len(kept)


# --- Booking -------------------------------------------------------------------------------


def opens_for(interview_round, children_in_round):
    """When a family may start booking: earlier for families with several children in the
    round, where the school gives them a head start."""
    if interview_round.early_booking_days and children_in_round > 1:
        return interview_round.booking_opens_at - timedelta(days=interview_round.early_booking_days)
    return interview_round.booking_opens_at


def check_open(interview_round, children_in_round, now):
    if now < opens_for(interview_round, children_in_round):
        raise NotOpenYet(opens_for(interview_round, children_in_round))
    if now >= interview_round.booking_closes_at:
        raise Closed()


def fits(pupil, slot, group_ids, teacher_ids):
    """Whether ``slot`` is one of the child's: a round for the child's group, one of the
    group's teachers. ``group_ids``: the round's groups; ``teacher_ids``: the child's group's
    teachers."""
    return pupil.group_id in group_ids and slot.teacher_id in teacher_ids


def slot_is_for(pupil, slot):
    """``fits`` with the ids read from the database: for one slot and one child."""
    group_ids = set(slot.round.groups.values_list("pk", flat=True))
    teacher_ids = set(pupil.group.teachers.values_list("pk", flat=True)) if pupil.group else set()
    return fits(pupil, slot, group_ids, teacher_ids)


def book(
    pupil,
    slot,
    *,
    subject="",
    guardian=None,
    user=None,
    children_in_round=1,
    now=None,
    by_staff=False,
):
    """Book ``slot`` for ``pupil``, or move the child's booking in that round to it.

    Raises a ``BookingRefused`` (nothing saved). Staff book on behalf of a parent also
    outside the booking period. Returns the booking.
    """
    now = now or timezone.now()
    interview_round = slot.round
    if not by_staff:
        check_open(interview_round, children_in_round, now)
    if not slot_is_for(pupil, slot):
        raise WrongGroup()
    if slot.blocked:
        raise SlotTaken()
    by_user = user if user is not None and user.is_authenticated else None
    try:
        with transaction.atomic():
            booking = InterviewBooking.objects.filter(round=interview_round, pupil=pupil).first()
            created = booking is None
            if created:
                booking = InterviewBooking(round=interview_round, pupil=pupil)
            elif booking.slot_id == slot.pk:
                booking.subject = subject
                booking.save(update_fields=["subject", "updated_at"])
                return booking
            booking.slot = slot
            booking.subject = subject
            booking.guardian = guardian
            booking.booked_by_user = by_user
            booking.save()
            if created and interview_round.send_confirmation and guardian is not None:
                email = by_user.email if by_user else guardian.email
                outbox.queue(CONFIRMATION, booking.pk, [(email, getattr(by_user, "pk", None))])
    except IntegrityError:
        if InterviewBooking.objects.filter(slot=slot).exists():
            raise SlotTaken() from None
        raise ChildAlreadyBooked() from None
    return booking


def change_subject(booking, subject, now=None, by_staff=False):
    if not by_staff and booking.round.is_closed(now):
        raise Closed()
    booking.subject = subject
    booking.save(update_fields=["subject", "updated_at"])


def cancel(booking, now=None, by_staff=False):
    """Cancel until booking closes (staff also later); the slot is free again. Returns whether
    this call cancelled it (of two at once, one does)."""
    if not by_staff and booking.round.is_closed(now):
        raise Closed()
    deleted, _rows = InterviewBooking.objects.filter(pk=booking.pk).delete()
    return bool(deleted)


def nearby(slot, others, gap=timedelta(minutes=5)):
    """The ``others`` (bookings) that overlap ``slot`` or touch it within ``gap`` in another
    room or with another teacher: a parent cannot be in two places at once."""
    found = []
    for other in others:
        theirs = other.slot
        if theirs.pk == slot.pk:
            continue
        if theirs.starts_at < slot.ends_at + gap and slot.starts_at < theirs.ends_at + gap:
            overlap = theirs.starts_at < slot.ends_at and slot.starts_at < theirs.ends_at
            if overlap or theirs.location != slot.location or theirs.teacher_id != slot.teacher_id:
                found.append((other, overlap))
    return found
