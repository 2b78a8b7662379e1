"""Parents submitting the same interview time at the same moment: the race itself.

``race`` lets several families post the booking form for one slot at once, from their own
threads with their own database connections, slot after slot. On PostgreSQL the test
process runs it against the test database; SQLite's test database lives in memory with a
shared cache, where writers fail instead of waiting, so there ``python -m
tests.interview_race`` runs it in a fresh process against a real database file, as the
web workers of an installation would share it.
"""

import json
import sys
import threading
from datetime import date, time, timedelta

TAKEN = "Deze tijd is net door een andere ouder gekozen."


def world(families):
    """A round open now for one group with ``families`` families in it; (round, parents'
    users, children)."""
    from django.utils import timezone

    from schoolportal.interviews import rules
    from schoolportal.interviews.models import InterviewDay, InterviewRound
    from tests.factories import GroupFactory, PupilFactory, StaffMemberFactory, parent_of

    group = GroupFactory()
    teacher = StaffMemberFactory(school=group.school)
    group.teachers.add(teacher)
    now = timezone.now()
    interview_round = InterviewRound.objects.create(
        school=group.school,
        title="Race",
        slot_minutes=5,
        booking_opens_at=now - timedelta(days=1),
        booking_closes_at=now + timedelta(days=7),
    )
    interview_round.groups.add(group)
    interview_round.save()
    InterviewDay.objects.create(
        round=interview_round,
        teacher=teacher,
        date=date.today() + timedelta(days=10),
        start_time=time(13),
        end_time=time(17),
    )
    rules.generate_slots(interview_round)
    children = [PupilFactory(group=group, school=group.school) for _ in range(families)]
    users = [parent_of(child).user for child in children]
    return interview_round, users, children


def race(interview_round, users, children, repetitions):
    """Every family posts slot n at once, for n in ``repetitions`` slots; per slot the
    (status, was the loser told it is taken) of each family."""
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    slots = list(interview_round.slots.order_by("starts_at").values_list("pk", flat=True))
    slots = slots[:repetitions]
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(len(users))
    outcomes = [[] for _ in slots]
    errors = []

    def family(n):
        url = reverse("interviews:book", args=[interview_round.pk, children[n].pk])
        try:
            for rep, slot in enumerate(slots):
                barrier.wait()
                response = clients[n].post(url, {"slot": slot})
                outcomes[rep].append((response.status_code, TAKEN in response.text))
        except Exception as error:  # reported by the caller
            errors.append(repr(error))
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=family, args=(n,)) for n in range(len(users))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes, errors


def main():
    """In a fresh process (DATABASE_URL: an empty SQLite file): migrate, race, print JSON."""
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from schoolportal.interviews.models import InterviewBooking

    families, repetitions = int(sys.argv[1]), int(sys.argv[2])
    interview_round, users, children = world(families)
    outcomes, errors = race(interview_round, users, children, repetitions)
    per_slot = list(
        InterviewBooking.objects.values_list("slot__starts_at", flat=True).order_by("slot_id")
    )
    print(json.dumps({"outcomes": outcomes, "errors": errors, "bookings": len(per_slot)}))


if __name__ == "__main__":
    main()
