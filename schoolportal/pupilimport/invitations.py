"""Inviting, after an import, every guardian of the school who has no account yet.

One outbox row per guardian with the import as its cause: a double-clicked button invites
nobody twice, and the admin shows progress from the rows' status. The e-mail is the
invitation that "Uitnodigen" sends one by one; its link is made by the worker when it
sends, so no token waits in the database.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse

from schoolportal.accounts.models import Invitation, normalise_email
from schoolportal.notifications import outbox
from schoolportal.notifications.email import render_email
from schoolportal.notifications.models import OutboxMessage
from schoolportal.people.models import Guardian, still_at_school

from .models import ImportRun

KIND = "pupilimport_invitation"


def uninvited_guardians(school):
    """Guardians of the school's pupils (still at school) with an e-mail address and no
    account they can log in with."""
    return (
        Guardian.objects.filter(
            still_at_school("guardianships__pupil__"), guardianships__pupil__school=school
        )
        .exclude(email="")
        .filter(Q(user__isnull=True) | Q(user__password__startswith=UNUSABLE_PASSWORD_PREFIX))
        .distinct()
    )


@transaction.atomic
def invite_all(run):
    """Give every uninvited guardian an account and queue their invitation; returns how
    many were queued."""
    User = get_user_model()
    guardians = list(uninvited_guardians(run.school).select_related("user"))
    emails = [normalise_email(g.email) for g in guardians if g.user is None]
    accounts = {u.email: u for u in User.objects.filter(email__in=emails)}
    taken = set(Guardian.objects.filter(user__in=accounts.values()).values_list("user", flat=True))
    recipients = []
    for guardian in guardians:
        user = guardian.user
        if user is None:
            email = normalise_email(guardian.email)
            user = accounts.get(email)
            if user is not None and user.pk in taken:
                continue  # that account is another parent's: staff sort that out by hand
            if user is None:
                user = User.objects.create_user(
                    email,
                    None,
                    first_name=guardian.first_name,
                    last_name=" ".join(p for p in (guardian.infix, guardian.last_name) if p),
                )
            guardian.user = user
            guardian.save(update_fields=["user"])
        if user.has_usable_password():
            continue
        recipients.append((user.email, user.pk))
    return outbox.queue(KIND, run.pk, recipients)


def progress(run):
    """{status: count} of the import's invitations, with "total"."""
    counts = dict(
        OutboxMessage.objects.filter(kind=KIND, cause_id=run.pk)
        .values_list("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts["total"] = sum(counts.values())
    return counts


@outbox.renderer(KIND)
def render_invitation(message):
    run = ImportRun.objects.get(pk=message.cause_id)
    user = get_user_model().objects.get(pk=message.recipient_user_id, is_active=True)
    invitation, token = Invitation.issue(user, invited_by_id=run.created_by_id)
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "accounts:invitation", kwargs={"token": token}
    )
    context = {
        "user": user,
        "link": link,
        "invitation": invitation,
        "inviter": invitation.invited_by,
    }
    return render_email("invitation", context, message.recipient_email)
