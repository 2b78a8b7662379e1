"""What other apps may follow of an absence without absences knowing them.

``absence_days_changed(sender=AbsenceReport, report=...)`` is sent inside the transaction
that records a report or gives it new days (reported, extended or corrected by staff):
overblijven cancels the lunch days the absence covers, in the same transaction.
"""

from django.dispatch import Signal

absence_days_changed = Signal()
