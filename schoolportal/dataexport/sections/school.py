"""What the school and the parent did together: absences, lunch, interviews, results, reply
slips and Berichten. Each section reads its rows in a fixed number of queries."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from schoolportal import access
from schoolportal.conversations.models import MessageAttachment, Participant
from schoolportal.mailings.models import ReplySlipField
from schoolportal.mailings.replies import display_value

from .base import Section, Table


def _child_names(user):
    return {
        pupil.pk: pupil.full_name
        for pupil in access.exported_pupils(user).only("first_name", "infix", "last_name")
    }


def absences(user):
    names = _child_names(user)
    reports = access.exported_absence_reports(user).select_related("school", "group")
    return Section(
        "absences",
        _("Absenties"),
        tables=[
            Table(
                _("Absentiemeldingen"),
                [
                    ("child", _("Kind")),
                    ("reason", _("Reden")),
                    ("explanation", _("Toelichting")),
                    ("first_day", _("Eerste dag afwezig")),
                    ("expected_return", _("Verwacht terug")),
                    ("returned_on", _("Weer op school op")),
                    ("reported_by", _("Gemeld door")),
                    ("created_at", _("Gemeld op")),
                    ("ended_by", _("Beëindigd")),
                ],
                [
                    {
                        "child": names[report.pupil_id],
                        "reason": report.get_reason_display(),
                        "explanation": report.explanation,
                        "first_day": report.first_day,
                        "expected_return": report.expected_return,
                        "returned_on": report.returned_on,
                        "reported_by": report.get_reported_by_display(),
                        "created_at": report.created_at,
                        "ended_by": report.get_ended_by_display() if report.ended_by else "",
                    }
                    for report in reports.order_by("first_day", "pk")
                ],
            )
        ],
    )


def lunch(user):
    names = _child_names(user)
    days = access.exported_lunch_days(user).order_by("date", "pk")
    return Section(
        "lunch",
        _("Overblijven"),
        tables=[
            Table(
                _("Overblijfdagen"),
                [
                    ("child", _("Kind")),
                    ("date", _("Datum")),
                    ("created_at", _("Aangemeld op")),
                    ("cancelled_at", _("Afgemeld op")),
                    ("cancelled_by", _("Afgemeld")),
                ],
                [
                    {
                        "child": names[day.pupil_id],
                        "date": day.date,
                        "created_at": day.created_at,
                        "cancelled_at": day.cancelled_at,
                        "cancelled_by": day.get_cancelled_by_display() if day.cancelled_by else "",
                    }
                    for day in days
                ],
            )
        ],
    )


def interviews(user):
    names = _child_names(user)
    bookings = access.exported_interview_bookings(user).select_related(
        "round", "slot__teacher", "guardian"
    )
    return Section(
        "interviews",
        _("Oudergesprekken"),
        tables=[
            Table(
                _("Gesprekken"),
                [
                    ("child", _("Kind")),
                    ("round", _("Ronde")),
                    ("teacher", _("Leerkracht")),
                    ("starts_at", _("Begint om")),
                    ("ends_at", _("Eindigt om")),
                    ("location", _("Locatie")),
                    ("subject", _("Onderwerp")),
                    ("booked_by", _("Ingeschreven door")),
                    ("created_at", _("Ingeschreven op")),
                ],
                [
                    {
                        "child": names[booking.pupil_id],
                        "round": booking.round.title,
                        "teacher": booking.slot.teacher.display_name,
                        "starts_at": booking.slot.starts_at,
                        "ends_at": booking.slot.ends_at,
                        "location": booking.slot.location or booking.round.location,
                        "subject": booking.subject,
                        "booked_by": booking.guardian.full_name if booking.guardian else "",
                        "created_at": booking.created_at,
                    }
                    for booking in bookings.order_by("slot__starts_at", "pk")
                ],
            )
        ],
    )


def results(user):
    names = _child_names(user)
    section = Section(
        "results",
        _("Resultaten"),
        _("Alleen wat de school al met u heeft gedeeld (vrijgegeven)."),
    )
    reports = access.exported_reports(user).select_related("pupil").order_by("released_at", "pk")
    section.tables.append(
        Table(
            _("Rapporten"),
            [
                ("child", _("Kind")),
                ("title", _("Titel")),
                ("school_year", _("Schooljaar")),
                ("released_at", _("Vrijgegeven op")),
                ("file", _("Bestand")),
            ],
            [
                {
                    "child": names[report.pupil_id],
                    "title": report.title,
                    "school_year": report.school_year,
                    "released_at": report.released_at,
                    "file": section.attach("rapporten", report.pk, report.filename, report.file),
                }
                for report in reports
            ],
        )
    )
    tests = access.exported_test_results(user).order_by("pupil_id", "-taken_on", "test_name")
    section.tables.append(
        Table(
            _("Toetsresultaten"),
            [
                ("child", _("Kind")),
                ("test", _("Toets")),
                ("taken_on", _("Datum")),
                ("score", _("Score")),
                ("level", _("Niveau")),
                ("note", _("Opmerking")),
            ],
            [
                {
                    "child": names[result.pupil_id],
                    "test": result.test_name,
                    "taken_on": result.taken_on,
                    "score": result.score_display,
                    "level": result.level,
                    "note": result.note,
                }
                for result in tests
            ],
        )
    )
    return section


def reply_slips(user):
    names = _child_names(user)
    answers = list(
        access.exported_reply_slip_answers(user)
        .select_related("mailing", "answered_by")
        .prefetch_related(
            Prefetch(
                "mailing__reply_fields",
                queryset=ReplySlipField.objects.order_by("sort_order", "pk"),
            )
        )
        .order_by("created_at", "pk")
    )
    rows = []
    for answer in answers:
        for question in answer.mailing.reply_fields.all():
            rows.append(
                {
                    "mailing": answer.mailing.title,
                    # A family's answer may be kept on a half-sibling: then it is the family's.
                    "for": names.get(answer.pupil_id, _("uw gezin")),
                    "question": question.label,
                    "answer": display_value(answer.answers.get(question.clean_name)),
                    "answered_by": answer.answered_by.get_full_name() if answer.answered_by else "",
                    "updated_at": answer.updated_at,
                }
            )
    return Section(
        "reply_slips",
        _("Antwoordstrookjes"),
        tables=[
            Table(
                _("Uw antwoorden"),
                [
                    ("mailing", _("Mailing")),
                    ("for", _("Voor")),
                    ("question", _("Vraag")),
                    ("answer", _("Antwoord")),
                    ("answered_by", _("Beantwoord door")),
                    ("updated_at", _("Laatst gewijzigd op")),
                ],
                rows,
            )
        ],
    )


def messages(user):
    section = Section(
        "messages",
        _("Berichten"),
        _("De gesprekken waaraan u deelneemt, met alle berichten en bijlagen."),
    )
    people = Participant.objects.select_related("guardian", "staff_member").order_by("pk")
    conversations = (
        access.exported_conversations(user)
        .select_related("school")
        .prefetch_related(Prefetch("participants", queryset=people))
        .order_by("started_at", "pk")
    )
    section.tables.append(
        Table(
            _("Gesprekken"),
            [
                ("subject", _("Onderwerp")),
                ("school", _("School")),
                ("started_at", _("Begonnen op")),
                ("participants", _("Deelnemers")),
            ],
            [
                {
                    "subject": conversation.subject,
                    "school": conversation.school.name,
                    "started_at": conversation.started_at,
                    "participants": [p.display_name for p in conversation.participants.all()],
                }
                for conversation in conversations
            ],
        )
    )
    files = MessageAttachment.objects.order_by("pk")
    sent = (
        access.exported_messages(user)
        .select_related("conversation", "sender__guardian", "sender__staff_member")
        .prefetch_related(Prefetch("attachments", queryset=files))
        .order_by("conversation__started_at", "conversation_id", "sent_at", "pk")
    )
    section.tables.append(
        Table(
            _("Berichten"),
            [
                ("conversation", _("Gesprek")),
                ("sent_at", _("Verzonden op")),
                ("sender", _("Van")),
                ("body", _("Bericht")),
                ("attachments", _("Bijlagen")),
            ],
            [
                {
                    "conversation": message.conversation.subject,
                    "sent_at": message.sent_at,
                    "sender": message.sender.display_name,
                    "body": message.body,
                    "attachments": [
                        section.attach("berichten", file.pk, file.name, file.file)
                        for file in message.attachments.all()
                    ],
                }
                for message in sent
            ],
        )
    )
    return section
