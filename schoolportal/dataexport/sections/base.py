"""What a section of the export is: tables of rows, and the stored files that go with them.

A row is a dict of plain values (text, numbers, dates, yes/no, lists of text, ``Attached``
files); the HTML page formats them for people, the JSON keeps them as they are.
"""

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Attached:
    """A stored file put into the ZIP at ``path``; rows show it as a link."""

    path: str
    name: str


@dataclass
class Table:
    title: str
    columns: list  # (key in the JSON, Dutch column heading)
    rows: list = field(default_factory=list)


@dataclass
class Section:
    key: str  # its name in the JSON, stable across languages
    title: str
    intro: str = ""
    tables: list = field(default_factory=list)
    files: list = field(default_factory=list)  # (Attached, stored FieldFile)

    def attach(self, folder, pk, name, stored):
        """Put ``stored`` into the ZIP under ``folder``; returns the ``Attached`` for a row."""
        attached = Attached(f"{folder}/{pk}-{safe_filename(name)}", name)
        self.files.append((attached, stored))
        return attached


UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def safe_filename(name):
    """A name any file system takes: no folders, no control characters."""
    return UNSAFE.sub("-", name).strip(" .") or "bestand"
