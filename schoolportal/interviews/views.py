"""Oudergesprekken for parents: the open rounds per child with the interviews booked,
choosing a time (and a subject), changing or cancelling it until booking closes, and the
interview as an .ics file.

Every object comes from ``access``: a child, round or booking that is not the family's,
or at a school that does not use oudergesprekken, answers 404. Rendered per visit, never
from the page cache: the free times as they are now.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from forms.interviews import BookingForm
from schoolportal import access
from schoolportal.agenda.feeds import uid_domain
from schoolportal.agenda.ical import build_calendar
from schoolportal.parentviews.views import ActsForChildMixin, GuardianRequiredMixin

from . import rules
from .calendar import booking_event


def moment(value):
    return date_format(timezone.localtime(value), "l j F Y H:i")


def book_url(round_id, pupil_id):
    return reverse("interviews:book", args=[round_id, pupil_id])


class InterviewsRequiredMixin(GuardianRequiredMixin):
    """404 unless one of the parent's children is at a school that uses oudergesprekken."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.uses_interviews(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def family_bookings(user, now):
    """The family's interviews still to come, with slot, teacher, round and child."""
    return list(
        access.own_interview_bookings(user)
        .filter(slot__ends_at__gte=now)
        .select_related("slot", "slot__teacher", "round", "pupil")
        .order_by("slot__starts_at")
    )


class InterviewIndexView(InterviewsRequiredMixin, TemplateView):
    """Oudergesprekken: per child the rounds still open or to come, and what is booked."""

    template_name = "interviews/index.html"

    def get_context_data(self, **kwargs):
        user, now = self.request.user, timezone.now()
        pupils = list(
            access.interview_pupils(user).select_related("group").order_by("date_of_birth")
        )
        rounds = list(
            access.interview_rounds_for(user)
            .filter(booking_closes_at__gt=now)
            .prefetch_related("groups")
            .order_by("booking_opens_at")
        )
        bookings = family_bookings(user, now)
        children = []
        for pupil in pupils:
            booked = {b.round_id: b for b in bookings if b.pupil_id == pupil.pk}
            child_rounds = [
                {
                    "round": one,
                    "booking": booked.pop(one.pk, None),
                    "is_open": one.booking_opens_at <= now,
                }
                for one in rounds
                if pupil.group_id in {group.pk for group in one.groups.all()}
            ]
            children.append(
                {
                    "pupil": pupil,
                    "may_act": access.may_act_for(user, pupil),
                    "rounds": child_rounds,
                    "closed": list(booked.values()),
                }
            )
        return super().get_context_data(children=children, now=now, **kwargs)


class RoundView(InterviewsRequiredMixin, TemplateView):
    """The invitation's link: straight to choosing a time when one child is invited, else the
    overview, where each child has their own button."""

    def get(self, request, *args, **kwargs):
        pupils = list(
            access.interview_pupils(request.user)
            .filter(group__interview_rounds=kwargs["pk"])
            .values_list("pk", flat=True)
        )
        if not pupils:
            # Another group's or school's round: as unknown as a round that does not exist.
            raise Http404
        if len(pupils) == 1 and access.may_act_for(request.user, pupils[0]):
            return redirect(book_url(kwargs["pk"], pupils[0]))
        return redirect("interviews:index")


