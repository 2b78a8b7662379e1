"""The project's retention rules, one per kind of data (registered when the app is ready).

Periods count from the moment that ends the data's use: the last message of a
conversation, the end of an absence, the day a pupil left. What has no end yet (an open
absence, a pupil at school, an e-mail waiting to be sent) is never due.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.models import Page, ReferenceIndex

from pages.models import AlbumPhoto, GroupPage, PhotoAlbumPage
from schoolportal.absences.models import AbsenceReport
from schoolportal.accesslog.models import AccessLogEntry
from schoolportal.accounts.models import EmailChange, Invitation, LoginSession
from schoolportal.consent.models import ConsentChange
from schoolportal.conversations.models import Conversation, MessageAttachment
from schoolportal.interviews.models import InterviewBooking
from schoolportal.lunch.models import LunchDay
from schoolportal.mailings.models import ReplySlipAnswer
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import Guardian, Guardianship, Pupil
from schoolportal.results.models import SchoolReport, TestResult

from . import erasure
from .files import delete_after_commit
from .rules import ANONYMISE, Rule, register


def _local_day(cutoff):
    """The school's calendar day of ``cutoff`` (a leaving day or lunch day is a local date;
    ``cutoff.date()`` would be the UTC one, a day early in the night after midnight)."""
    return timezone.localdate(cutoff)


def _delete_conversations(conversations):
    attachments = MessageAttachment.objects.filter(message__conversation__in=conversations)
    delete_after_commit(
        MessageAttachment.file.field.storage, list(attachments.values_list("file", flat=True))
    )
    conversations.delete()


def _pupils_who_left_before(cutoff):
    return Pupil.objects.filter(left_on__lt=_local_day(cutoff))


def _results_of_pupils_who_left(cutoff):
    return Pupil.objects.filter(left_on__lt=_local_day(cutoff)).filter(
        Exists(SchoolReport.objects.filter(pupil=OuterRef("pk")))
        | Exists(TestResult.objects.filter(pupil=OuterRef("pk")))
    )


def _delete_results(pupils):
    reports = SchoolReport.objects.filter(pupil__in=pupils)
    delete_after_commit(
        SchoolReport.file.field.storage, list(reports.values_list("file", flat=True))
    )
    reports.delete()
    TestResult.objects.filter(pupil__in=pupils).delete()


def _albums_of_past_years(cutoff):
    """Photo albums of groups whose school year ended before ``cutoff``: the photos show the
    children of that year, some of whom left since."""
    paths = GroupPage.objects.filter(
        group__school_year__end_date__lt=_local_day(cutoff)
    ).values_list("path", flat=True)
    within = Q()
    for path in paths:
        within |= Q(path__startswith=path)
    if not within:
        return PhotoAlbumPage.objects.none()
    return PhotoAlbumPage.objects.filter(within)


def _delete_albums(albums):
    """The albums, and their photos (files and renditions, by Wagtail's image deletion) that
    nothing else uses: a photo also in a newsletter stays for the newsletter."""
    Image = get_image_model()
    album_ids = list(albums.values_list("pk", flat=True))
    image_ids = set(
        AlbumPhoto.objects.filter(album__in=album_ids).values_list("image_id", flat=True)
    )
    page_type = ContentType.objects.get_for_model(Page)
    used_elsewhere = (
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(Image),
            to_object_id__in=[str(pk) for pk in image_ids],
        )
        .exclude(base_content_type=page_type, object_id__in=[str(pk) for pk in album_ids])
        .values_list("to_object_id", flat=True)
    )
    image_ids -= {int(pk) for pk in used_elsewhere}
    Page.objects.filter(pk__in=album_ids).delete()
    # Wagtail's post_delete handlers remove each image's file and its renditions' files.
    Image.objects.filter(pk__in=image_ids).delete()


def _families_who_left(cutoff):
    """Guardians still linked to children, all of whom left before ``cutoff``."""
    recent = Guardianship.objects.filter(guardian=OuterRef("pk")).filter(
        Q(pupil__left_on__isnull=True) | Q(pupil__left_on__gte=_local_day(cutoff))
    )
    return Guardian.objects.filter(guardianships__isnull=False).exclude(Exists(recent)).distinct()


RULES = [
    Rule(
        "conversations",
        _("Berichten (gesprekken met hun bijlagen)"),
        _("na het laatste bericht in het gesprek"),
        lambda cutoff: Conversation.objects.filter(last_message_at__lt=cutoff),
        apply=_delete_conversations,
    ),
    Rule(
        "reply_slip_answers",
        _("Antwoorden op strookjes"),
        _("na het versturen van de mailing en het laatste antwoord"),
        lambda cutoff: ReplySlipAnswer.objects.filter(
            mailing__sent_at__lt=cutoff, updated_at__lt=cutoff
        ),
    ),
    Rule(
        "absences",
        _("Absentiemeldingen"),
        _("na het einde van de absentie"),
        lambda cutoff: AbsenceReport.objects.filter(ended_at__lt=cutoff),
    ),
    Rule(
        "lunch_days",
        _("Overblijfdagen"),
        _("na de dag van het overblijven"),
        lambda cutoff: LunchDay.objects.filter(date__lt=_local_day(cutoff)),
    ),
    Rule(
        "interview_bookings",
        _("Reserveringen van oudergesprekken"),
        _("na het gesprek"),
        lambda cutoff: InterviewBooking.objects.filter(slot__ends_at__lt=cutoff),
    ),
    Rule(
        "album_photos",
        _("Fotoalbums op groepspagina's"),
        _("na het einde van het schooljaar van de groep"),
        _albums_of_past_years,
        apply=_delete_albums,
    ),
    Rule(
        "results_of_pupils_who_left",
        _("Resultaten en rapporten van leerlingen die de school verlieten"),
        _("na het verlaten van de school"),
        _results_of_pupils_who_left,
        apply=_delete_results,
    ),
    Rule(
        "consent_history_of_pupils_who_left",
        _("Geschiedenis van toestemming voor foto's van leerlingen die de school verlieten"),
        _("na het verlaten van de school"),
        lambda cutoff: ConsentChange.objects.filter(pupil__in=_pupils_who_left_before(cutoff)),
    ),
    Rule(
        "accounts_of_families_who_left",
        _("Accounts en profielen van ouders van wie alle kinderen de school verlieten"),
        _("nadat het laatste kind de school verliet"),
        _families_who_left,
        apply=lambda guardians: erasure.erase(guardians),
        action=ANONYMISE,
    ),
    Rule(
        "outbox",
        _("Verzendgegevens van e-mails"),
        _("na het versturen (e-mails die nog wachten, blijven)"),
        lambda cutoff: OutboxMessage.objects.filter(created_at__lt=cutoff).exclude(
            status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.SENDING]
        ),
    ),
    Rule(
        "email_changes",
        _("Aanvragen om het e-mailadres te wijzigen"),
        _("na de aanvraag"),
        lambda cutoff: EmailChange.objects.filter(created_at__lt=cutoff),
    ),
    Rule(
        "access_log",
        _("Inzagelog (wie gegevens van leerlingen en ouders opende of wijzigde)"),
        _("na het openen of wijzigen"),
        lambda cutoff: AccessLogEntry.objects.filter(at__lt=cutoff),
        setting="ACCESS_LOG_RETENTION_DAYS",
    ),
    Rule(
        "login_sessions",
        _("Ingelogde apparaten (apparaat en laatste gebruik)"),
        _("na het laatste gebruik"),
        lambda cutoff: LoginSession.objects.filter(last_seen__lt=cutoff),
    ),
    Rule(
        "invitations",
        _("Uitnodigingen voor een account"),
        _("nadat de uitnodiging is gebruikt, ingetrokken of verlopen"),
        lambda cutoff: Invitation.objects.filter(
            Q(accepted_at__lt=cutoff) | Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff)
        ),
    ),
]

for rule in RULES:
    register(rule)
