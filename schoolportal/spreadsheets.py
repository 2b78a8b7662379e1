"""An uploaded CSV or XLSX file as a table of text cells: one reader for every import.

The imports (the pupil administration's export, a group's test results) each know their own
columns; what a file looks like underneath is decided here once. CSV comes from Excel or a
school system: UTF-8 (with or without Excel's byte order mark) or Windows-1252, separated by
semicolons (Dutch Excel), commas or tabs. XLSX is read with openpyxl, which gives dates and
numbers as such; they are written as text the way the imports read them back.
"""

import csv
import datetime
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook


def read_table(uploaded):
    """The first sheet (or the CSV) of ``uploaded`` as ``[[cell text, …], …]``, header first.

    Raises ValidationError with a message for staff when the file is of another kind or
    cannot be read at all.
    """
    name = (uploaded.name or "").lower()
    content = uploaded.read()
    if name.endswith(".xlsx"):
        return xlsx_table(content)
    if name.endswith((".csv", ".txt")):
        return csv_table(content)
    raise ValidationError(_("Kies een CSV- of Excel-bestand (.csv of .xlsx)."))


def decode(content):
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Windows-1252 leaves a few bytes undefined; a stray one must not lose the file.
        return content.decode("cp1252", errors="replace")


def csv_table(content):
    text = decode(content)
    first_line = text.split("\n", 1)[0]
    # Dutch spreadsheet programs write semicolons; others commas or tabs.
    delimiter = max((";", ",", "\t"), key=first_line.count)
    return [
        [cell.strip() for cell in row]
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    ]


def xlsx_table(content):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged or wrong file
        raise ValidationError(_("Dit Excel-bestand kan niet worden gelezen.")) from error
    try:
        sheet = workbook.worksheets[0]
        return [[cell_text(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def cell_text(value):
    """A cell as text: Excel gives dates and numbers as such (a number 1234 as 1234.0)."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
