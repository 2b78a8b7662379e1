"""The demo school's Resultaten: Emma and Daan Jansen and Sophie de Vries have released
reports (PDFs made here with fpdf2, nothing downloaded) and test results over the last two
school years; Daan has a result released yesterday (the dashboard shows it as new) and Emma
one the teacher has not released yet.

Idempotent: reports and results are looked up by pupil, year and title or test and date.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from fpdf import FPDF

from schoolportal.people.models import Pupil, School
from schoolportal.results.models import SchoolReport, TestResult

# Per child: per test, the scores at the mid-year (January) and end-of-year (June) tests of
# the two school years before this one.
SCORES = {
    ("Emma", "Jansen"): {"Rekenen-Wiskunde": (21, 28, 35, 41), "Spelling": (18, 24, 30, 37)},
    ("Daan", "Jansen"): {
        "Rekenen-Wiskunde": (72, 78, 83, 90),
        "Spelling": (80, 82, 88, 91),
        "Begrijpend lezen": (30, 36, 35, 42),
    },
    ("Sophie", "Vries"): {"Rekenen-Wiskunde": (25, 27, 33, 38), "Spelling": (22, 29, 31, 36)},
}
LEVEL_BANDS = ((0.8, "I"), (0.6, "II"), (0.4, "III"), (0.2, "IV"), (0.0, "V"))
REPORTS = (("Rapport 1", 2, 10), ("Rapport 2", 7, 3))  # (title, month, day) of each year


def level_of(score, scores):
    """I (best) to V by where a score lies between the child's lowest and highest."""
    low, high = min(scores), max(scores)
    place = (score - low) / ((high - low) or 1)
    return next(level for floor, level in LEVEL_BANDS if place >= floor)


def moment(day):
    return timezone.make_aware(datetime.combine(day, time(16, 0)))


def report_pdf(school, pupil, title, school_year, lines):
    """A one-page rapport: the school, the child, the period and the year's test results."""
    pdf = FPDF(format="A4")
    pdf.set_title(f"{title} {school_year} {pupil.full_name}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 18)
    pdf.cell(0, 12, school.name, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(0, 9, f"{title} - schooljaar {school_year}", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 9, f"Leerling: {pupil.full_name}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 8, "Toetsresultaten", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for line in lines:
        pdf.cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.multi_cell(
        0,
        6,
        f"{pupil.first_name} werkt met plezier en zet goede stappen. We bespreken dit rapport "
        "graag met u tijdens de rapportgesprekken.",
    )
    return bytes(pdf.output())


def build_results(builder, school, year):
    if not school.results_enabled:
        School.objects.filter(pk=school.pk).update(results_enabled=True)
    this_year = year.start_date.year
    today = timezone.localdate()
    for (first_name, last_name), tests in SCORES.items():
        pupil = Pupil.objects.filter(
            school=school, first_name=first_name, last_name=last_name
        ).first()
        if pupil is None:
            continue
        for index, start in enumerate((this_year - 2, this_year - 1)):
            school_year = f"{start}-{start + 1}"
            lines = []
            for half, taken_on in enumerate((date(start + 1, 1, 24), date(start + 1, 6, 12))):
                for test_name, scores in tests.items():
                    score = scores[index * 2 + half]
                    builder.get_or_create(
                        TestResult,
                        pupil=pupil,
                        test_name=test_name,
                        taken_on=taken_on,
                        defaults={
                            "school": school,
                            "score": Decimal(score),
                            "level": level_of(score, scores),
                            "released_at": moment(taken_on + timedelta(days=14)),
                        },
                    )
                    lines.append(f"{taken_on:%d-%m-%Y}  {test_name}: {score}")
            for (title, month, day), upto in zip(
                REPORTS, (len(lines) // 2, len(lines)), strict=True
            ):
                released = date(start + 1, month, day)
                if SchoolReport.objects.filter(
                    pupil=pupil, school_year=school_year, title=title
                ).exists():
                    continue
                report = SchoolReport(
                    pupil=pupil,
                    school=school,
                    school_year=school_year,
                    title=title,
                    released_at=moment(released),
                )
                content = report_pdf(school, pupil, title, school_year, lines[:upto])
                report.file.save("rapport.pdf", ContentFile(content), save=False)
                report.save()
                builder.report.count(SchoolReport._meta.verbose_name_plural, True)
        if first_name == "Daan":
            # Released yesterday: the parents' dashboard shows it as new.
            builder.get_or_create(
                TestResult,
                pupil=pupil,
                test_name="Methodetoets rekenen blok 3",
                taken_on=today - timedelta(days=6),
                defaults={
                    "school": school,
                    "score": Decimal("8.5"),
                    "note": "Breuken gaan al heel goed.",
                    "released_at": timezone.now() - timedelta(days=1),
                },
            )
        if first_name == "Emma":
            # Not released yet: the teacher discusses it first.
            builder.get_or_create(
                TestResult,
                pupil=pupil,
                test_name="Methodetoets spelling blok 2",
                taken_on=today - timedelta(days=3),
                defaults={"school": school, "score": Decimal("6.5"), "level": "III"},
            )
