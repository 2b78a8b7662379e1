"""One upload of the pupil administration: previewed, then applied once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schoolportal.people.models import School


class ImportRun(models.Model):
    """An uploaded export. Its rows are kept between preview and confirmation only, then
    dropped: the pupils' records are the place for that data, not a second copy."""

    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="+", verbose_name=_("school")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("geïmporteerd door"),
    )
    created_at = models.DateTimeField(_("geüpload op"), auto_now_add=True)
    file_name = models.CharField(_("bestand"), max_length=200)
    rows = models.JSONField(default=list, editable=False)
    applied_at = models.DateTimeField(_("verwerkt op"), null=True, blank=True)
    summary = models.JSONField(_("samenvatting"), default=dict, editable=False)

    class Meta:
        verbose_name = _("leerlingimport")
        verbose_name_plural = _("leerlingimports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.school})"
