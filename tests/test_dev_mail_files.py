"""Without a mail server every e-mail is its own .eml file in var/mail/, newest last."""

import email
import os
import subprocess
import sys
from email import policy
from pathlib import Path

from django.core.mail import EmailMultiAlternatives, get_connection

ROOT = Path(__file__).resolve().parent.parent
BACKEND = "schoolportal.notifications.files.EmailBackend"


def message(subject, to="ouder@example.org"):
    mail = EmailMultiAlternatives(subject, f"Tekst van {subject}", "school@example.org", [to])
    mail.attach_alternative(f"<p>HTML van {subject}</p>", "text/html")
    return mail


def test_every_message_of_a_batch_becomes_its_own_eml_file_sorted_oldest_first(tmp_path):
    connection = get_connection(BACKEND, file_path=tmp_path / "mail")

    sent = connection.send_messages([message(f"Bericht {n}") for n in range(1, 4)])
    connection.send_messages([message("Bericht 4")])

    files = sorted((tmp_path / "mail").iterdir())
    assert sent == 3
    assert [path.suffix for path in files] == [".eml"] * 4
    subjects = [
        email.message_from_bytes(path.read_bytes(), policy=policy.default)["Subject"]
        for path in files
    ]
    assert subjects == ["Bericht 1", "Bericht 2", "Bericht 3", "Bericht 4"]


def test_an_eml_file_is_a_complete_message_a_mail_client_can_open(tmp_path):
    mail = message("Uitnodiging", to="jansen@example.org")
    mail.attach("rooster.txt", "maandag vrij", "text/plain")
    get_connection(BACKEND, file_path=tmp_path).send_messages([mail])

    (path,) = tmp_path.iterdir()
    parsed = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    assert parsed["To"] == "jansen@example.org"
    assert parsed["From"] == "school@example.org"
    assert parsed.get_body(("plain",)).get_content().strip() == "Tekst van Uitnodiging"
    assert "<p>HTML van Uitnodiging</p>" in parsed.get_body(("html",)).get_content()
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_filename() == "rooster.txt"


def test_nothing_to_send_writes_nothing(tmp_path):
    assert get_connection(BACKEND, file_path=tmp_path / "mail").send_messages([]) == 0
    assert not (tmp_path / "mail").exists()


def test_development_settings_write_eml_files_to_var_mail_without_a_mail_server(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("EMAIL_")}
    env.update(
        DJANGO_SETTINGS_MODULE="schoolportal.settings.dev",
        SCHOOLPORTAL_VAR_DIR=str(tmp_path / "var"),
        PYTHONDONTWRITEBYTECODE="1",
    )
    code = (
        "import django; django.setup(); from django.core.mail import send_mail; "
        "send_mail('Welkom', 'Hallo', 'school@example.org', ['ouder@example.org'])"
    )
    result = subprocess.run(  # noqa: S603 - fixed arguments, our own interpreter
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    (path,) = (tmp_path / "var" / "mail").iterdir()
    assert path.suffix == ".eml"
    assert email.message_from_bytes(path.read_bytes())["Subject"] == "Welkom"
