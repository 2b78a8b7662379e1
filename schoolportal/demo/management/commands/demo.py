from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from schoolportal.demo.school import DEMO_PASSWORD, DemoSchoolBuilder


class Command(BaseCommand):
    help = "Load the demo school 'Basisschool De Regenboog' (idempotent; never in production)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--families",
            type=int,
            default=120,
            help="Number of generated families besides the named demo families (default 120, "
            "about 25 pupils per group).",
        )

    def handle(self, *args, families, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            raise CommandError(
                "The demo school has well-known passwords and is refused under these settings."
            )
        report = DemoSchoolBuilder(families=families).build()
        if report.created:
            created = ", ".join(
                f"{count} {label}" for label, count in sorted(report.created.items())
            )
            self.stdout.write(self.style.SUCCESS(f"Demo school loaded: created {created}."))
        else:
            self.stdout.write("Demo school already present: nothing changed.")
        self.stdout.write(f"Demo accounts use the password '{DEMO_PASSWORD}'.")
