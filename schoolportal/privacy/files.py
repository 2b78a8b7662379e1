"""Files leave storage only once the rows that named them are gone for good."""

from django.db import transaction


def delete_after_commit(storage, names):
    """Delete ``names`` from ``storage`` when the current transaction commits (a rolled back
    deletion keeps its files)."""
    names = [name for name in names if name]
    if not names:
        return

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)
