"""Kind koppelen: parents link a child with the one-time code the school handed out."""

import hashlib
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Guardianship, LinkCodeAttempt, PupilLinkCode, Relation

MAX_FAILED_ATTEMPTS = 5
LOCK_PERIOD = timedelta(hours=1)
# No 0/O, 1/I/L: codes are typed over from paper.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10


class LinkError(Exception):
    """A failed attempt, with a message for the parent."""


def normalise_code(code):
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def hash_code(code):
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def format_code(code):
    return f"{code[:5]}-{code[5:]}"


@transaction.atomic
def issue_code(pupil, created_by=None):
    """A new code for ``pupil``; earlier unused codes stop working. Returns the readable code."""
    now = timezone.now()
    PupilLinkCode.objects.filter(pupil=pupil, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    PupilLinkCode.objects.create(pupil=pupil, code_hash=hash_code(code), created_by=created_by)
    return format_code(code)


def is_locked(user):
    since = timezone.now() - LOCK_PERIOD
    return LinkCodeAttempt.objects.filter(user=user, created_at__gte=since).count() >= (
        MAX_FAILED_ATTEMPTS
    )


def redeem(guardian, code, relation=Relation.PARENT):
    """Link the code's pupil to ``guardian``. Raises LinkError with a translated message.

    Parental authority is as the school recorded it: a new link has it (the letter with the
    code is for the parents with authority, and says so), and a guardian the school already
    recorded for the child keeps what was recorded. So a parent recorded without authority
    never gains it by entering a code; staff change it in the admin (Guardianship).
    """
    user = guardian.user
    if is_locked(user):
        raise LinkError(
            _("U heeft te vaak een verkeerde code ingevuld. Probeer het over een uur opnieuw.")
        )
    with transaction.atomic():
        link_code = (
            PupilLinkCode.objects.select_for_update()
            .select_related("pupil")
            .filter(code_hash=hash_code(code))
            .first()
        )
        usable = link_code is not None and not link_code.used_at and not link_code.revoked_at
        if not usable:
            LinkCodeAttempt.objects.create(user=user)
        else:
            link_code.used_at = timezone.now()
            link_code.used_by = guardian
            link_code.save(update_fields=["used_at", "used_by"])
            Guardianship.objects.get_or_create(
                guardian=guardian,
                pupil=link_code.pupil,
                defaults={"relation": relation, "has_parental_authority": True},
            )
            return link_code.pupil
    if link_code is not None:
        raise LinkError(
            _("Deze code is al gebruikt of vervangen. Vraag de school om een nieuwe code.")
        )
    raise LinkError(_("Deze code klopt niet. Controleer de code op de brief van school."))
