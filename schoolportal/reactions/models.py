"""Reacties: what parents and staff of a group write under the group's blog posts.

A reaction is plain text (links made clickable when shown, never HTML) and at most one
photo, which is a Wagtail image in the group page's own collection, served to the group
only through ``reactions:photo``. Its author changes it for ``EDIT_WINDOW`` and deletes it
any time; the group page's editors hide or delete any reaction.

Who hears of new reactions is bookkeeping of its own: a ``ReactionDigest`` is one e-mail
to one account (the outbox's cause), its ``DigestEntry`` rows the reactions it lists. An
entry is unique per (account, reaction), so no reaction is ever sent to anybody twice.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# How long the author may still change what they wrote.
EDIT_WINDOW = timedelta(minutes=15)
MAX_LENGTH = 2000


class Reaction(models.Model):
    post = models.ForeignKey(
        "pages.BlogPostPage",
        on_delete=models.CASCADE,
        related_name="reactions",
        verbose_name=_("blogbericht"),
    )
    # The account lets its owner change it; the name is the one shown, kept as it was
    # written under (a name changed later does not rewrite the conversation).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("schrijver"),
    )
    author_name = models.CharField(_("naam"), max_length=150)
    by_staff = models.BooleanField(_("van de school"), default=False)
    text = models.TextField(_("reactie"), max_length=MAX_LENGTH)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("foto"),
    )
    photo_description = models.CharField(_("wat staat er op de foto?"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("geplaatst op"), default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(_("gewijzigd op"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("verborgen op"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verborgen door"),
    )

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self):
        return f"{self.author_name}: {self.text[:50]}"

    @property
    def editable_until(self):
        return self.created_at + EDIT_WINDOW

    def still_editable(self, now=None):
        return self.hidden_at is None and (now or timezone.now()) < self.editable_until


class PostFollower(models.Model):
    """A parent (or anybody who reads the post) who gets the digest of its new reactions."""

    post = models.ForeignKey(
        "pages.BlogPostPage", on_delete=models.CASCADE, related_name="followers"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="reactions_follow_once")
        ]

    def __str__(self):
        return f"{self.user_id} → {self.post_id}"


class ReactionDigest(models.Model):
    """One e-mail about new reactions to one account: the cause of its outbox row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reaction_digests"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("overzicht van reacties")
        verbose_name_plural = _("overzichten van reacties")

    def __str__(self):
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class DigestEntry(models.Model):
    digest = models.ForeignKey(ReactionDigest, on_delete=models.CASCADE, related_name="entries")
    reaction = models.ForeignKey(Reaction, on_delete=models.CASCADE, related_name="+")
    # The digest's account again, for the constraint: a reaction reaches an account once.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "reaction"], name="reactions_digest_once")
        ]

    def __str__(self):
        return f"{self.digest_id}: {self.reaction_id}"
