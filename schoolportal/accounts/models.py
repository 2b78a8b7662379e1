import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def normalise_email(email):
    """E-mail addresses are compared case-insensitively everywhere, so store them lowercase."""
    return (email or "").strip().lower()


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email=normalise_email(email))

    def create_user(self, email, password=None, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Everybody who logs in: guardians and staff. The e-mail address is the login."""

    email = models.EmailField(_("e-mailadres"), max_length=254, unique=True)
    first_name = models.CharField(_("voornaam"), max_length=150, blank=True)
    last_name = models.CharField(_("achternaam"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("toegang tot Django-beheer"),
        default=False,
        help_text=_(
            "Alleen voor technisch beheer; schoolmedewerkers gebruiken de Wagtail-beheeromgeving."
        ),
    )
    is_active = models.BooleanField(_("actief"), default=True)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = normalise_email(self.email)

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        super().save(*args, **kwargs)

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name or self.email


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    """A one-time link that lets a guardian or staff member choose a password.

    Only a hash of the token is stored: the link itself exists only in the e-mail.
    """

    email = models.EmailField(_("e-mailadres"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("gebruiker"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uitgenodigd door"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    expires_at = models.DateTimeField(_("geldig tot"))
    sent_at = models.DateTimeField(_("verstuurd op"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("geaccepteerd op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self):
        return self.email

    @staticmethod
    def hash_token(token):
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, invited_by_id=None):
        """Create an invitation and return it with its raw token (shown once, in the e-mail).

        Earlier open invitations of the same user are revoked: only the newest link works.
        """
        now = timezone.now()
        cls.objects.filter(user=user).usable().update(revoked_at=now)
        token = secrets.token_urlsafe(32)
        invitation = cls.objects.create(
            email=user.email,
            user=user,
            invited_by_id=invited_by_id,
            token_hash=cls.hash_token(token),
            created_at=now,
            expires_at=now + settings.INVITATION_VALID_FOR,
        )
        return invitation, token

    @classmethod
    def find(cls, token):
        """The invitation for a token, usable or not, or None."""
        if not token:
            return None
        return cls.objects.select_related("user").filter(token_hash=cls.hash_token(token)).first()

    @property
    def is_expired(self):
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self):
        """Open, not expired, and the account has no password yet (set some other way)."""
        if self.accepted_at or self.revoked_at or self.is_expired:
            return False
        return not self.user.has_usable_password()


class EmailChange(models.Model):
    """A request to log in with another e-mail address, waiting for the link sent there.

    The address changes only when that link is followed; the link itself is signed and
    never stored (``accounts.emailchange``). The old address is kept to tell its owner.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="email_changes",
        verbose_name=_("gebruiker"),
    )
    old_email = models.EmailField(_("oud e-mailadres"))
    new_email = models.EmailField(_("nieuw e-mailadres"))
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("wijziging van e-mailadres")
        verbose_name_plural = _("wijzigingen van e-mailadres")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.old_email} → {self.new_email}"


class LoginSession(models.Model):
    """One logged-in browser of a user, for "Ingelogde apparaten".

    Django's session table cannot be searched by user (the user id is inside the encoded
    data), so every login adds a row here. ``last_seen`` moves with the idle clock's own
    write (every few minutes, ``accounts.sessions``), never on every request. The session
    key is kept to end that session (``SessionStore(session_key=…).delete()``); pages and
    URLs name a row by its id only, within the user's own rows.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="login_sessions",
        verbose_name=_("gebruiker"),
    )
    session_key = models.CharField(max_length=40, unique=True, editable=False)
    device = models.CharField(_("apparaat"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("ingelogd op"), default=timezone.now)
    last_seen = models.DateTimeField(_("laatst gebruikt"), default=timezone.now)

    class Meta:
        verbose_name = _("ingelogd apparaat")
        verbose_name_plural = _("ingelogde apparaten")
        ordering = ["-last_seen"]

    def __str__(self):
        return self.device
