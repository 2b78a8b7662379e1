from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from schoolportal.operations.backlog import measure


def minutes(delta):
    return f"{delta.total_seconds() / 60:.0f} min"


class Command(BaseCommand):
    help = (
        "Show the outbox and task-queue backlog. With --max-age N, exit with status 1 when an "
        "e-mail has waited longer than N minutes or a schedule is late (for a monitor)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--max-age", type=int, metavar="MINUTES")

    def handle(self, *args, max_age=None, **options):
        backlog = measure()
        self.stdout.write("Outbox (not yet sent, per kind and status):")
        if not backlog.outbox:
            self.stdout.write("  nothing waiting")
        for kind, statuses in sorted(backlog.outbox.items()):
            counts = ", ".join(f"{status} {count}" for status, count in sorted(statuses.items()))
            self.stdout.write(f"  {kind}: {counts}")
        oldest = minutes(backlog.oldest_due) if backlog.oldest_due else "-"
        self.stdout.write(
            f"Due now: {backlog.due} (oldest waiting {oldest}); "
            f"waiting for a retry: {backlog.retrying}"
        )
        queued = "unreachable" if backlog.queued_tasks is None else backlog.queued_tasks
        self.stdout.write(
            f"Task queue: {queued} queued; failed in the last day: {backlog.failed_tasks_last_day}"
        )
        for func, next_run in backlog.late_schedules:
            self.stdout.write(f"Late schedule: {func} (due {next_run:%Y-%m-%d %H:%M})")

        problems = []
        if max_age is not None and backlog.too_old(timedelta(minutes=max_age)):
            problems.append(f"an e-mail has waited {oldest}")
        if max_age is not None and backlog.late_schedules:
            problems.append(
                f"{len(backlog.late_schedules)} schedule(s) late: is a cluster running?"
            )
        if max_age is not None and backlog.queued_tasks is None:
            problems.append("the task broker cannot be reached")
        if problems:
            raise CommandError("; ".join(problems), returncode=1)
