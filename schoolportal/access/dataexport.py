"""Mijn gegevens downloaden: what the portal holds *about* a parent, and whose download is
whose.

What is "about them", decided here once for every section of the export:

- the parent's own account and guardian profile, babysitters, klassenouder groups and the
  mailings they wrote as klassenouder;
- everything about each of their children, also a child who left school and whatever the
  school's module switches say today (the data is still held, so it is still theirs to
  see): the child's details, emergency contacts, photo consent and its history, absences,
  lunch days, interview bookings, and reports and test results *once released* (before
  that the school has not shared them with the family);
- a co-guardian (the child's other parent) therefore gets the same child data, and of the
  other guardians of a child only their names and relation: their contact details, their
  babysitters and their messages are theirs, not the co-guardian's;
- reply-slip answers stored for one of their children (per child, or the family's answer
  kept on their child), and answers they gave themselves;
- Berichten: only conversations the parent takes part in, as in the portal; a
  co-guardian's own conversation with the teacher is not in the other parent's export.

Nothing of another family: every rule below starts from the user's own guardianships or
own participant rows.
"""

from django.db.models import Q

from schoolportal.absences.models import AbsenceReport
from schoolportal.accounts.models import EmailChange
from schoolportal.consent.models import ConsentChange
from schoolportal.conversations.models import Message
from schoolportal.dataexport.models import DataExport
from schoolportal.interviews.models import InterviewBooking
from schoolportal.lunch.models import LunchDay
from schoolportal.mailings.models import Mailing, ReplySlipAnswer, Sender
from schoolportal.people.models import EmergencyContact, Guardianship, Pupil
from schoolportal.reactions.models import PostFollower, Reaction
from schoolportal.results.models import SchoolReport, TestResult

from .conversations import GUARDIAN_ROLE, conversations_for
from .scope import all_children_ids, is_anonymous


def _of_own_children(model, user, rows=None):
    """``rows`` (all of ``model``) of the user's children."""
    if is_anonymous(user):
        return model.objects.none()
    rows = model.objects.all() if rows is None else rows
    return rows.filter(pupil_id__in=all_children_ids(user))


def exported_pupils(user):
    """The user's children whose data the export holds: also those who left school."""
    if is_anonymous(user):
        return Pupil.objects.none()
    return Pupil.objects.filter(pk__in=all_children_ids(user))


def exported_guardianships(user):
    """Every guardian–child pair of the user's children: the user's own relations, and
    their co-guardians (of whom the export shows name and relation only)."""
    return _of_own_children(Guardianship, user)


def exported_emergency_contacts(user):
    return _of_own_children(EmergencyContact, user)


def exported_consent_changes(user):
    return _of_own_children(ConsentChange, user)


def exported_absence_reports(user):
    return _of_own_children(AbsenceReport, user)


def exported_lunch_days(user):
    return _of_own_children(LunchDay, user)


def exported_interview_bookings(user):
    return _of_own_children(InterviewBooking, user)


def exported_reports(user, now=None):
    """Released reports of the user's children (the PDFs go into the export)."""
    return _of_own_children(SchoolReport, user, SchoolReport.objects.released(now))


def exported_test_results(user, now=None):
    return _of_own_children(TestResult, user, TestResult.objects.released(now))


def exported_reply_slip_answers(user):
    """Answers kept for one of the user's children, and answers the user gave."""
    if is_anonymous(user):
        return ReplySlipAnswer.objects.none()
    return ReplySlipAnswer.objects.filter(
        Q(pupil_id__in=all_children_ids(user)) | Q(answered_by_id=user.pk)
    )


def exported_conversations(user):
    """Conversations the user takes part in as a parent (nobody else's)."""
    return conversations_for(user, GUARDIAN_ROLE)


def exported_messages(user):
    return Message.objects.filter(conversation__in=exported_conversations(user))


def exported_email_changes(user):
    if is_anonymous(user):
        return EmailChange.objects.none()
    return EmailChange.objects.filter(user_id=user.pk)


def exported_class_parent_mailings(user):
    """Mailings the user wrote as klassenouder, sent or not, also to a group they no longer
    are klassenouder of: their own words."""
    if is_anonymous(user):
        return Mailing.objects.none()
    return Mailing.objects.filter(created_by_id=user.pk, sender=Sender.CLASS_PARENTS)


def exported_reactions(user):
    """Reactions the user wrote under blog posts (hidden ones too: the school holds them);
    never other people's reactions under the same post."""
    if is_anonymous(user):
        return Reaction.objects.none()
    return Reaction.objects.filter(author=user)


def exported_followed_posts(user):
    if is_anonymous(user):
        return PostFollower.objects.none()
    return PostFollower.objects.filter(user=user)


def own_data_exports(user):
    """The user's own requests for their data; nobody else's, staff and superusers alike."""
    if is_anonymous(user):
        return DataExport.objects.none()
    return DataExport.objects.filter(user_id=user.pk)


def data_export_for(user, pk, now=None):
    """Export ``pk`` if it is the user's and can still be downloaded; else None."""
    return own_data_exports(user).available(now).filter(pk=pk).first()
