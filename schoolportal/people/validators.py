import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

POSTCODE_RE = re.compile(r"^\s*([1-9]\d{3})\s*([A-Za-z]{2})\s*$")
# Dutch numbers (06-12345678, 020 123 4567) or international (+32 2 123 45 67).
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()\-]{7,18}[0-9]$")


def normalise_postcode(value):
    """'1234ab' -> '1234 AB'; anything that is not a Dutch postcode is left as typed."""
    match = POSTCODE_RE.match(value or "")
    if not match:
        return (value or "").strip()
    return f"{match.group(1)} {match.group(2).upper()}"


def validate_postcode(value):
    if value and not POSTCODE_RE.match(value):
        raise ValidationError(
            _("Vul een Nederlandse postcode in, bijvoorbeeld 1234 AB."), code="invalid_postcode"
        )


def validate_phone(value):
    if not value:
        return
    digits = re.sub(r"\D", "", value)
    if not PHONE_RE.match(value.strip()) or not 9 <= len(digits) <= 15:
        raise ValidationError(
            _("Vul een geldig telefoonnummer in, bijvoorbeeld 06-12345678 of +32 2 123 45 67."),
            code="invalid_phone",
        )