class BookView(InterviewsRequiredMixin, ActsForChildMixin, TemplateView):
    """Choose a time for one child in one round, or change it; the family's other
    interviews are shown beside the free times, with a warning where they clash."""

    template_name = "interviews/book.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.pupil = access.interview_pupil_for(request.user, kwargs["pupil_pk"])
            self.round = (
                access.interview_round_for(request.user, self.pupil, kwargs["pk"])
                if self.pupil is not None
                else None
            )
            if self.round is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

    def acting_for(self):
        # The child has one interview per round, shared by its parents: choosing or moving
        # it is for those with authority (docs/privacy.md).
        return self.pupil

    def authority_back_url(self):
        return reverse("interviews:index") + f"#kind-{self.pupil.pk}"

    def slots(self):
        return list(
            access.offered_slots(self.pupil, self.round)
            .select_related("teacher", "booking")
            .order_by("starts_at", "teacher__display_name")
        )

    def get_context_data(self, form=None, **kwargs):
        user, now = self.request.user, timezone.now()
        others = family_bookings(user, now)
        own = next(
            (b for b in others if b.round_id == self.round.pk and b.pupil_id == self.pupil.pk),
            None,
        )
        others = [b for b in others if b is not own]
        free = [
            slot
            for slot in self.slots()
            if not slot.blocked
            and (not hasattr(slot, "booking") or (own is not None and slot.booking.pk == own.pk))
        ]
        if form is None:
            initial = {"slot": own.slot_id, "subject": own.subject} if own else None
            form = BookingForm(initial=initial, slots=free)
        days = []
        for slot in free:
            slot.clashes = rules.nearby(slot, others)
            slot.checked = str(form["slot"].value()) == str(slot.pk)
            day = timezone.localdate(slot.starts_at)
            if not days or days[-1]["date"] != day:
                days.append({"date": day, "slots": []})
            days[-1]["slots"].append(slot)
        children = access.interview_pupils(user).filter(group__interview_rounds=self.round).count()
        opens_at = rules.opens_for(self.round, children)
        return super().get_context_data(
            pupil=self.pupil,
            round=self.round,
            booking=own,
            others=others,
            days=days,
            form=form,
            opens_at=opens_at,
            is_open=opens_at <= now < self.round.booking_closes_at,
            is_closed=self.round.is_closed(now),
            early=opens_at < self.round.booking_opens_at,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = BookingForm(request.POST, slots=self.slots())
        if form.is_valid():
            error = self.book(form)
            if error is None:
                return redirect(reverse("interviews:index") + f"#kind-{self.pupil.pk}")
            form.add_error("slot", error)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def book(self, form):
        """Book the chosen time; None, or why not."""
        user = self.request.user
        slot = access.offered_slot(self.pupil, self.round, form.cleaned_data["slot"])
        if slot is None:
            return _(
                "Deze tijd hoort niet bij een gesprek over %(name)s in deze ronde. Kies een "
                "van de tijden hieronder."
            ) % {"name": self.pupil.first_name}
        children = access.interview_pupils(user).filter(group__interview_rounds=self.round).count()
        try:
            booking = rules.book(
                self.pupil,
                slot,
                subject=form.cleaned_data["subject"],
                guardian=self.guardian,
                user=user,
                children_in_round=children,
            )
        except rules.NotOpenYet as early:
            return _("Inschrijven kan vanaf %(moment)s.") % {"moment": moment(early.opens_at)}
        except rules.Closed:
            return _(
                "Inschrijven is gesloten sinds %(moment)s. Neem contact op met school om iets "
                "te wijzigen."
            ) % {"moment": moment(self.round.booking_closes_at)}
        except rules.WrongGroup:
            return _("Deze tijd hoort niet bij een gesprek over %(name)s.") % {
                "name": self.pupil.first_name
            }
        except rules.SlotTaken:
            return _(
                "Deze tijd is net door een andere ouder gekozen. Kies een van de tijden die nog "
                "vrij zijn."
            )
        except rules.ChildAlreadyBooked:
            return _(
                "Voor %(name)s is in deze ronde zojuist al een tijd gekozen (door de andere "
                "ouder?). Bekijk het overzicht."
            ) % {"name": self.pupil.first_name}
        slot = booking.slot
        messages.success(
            self.request,
            _("Het gesprek over %(name)s is op %(day)s om %(time)s met %(teacher)s.")
            % {
                "name": self.pupil.first_name,
                "day": date_format(timezone.localtime(slot.starts_at), "l j F"),
                "time": date_format(timezone.localtime(slot.starts_at), "H:i"),
                "teacher": slot.teacher.display_name,
            },
        )
        return None


class OwnBookingMixin(InterviewsRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.booking = access.own_interview_booking(request.user, kwargs["pk"])
            if self.booking is None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class CancelView(OwnBookingMixin, ActsForChildMixin, TemplateView):
    """Afzeggen: until booking closes; the time is free for others again."""

    template_name = "interviews/cancel.html"

    def acting_for(self):
        return self.booking.pupil

    def authority_back_url(self):
        return reverse("interviews:index") + f"#kind-{self.booking.pupil_id}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            booking=self.booking,
            is_closed=self.booking.round.is_closed(),
            back_url=reverse("interviews:index") + f"#kind-{self.booking.pupil_id}",
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            rules.cancel(self.booking)
        except rules.Closed:
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(
            request,
            _("Het gesprek over %(name)s is afgezegd.") % {"name": self.booking.pupil.first_name},
        )
        return redirect(reverse("interviews:index") + f"#kind-{self.booking.pupil_id}")


class DownloadView(OwnBookingMixin, TemplateView):
    """The interview as an .ics file, for calendars that do not subscribe."""

    def get(self, request, *args, **kwargs):
        domain = uid_domain()
        body = build_calendar(
            [],
            _("Oudergesprek"),
            domain,
            uid=f"interview-{self.booking.pk}",
            events=[booking_event(self.booking, domain)],
        )
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        filename = f"oudergesprek-{self.booking.pk}.ics"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
