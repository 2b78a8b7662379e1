from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row whose number grows whenever school data changes (see ``caching``).

    Rendered parent pages are cached under this number, so any change anywhere makes
    every cached page stale at once, in every process.
    """

    version = models.BigIntegerField(default=0)

    class Meta:
        # Made by the portal app, which had the model first.
        db_table = "portal_dataversion"
        verbose_name = _("gegevensversie")

    def __str__(self):
        return str(self.version)
