"""A guardian's deletion request: what goes, what is anonymised, what the school keeps.

The request is a list of parts (``PARTS``), each counting and handling its own kind of data
for a queryset of guardians at once, so the preview and the action read the same rules and
the retention run erases many families in a few queries. A new app with data of guardians
adds a ``Part`` to ``PARTS`` (before the account part, which must be last).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from schoolportal.absences.models import AbsenceReport
from schoolportal.accounts.models import User
from schoolportal.consent.models import ConsentChange
from schoolportal.conversations.models import Message, MessageAttachment
from schoolportal.dataexport.models import DataExport
from schoolportal.interviews.models import InterviewBooking
from schoolportal.lunch.models import LunchDay
from schoolportal.mailings.models import ReplySlipAnswer
from schoolportal.notifications.models import OutboxMessage
from schoolportal.parentviews.caching import bump_version
from schoolportal.people.contacts import Babysitter
from schoolportal.people.models import ClassParent, Guardian, Guardianship
from schoolportal.reactions.models import Reaction

from .files import delete_after_commit
from .models import PrivacyLogEntry

REMOVED = "removed"
ANONYMISED = "anonymised"
KEPT = "kept"
SECTIONS = {
    REMOVED: _("Wordt verwijderd"),
    ANONYMISED: _("Blijft bewaard zonder naam van de ouder"),
    KEPT: _("Blijft bewaard"),
}


def anonymous_name():
    return gettext("Verwijderde ouder")


@dataclass(frozen=True)
class Part:
    key: str
    section: str
    label: str
    reason: str
    # (guardians, users) -> number of rows concerned; None for what is kept as a whole.
    count: Callable | None = None
    # (guardians, users) -> None: remove or anonymise them.
    apply: Callable | None = None


def _users(guardians):
    return User.objects.filter(guardian__in=guardians)


def _own_messages(guardians, users):
    return Message.objects.filter(sender__guardian__in=guardians)


def _remove_message_texts(guardians, users):
    messages = _own_messages(guardians, users)
    attachments = MessageAttachment.objects.filter(message__in=messages)
    files = list(attachments.values_list("file", flat=True))
    attachments.delete()
    delete_after_commit(MessageAttachment.file.field.storage, files)
    messages.update(body=gettext("Dit bericht is verwijderd op verzoek van de ouder."))


def _outbox(guardians, users):
    addresses = [email for email in guardians.values_list("email", flat=True) if email]
    return OutboxMessage.objects.filter(
        Q(recipient_user__in=users) | Q(recipient_email__in=addresses)
    )


def _future_bookings(guardians, users):
    return InterviewBooking.objects.filter(
        guardian__in=guardians, slot__starts_at__gt=timezone.now()
    )


def _past_bookings(guardians, users):
    return InterviewBooking.objects.filter(
        guardian__in=guardians, slot__starts_at__lte=timezone.now()
    )


def _anonymise_profile(guardians, users):
    guardians.update(
        first_name="",
        infix="",
        last_name=anonymous_name(),
        email="",
        phone="",
        mobile_phone="",
        street="",
        house_number="",
        postcode="",
        city="",
        updated_by=None,
    )


def _consent_changes(guardians, users):
    return ConsentChange.objects.filter(changed_by__in=users)


PARTS = [
    Part(
        "profile",
        REMOVED,
        _("Naam, e-mailadres, adres en telefoonnummers in het profiel"),
        _(
            "De ouder heeft om verwijdering gevraagd. Staat de ouder nog in de "
            "leerlingadministratie, dan maakt de volgende leerlingimport een nieuwe ouder aan."
        ),
        count=lambda guardians, users: guardians.count(),
        apply=_anonymise_profile,
    ),
    Part(
        "babysitters",
        REMOVED,
        _("Oppassen"),
        _("Alleen voor de ouder zelf en het team bedoeld."),
        count=lambda guardians, users: Babysitter.objects.filter(guardian__in=guardians).count(),
        apply=lambda guardians, users: Babysitter.objects.filter(guardian__in=guardians).delete(),
    ),
    Part(
        "class_parent",
        REMOVED,
        _("Rol als klassenouder"),
        "",
        count=lambda guardians, users: ClassParent.objects.filter(guardian__in=guardians).count(),
        apply=lambda guardians, users: ClassParent.objects.filter(guardian__in=guardians).delete(),
    ),
    Part(
        "guardianships",
        REMOVED,
        _("Koppeling met de kinderen"),
        _("De ouder staat daarna in geen klassenlijst meer en ziet niets meer van de school."),
        count=lambda guardians, users: Guardianship.objects.filter(guardian__in=guardians).count(),
        apply=lambda guardians, users: Guardianship.objects.filter(guardian__in=guardians).delete(),
    ),
    Part(
        "messages",
        REMOVED,
        _("Tekst en bijlagen van berichten die de ouder schreef"),
        _(
            "Het gesprek blijft voor het team bestaan; op de plaats van elk bericht van de ouder "
            "staat dat het verwijderd is."
        ),
        count=lambda guardians, users: _own_messages(guardians, users).count(),
        apply=_remove_message_texts,
    ),
    Part(
        "reactions",
        REMOVED,
        _("Reacties die de ouder onder blogberichten schreef, met hun foto's"),
        _("Wat de ouder schreef, hoort bij de ouder; de reacties van anderen blijven staan."),
        count=lambda guardians, users: Reaction.objects.filter(author__in=users).count(),
        # One by one through the queryset's delete: each reaction's photo goes with it.
        apply=lambda guardians, users: Reaction.objects.filter(author__in=users).delete(),
    ),
    Part(
        "data_exports",
        REMOVED,
        _("Klaargemaakte downloads van 'Mijn gegevens'"),
        "",
        count=lambda guardians, users: DataExport.objects.filter(user__in=users).count(),
        apply=lambda guardians, users: DataExport.objects.filter(user__in=users).delete(),
    ),
    Part(
        "outbox",
        REMOVED,
        _("Verzendgegevens van e-mails aan de ouder"),
        _("Een e-mail die nog niet verstuurd was, wordt niet meer verstuurd."),
        count=lambda guardians, users: _outbox(guardians, users).count(),
        apply=lambda guardians, users: _outbox(guardians, users).delete(),
    ),
    Part(
        "future_bookings",
        REMOVED,
        _("Gereserveerde oudergesprekken die nog moeten komen"),
        _("De tijd komt vrij voor andere ouders."),
        count=lambda guardians, users: _future_bookings(guardians, users).count(),
        apply=lambda guardians, users: _future_bookings(guardians, users).delete(),
    ),
    Part(
        "staff_messages",
        ANONYMISED,
        _("Berichten van het team in gesprekken met de ouder"),
        _(
            "Afspraken over een kind blijven voor de school terug te vinden; de ouder heet in "
            "het gesprek voortaan 'Verwijderde ouder'."
        ),
        count=lambda guardians, users: (
            Message.objects.filter(
                conversation__participants__guardian__in=guardians,
                sender__staff_member__isnull=False,
            )
            .distinct()
            .count()
        ),
    ),
    Part(
        "reply_slip_answers",
        ANONYMISED,
        _("Antwoorden op strookjes"),
        _(
            "Het antwoord is dat van het gezin (bijvoorbeeld toestemming voor een schoolreis) en "
            "blijft tot de bewaartermijn verloopt; wie het gaf, wordt verwijderd."
        ),
        count=lambda guardians, users: ReplySlipAnswer.objects.filter(
            answered_by__in=users
        ).count(),
    ),
    Part(
        "absences",
        ANONYMISED,
        _("Absentiemeldingen"),
        _(
            "De school moet verzuim registreren (Leerplichtwet 1969); wie de melding deed, "
            "wordt verwijderd."
        ),
        count=lambda guardians, users: AbsenceReport.objects.filter(
            reported_by_user__in=users
        ).count(),
    ),
    Part(
        "lunch_days",
        ANONYMISED,
        _("Aanmeldingen voor het overblijven"),
        _(
            "Nodig voor de facturering, die de school 7 jaar bewaart (fiscale bewaarplicht); "
            "wie aanmeldde, wordt verwijderd."
        ),
        count=lambda guardians, users: LunchDay.objects.filter(
            registered_by_user__in=users
        ).count(),
    ),
    Part(
        "past_bookings",
        ANONYMISED,
        _("Oudergesprekken die geweest zijn"),
        _("Het rooster van de leerkracht blijft kloppen; wie reserveerde, wordt verwijderd."),
        count=lambda guardians, users: _past_bookings(guardians, users).count(),
        apply=lambda guardians, users: _past_bookings(guardians, users).update(
            guardian=None, booked_by_user=None
        ),
    ),
    Part(
        "consent_changes",
        ANONYMISED,
        _("Geschiedenis van toestemming voor foto's"),
        _(
            "De school moet kunnen laten zien welke toestemming er was (AVG artikel 7); de naam "
            "van wie het wijzigde, wordt vervangen door 'Verwijderde ouder'."
        ),
        count=lambda guardians, users: _consent_changes(guardians, users).count(),
        apply=lambda guardians, users: _consent_changes(guardians, users).update(
            changed_by_name=anonymous_name()
        ),
    ),
    Part(
        "children",
        KEPT,
        _("Gegevens van de kinderen: leerlinggegevens, resultaten, rapporten, noodcontacten"),
        _(
            "Ze horen bij het dossier van het kind, dat de school moet bijhouden (Wet op het "
            "primair onderwijs), niet bij de ouder. Ze gaan weg volgens de bewaartermijnen nadat "
            "het kind de school verliet."
        ),
    ),
    # Last: deleting the account empties every "who" that still points at it.
    Part(
        "account",
        REMOVED,
        _(
            "Account: inloggen, sessies en ingelogde apparaten, tweestapsverificatie, "
            "uitnodigingen, wijzigingen van e-mailadres, agendalink, gevolgde blogberichten en "
            "gelezen mailings"
        ),
        _("Zonder account kan de ouder niet meer inloggen; open sessies vervallen."),
        count=lambda guardians, users: users.count(),
        apply=lambda guardians, users: users.delete(),
    ),
]


def preview(guardians, parts=None):
    """[(section label, [(part, count)])] in the order of ``SECTIONS``."""
    users = _users(guardians)
    rows = {section: [] for section in SECTIONS}
    for part in parts or PARTS:
        count = part.count(guardians, users) if part.count else None
        rows[part.section].append((part, count))
    return [(SECTIONS[section], found) for section, found in rows.items() if found]


def erase(guardians, parts=None):
    """Remove and anonymise what ``PARTS`` say for ``guardians``; {part key: count}."""
    parts = parts or PARTS
    with transaction.atomic():
        # The ids first: parts change what the querysets would select.
        guardians = Guardian.objects.filter(pk__in=list(guardians.values_list("pk", flat=True)))
        users = User.objects.filter(pk__in=list(_users(guardians).values_list("pk", flat=True)))
        counts = {}
        for part in parts:
            if part.count is not None:
                counts[part.key] = part.count(guardians, users)
            if part.apply is not None:
                part.apply(guardians, users)
        # Names changed by UPDATE send no signal: no cached class list may keep them.
        bump_version()
    return counts


def handle_request(guardian, school, handled_by, received_on=None):
    """Erase one guardian on request and log it (by number, never by name)."""
    with transaction.atomic():
        counts = erase(Guardian.objects.filter(pk=guardian.pk))
        return PrivacyLogEntry.objects.create(
            action=PrivacyLogEntry.Action.DELETION,
            school=school,
            handled_by=handled_by,
            received_on=received_on,
            subject=gettext("Ouder nr. %(number)s") % {"number": guardian.pk},
            counts={key: count for key, count in counts.items() if count},
        )
