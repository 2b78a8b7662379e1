"""Inviting a guardian or staff member: link their profile to an account and mail a link."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from schoolportal.notifications.queue import enqueue

from .models import normalise_email


@transaction.atomic
def invite(profile, invited_by, base_url):
    """Invite the person behind a Guardian or StaffMember profile.

    Creates their account (without a usable password) when they have none yet,
    links it to the profile and queues the invitation e-mail. Raises
    ValidationError with a message for staff when that cannot be done.
    """
    email = normalise_email(profile.email)
    if not email:
        raise ValidationError(_("%(name)s heeft geen e-mailadres.") % {"name": profile})
    User = get_user_model()
    user = profile.user
    if user is None:
        user = User.objects.filter(email=email).first()
        if user is None:
            first_name = getattr(profile, "first_name", "") or str(profile)
            last_name = " ".join(
                part
                for part in (getattr(profile, "infix", ""), getattr(profile, "last_name", ""))
                if part
            )
            user = User.objects.create_user(email, None, first_name=first_name, last_name=last_name)
        elif hasattr(profile, "pupils") and hasattr(user, "guardian"):
            raise ValidationError(
                _("Het account %(email)s hoort al bij een andere ouder.") % {"email": email}
            )
        profile.user = user
        profile.save(update_fields=["user"])
    if user.has_usable_password():
        raise ValidationError(
            _("%(name)s heeft al een account; wachtwoord vergeten kan via de inlogpagina.")
            % {"name": profile}
        )
    enqueue(
        "schoolportal.notifications.tasks.send_invitation_email",
        user.pk,
        invited_by.pk if invited_by else None,
        base_url,
    )
    return user
