"""Queue the project's tasks on django-q2 after the surrounding transaction commits.

Task arguments are ids and plain values only: django-q2 pickles them into its
broker and result tables, so names, addresses or message text must never go in.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_q.models import Schedule
from django_q.tasks import async_task


def enqueue(func, *args):
    """Run ``func(*args)`` in a worker once the current transaction has committed."""
    transaction.on_commit(lambda: async_task(func, *args, task_name=_task_name(func)))


def enqueue_now(func, *args):
    """Run ``func(*args)`` in a worker, outside any transaction (from a task, say)."""
    async_task(func, *args, task_name=_task_name(func))


def retry_later(func, *args, attempt):
    """Schedule attempt ``attempt`` of ``func(*args)``, backing off 1, 2, 4… minutes."""
    delay = timedelta(minutes=2 ** (attempt - 2))
    Schedule.objects.create(
        func=func,
        args=repr(args),
        kwargs=repr({"attempt": attempt}),
        schedule_type=Schedule.ONCE,
        repeats=1,
        next_run=timezone.now() + delay,
        name=f"{_task_name(func)} retry {attempt} {timezone.now().timestamp()}",
    )


def _task_name(func):
    return func.rsplit(".", 1)[-1]
