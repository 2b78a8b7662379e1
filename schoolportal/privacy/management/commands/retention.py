"""``manage.py retention [--dry-run]``: what the daily retention run does, by hand."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from schoolportal.privacy.retention import run


class Command(BaseCommand):
    help = "Verwijdert of anonimiseert gegevens waarvan de bewaartermijn verlopen is."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Alleen tellen wat er zou gebeuren; -v 2 noemt ook de gegevens zelf.",
        )

    def handle(self, *args, dry_run=False, verbosity=1, **options):
        outcomes = run(dry_run=dry_run, list_objects=dry_run and verbosity >= 2)
        if dry_run:
            line = _("%(kind)s: %(count)d zou(den) worden %(action)s (termijn %(days)d dagen)")
        else:
            line = _("%(kind)s: %(count)d %(action)s (termijn %(days)d dagen)")
        for outcome in outcomes:
            rule = outcome.rule
            self.stdout.write(
                line
                % {
                    "kind": rule.kind,
                    "count": outcome.count,
                    "action": rule.action,
                    "days": rule.days,
                }
            )
            for found in outcome.objects:
                self.stdout.write(f"  {found}")
        if dry_run:
            self.stdout.write(_("Proefdraaien: er is niets veranderd."))
