"""English is available for every Dutch string, and the compiled catalog matches the source."""

import ast
import gettext
import re
from pathlib import Path

from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
ENTRY = re.compile(
    r'^msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?(?:msgstr(?:\[\d\])? (?:".*"\n?)+)+',
    re.MULTILINE,
)


def po_entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        if block.lstrip().startswith("#~"):
            continue  # obsolete
        match = ENTRY.search(block + "\n")
        if not match:
            continue
        msgid = "".join(ast.literal_eval(line) for line in match.group(1).splitlines())
        if msgid:
            yield msgid, "#, fuzzy" in block or ", fuzzy" in block


def test_no_english_translation_is_missing_or_fuzzy():
    catalog = gettext.GNUTranslations((LOCALE / "django.mo").open("rb"))
    entries = list(po_entries())

    assert len(entries) > 500
    fuzzy = [msgid for msgid, is_fuzzy in entries if is_fuzzy]
    missing = [msgid for msgid, _fuzzy in entries if catalog.gettext(msgid) == msgid]
    # Words spelled the same in both languages ("Agenda", "Mailings") are fine.
    missing = [msgid for msgid in missing if not _same_in_english(msgid)]
    assert fuzzy == [], "fuzzy entries in django.po"
    assert missing == [], "untranslated, or django.mo is older than django.po"


SAME_IN_ENGLISH = {
    "Accounts",
    "%(guardian)s (%(relation)s)",
    "Code",
    "Privacy",
    "Redis",
    "Via",
    "live",
    "account",
    "Agenda",
    "Blog",
    "Blog %(name)s",
    "Apple (iPhone, iPad, Mac)",
    "Contact",
    "Dashboard",
    "Mailing",
    "mailing",
    "Mailings",
    "mailings",
    "Modules",
    "Open mailing: %(title)s",
    "Outlook",
    "PDF",
    "postcode",
    "School",
    "Score",
    "score",
    "school",
    "Status",
    "status",
    "via",
    "via %(channel)s",
    "Was",
    "was",
    "website",
}


def _same_in_english(msgid):
    # Only placeholders and punctuation ("%(name)s (%(count)s)", "%(name)s – %(role)s").
    words = re.sub(r"%\(\w+\)[sd]", "", msgid)
    return msgid in SAME_IN_ENGLISH or not re.search(r"[^\W\d_]", words)
