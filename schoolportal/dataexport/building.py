"""Building the ZIP in a django-q2 task: one export per user at a time, progress recorded
after every section, the e-mail queued with the result.

The ZIP holds ``index.html`` (readable, Dutch, self-contained), ``gegevens.json`` (the same
rows for other programs) and the files the rows link to (reports, message attachments).
"""

import json
import logging
import shutil
import tempfile
import zipfile

from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from schoolportal import access
from schoolportal.notifications import outbox
from schoolportal.notifications.queue import enqueue

from .models import KEPT_FOR, DataExport
from .rendering import page_context
from .sections import SECTIONS, Attached

logger = logging.getLogger(__name__)

BUILD = "schoolportal.dataexport.building.build"
READY_KIND = "data_export_ready"
# Sections take 90% of the bar, copying the files the rest.
SECTIONS_SHARE = 90


def request_export(user):
    """Queue an export of ``user``'s data; while one is on its way, that one.

    Returns ``(export, created)``. The database keeps it to one unfinished export per user,
    so two clicks at once queue one task.
    """
    running = access.own_data_exports(user).unfinished().first()
    if running is not None:
        return running, False
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
            enqueue(BUILD, export.pk)
    except IntegrityError:  # the other click won
        return access.own_data_exports(user).unfinished().get(), False
    return export, True


def _progress(export_id, percent):
    DataExport.objects.filter(pk=export_id, status=DataExport.Status.RUNNING).update(
        progress=percent
    )


def collect(user, on_progress=lambda percent: None):
    """Every section of ``user``'s data, reporting progress after each."""
    sections = []
    for done, section in enumerate(SECTIONS, start=1):
        sections.append(section(user))
        on_progress(SECTIONS_SHARE * done // len(SECTIONS))
    return sections


def as_json(value):
    if isinstance(value, Attached):
        return value.path
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


def json_document(user, sections, now):
    return {
        "generated_at": now,
        "account": user.email,
        "sections": {
            section.key: {
                "title": section.title,
                "tables": [
                    {
                        "title": table.title,
                        "columns": dict(table.columns),
                        "rows": [
                            {key: as_json(row.get(key)) for key, _label in table.columns}
                            for row in table.rows
                        ],
                    }
                    for table in section.tables
                ],
            }
            for section in sections
        },
    }


def write_zip(target, user, sections, now, on_progress=lambda percent: None):
    """Write the ZIP of ``sections`` to the open binary file ``target``."""
    with_files = [section for section in sections if section.files]
    missing = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        # Progress once per section's files, not per file: a fixed number of updates.
        for done, section in enumerate(with_files, start=1):
            for attached, stored in section.files:
                try:
                    with stored.open("rb") as source, archive.open(attached.path, "w") as copy:
                        shutil.copyfileobj(source, copy)
                except OSError:
                    # A file lost from storage must not cost the parent the rest of their data.
                    missing.append(attached)
            share = 100 - SECTIONS_SHARE - 1
            on_progress(SECTIONS_SHARE + share * done // len(with_files))
        with translation.override("nl"):
            html = render_to_string(
                "dataexport/export.html", page_context(user, sections, missing, now)
            )
        archive.writestr("index.html", html)
        document = json_document(user, sections, now)
        document["missing_files"] = [attached.path for attached in missing]
        text = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        archive.writestr("gegevens.json", text)


def build(export_id):
    """The task: claim the export, write its ZIP, offer it for a week and say so by e-mail.

    Runs once per export: a second delivery of the task finds it claimed and does nothing.
    """
    now = timezone.now()
    claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.QUEUED).update(
        status=DataExport.Status.RUNNING, started_at=now, progress=0
    )
    if not claimed:
        return
    export = DataExport.objects.select_related("user").get(pk=export_id)
    user = export.user
    try:
        with tempfile.TemporaryFile() as target:
            sections = collect(user, lambda percent: _progress(export_id, percent))
            write_zip(target, user, sections, now, lambda p: _progress(export_id, p))
            size = target.tell()
            target.seek(0)
            export.file.save("export.zip", File(target), save=False)
    except Exception:
        logger.exception("data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.FAILED, finished_at=timezone.now()
        )
        if export.file.name:
            export.file.storage.delete(export.file.name)
        return
    finished = timezone.now()
    with transaction.atomic():
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.READY,
            progress=100,
            file=export.file.name,
            size=size,
            finished_at=finished,
            expires_at=finished + KEPT_FOR,
        )
        # The new download replaces older ones: one copy of the family's data is enough.
        access.own_data_exports(user).exclude(pk=export_id).exclude(
            status__in=DataExport.UNFINISHED
        ).delete()
        outbox.queue(READY_KIND, export_id, [(user.email, user.pk)])
