"""A reply slip's results: the table (a row per family or child), counts and exports.

Shared by the admin (staff) and the portal (the class parent who wrote the mailing).
"""

import csv
import io

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from . import delivery, replies
from .models import ReplyPer

SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReplySlipResults:
    """View mixin: call ``load_results(mailing)`` in dispatch; ``?export=csv|xlsx`` exports."""

    def load_results(self, mailing):
        self.mailing = mailing
        self.questions = list(mailing.reply_fields.all())
        if not self.questions:
            raise Http404
        self.units = replies.reply_units(mailing)

    def rows(self):
        """(unit, [display value per question]) for every child or family."""
        for unit in self.units:
            answers = unit.answer.answers if unit.answer else {}
            yield unit, [replies.display_value(answers.get(q.clean_name)) for q in self.questions]

    def get(self, request, *args, **kwargs):
        export = request.GET.get("export")
        if export == "csv":
            return self.export_csv()
        if export == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        answered = [unit for unit in self.units if unit.answer]
        return super().get_context_data(
            mailing=self.mailing,
            questions=self.questions,
            rows=list(self.rows()),
            answered_count=len(answered),
            unit_count=len(self.units),
            non_responders=[unit for unit in self.units if not unit.answer],
            counts=replies.option_counts(self.mailing, self.units),
            slip_open=self.mailing.reply_slip_open(),
            **kwargs,
        )

    def remind_non_responders(self, request):
        """E-mail who has not answered yet (refused when the slip closed or moments after
        the last reminder), and come back here with a message."""
        if not self.mailing.reply_slip_open():
            messages.error(
                request, _("Het antwoordbriefje is gesloten; een herinnering heeft geen zin meer.")
            )
            return redirect(request.path)
        waiting = [unit for unit in self.units if not unit.answer]
        try:
            count = delivery.remind_non_responders(self.mailing, request.user, waiting)
        except delivery.RemindedRecently:
            messages.error(
                request,
                _("Er is net een herinnering verstuurd. Een volgende kan over tien minuten."),
            )
            return redirect(request.path)
        messages.success(
            request, _("Herinnering verstuurd aan %(count)s ouders.") % {"count": count}
        )
        return redirect(request.path)

    def table(self):
        unit_heading = _("Kind") if self.mailing.reply_per == ReplyPer.CHILD else _("Gezin")
        header = [unit_heading, _("Groep"), _("Ouders"), *[q.label for q in self.questions]]
        header += [_("Beantwoord door"), _("Beantwoord op")]
        body = []
        for unit, values in self.rows():
            answer = unit.answer
            answered_at = answer and timezone.localtime(answer.updated_at)
            body.append(
                [
                    unit.label,
                    ", ".join(sorted({p.group.name for p in unit.pupils if p.group})),
                    ", ".join(guardian.full_name for guardian in unit.guardians),
                    *values,
                    str(answer.answered_by or "") if answer else "",
                    answered_at.strftime("%Y-%m-%d %H:%M") if answer else "",
                ]
            )
        return header, body

    def filename(self, extension):
        return f"antwoorden-{slugify(self.mailing.title)[:50] or self.mailing.pk}.{extension}"

    def export_csv(self):
        header, body = self.table()
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow([spreadsheet_safe(value) for value in header])
        for row in body:
            writer.writerow([spreadsheet_safe(value) for value in row])
        response = HttpResponse(
            "\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.filename("csv")}"'
        return response

    def export_xlsx(self):
        from openpyxl import Workbook

        header, body = self.table()
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(_("Antwoorden")[:31])
        for row in [header, *body]:
            sheet.append([_text_cell(sheet, value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(buffer.getvalue(), content_type=SPREADSHEET)
        response["Content-Disposition"] = f'attachment; filename="{self.filename("xlsx")}"'
        return response


def _text_cell(sheet, value):
    """A cell that is text, whatever it starts with: Excel never runs it as a formula."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=str(value))
    cell.data_type = "s"
    return cell


def spreadsheet_safe(value):
    """Parents' and class parents' text must not run as a formula in a spreadsheet (CSV)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
