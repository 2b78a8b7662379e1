"""The confirmation e-mail of a booked interview (where the round sends one), rendered by
the outbox worker from the booking as it is then."""

from django.conf import settings
from django.urls import reverse

from schoolportal.notifications import outbox
from schoolportal.notifications.email import render_email

from .models import InterviewBooking
from .rules import CONFIRMATION


@outbox.renderer(CONFIRMATION)
def render_confirmation(message):
    booking = InterviewBooking.objects.select_related(
        "slot", "slot__teacher", "round", "round__school", "pupil"
    ).get(pk=message.cause_id)  # a booking cancelled since: DoesNotExist, nothing is sent
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("interviews:index")
    context = {
        "booking": booking,
        "slot": booking.slot,
        "school": booking.round.school,
        "link": link,
    }
    return render_email("interview_confirmation", context, message.recipient_email)
