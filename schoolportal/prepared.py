"""Querysets compiled to SQL once per process, then only run.

Building and compiling a queryset costs more than running it when it reads a handful of
rows by key: the logged-in user with their guardian profile (every request) took 1.1 ms
through the ORM, of which 0.2 ms was the database. A ``PreparedQuery`` builds the queryset
once per database with marker values, keeps the compiled SQL, and on each call runs it
with the real values, converts the columns and makes the model instances the way the
ORM's own iterator does (``select_related`` included). Every call still reads the
database: nothing is cached but the SQL text.

Only for querysets whose SQL does not depend on the values: equality lookups on keys,
not ``__in`` lists (their number of placeholders varies) and not lookups the ORM rewrites
for some values (``None`` becomes ``IS NULL``).
"""

import threading
from dataclasses import dataclass, field

from django.db import connections
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)

# Values no real key has, so their places in the compiled parameters are unambiguous.
_MARKER_BASE = -7_931_000


@dataclass
class _Compiled:
    """A compiled query: its SQL, where each value goes, and how rows become results."""

    sql: str
    slots: list  # per parameter: (index of the value, None) or (None, constant)
    compiler: object
    converters: dict = field(default_factory=dict)  # per column: the database's converters
    flat: bool = False  # values_list(flat=True)
    model: type | None = None  # None: values_list() rows are the results
    start: int = 0
    end: int = 0
    field_names: list = field(default_factory=list)
    populators: list = field(default_factory=list)  # select_related()
    annotations: list = field(default_factory=list)


class PreparedQuery:
    """``build(*values)`` returns the queryset; calling the prepared query returns its rows:
    model instances, or tuples for ``values_list()``.

    >>> users_by_pk = PreparedQuery(lambda pk: User.objects.filter(pk=pk))
    >>> users_by_pk(42)  # [<User: ...>] or []
    """

    def __init__(self, build, arity=1, using="default"):
        self.build = build
        self.arity = arity
        self.using = using
        self._compiled = {}
        self._lock = threading.Lock()

    def _compile(self, connection):
        """The SQL, where each value goes in its parameters, and how rows become objects."""
        markers = [_MARKER_BASE - index for index in range(self.arity)]
        queryset = self.build(*markers)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        # Per parameter: the index of the value that goes there, or the constant it keeps.
        # A text field's lookup turns the marker into text: compared as text, both match.
        texts = [str(marker) for marker in markers]
        slots = [
            (texts.index(str(param)), None) if str(param) in texts else (None, param)
            for param in params
        ]
        if sorted({index for index, _constant in slots if index is not None}) != list(
            range(self.arity)
        ):
            raise ValueError("PreparedQuery: every value must appear in the SQL.")
        selected = [column[0] for column in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(selected):
            raise ValueError("PreparedQuery: no composite primary keys.")
        compiled = _Compiled(sql, slots, compiler, compiler.get_converters(selected))
        rows_are = queryset._iterable_class
        if rows_are in (ValuesListIterable, FlatValuesListIterable):
            # Django 5.2 selects in values_list() order, annotations included; extra() not.
            if queryset.query.extra_select:
                raise ValueError("PreparedQuery: no extra().")
            compiled.flat = rows_are is FlatValuesListIterable
            return compiled
        if rows_are is not ModelIterable:
            raise ValueError("PreparedQuery: model instances or values_list() only.")
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ValueError("PreparedQuery: no prefetch_related() or related managers.")
        klass_info = compiler.klass_info
        select_fields = klass_info["select_fields"]
        compiled.model = klass_info["model"]
        compiled.start, compiled.end = select_fields[0], select_fields[-1] + 1
        compiled.field_names = [
            column[0].target.attname for column in compiler.select[compiled.start : compiled.end]
        ]
        compiled.populators = get_related_populators(klass_info, compiler.select, connection.alias)
        compiled.annotations = list(compiler.annotation_col_map.items())
        return compiled

    def compiled(self, connection):
        # Keyed on the vendor too: tests switch databases under the same alias.
        key = (connection.alias, connection.vendor)
        compiled = self._compiled.get(key)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(key) or self._compile(connection)
                self._compiled[key] = compiled
        return compiled

    def first(self, *values):
        """The first row, or None."""
        rows = self(*values)
        return rows[0] if rows else None

    def __call__(self, *values):
        if len(values) != self.arity:
            raise TypeError(f"PreparedQuery takes {self.arity} values, got {len(values)}.")
        connection = connections[self.using]
        if any(_out_of_range(value, connection) for value in values):
            return []  # as the ORM answers an id no column can hold (an id from a URL)
        compiled = self.compiled(connection)
        params = [
            constant if index is None else values[index] for index, constant in compiled.slots
        ]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        if compiled.model is None:
            return [row[0] for row in rows] if compiled.flat else list(map(tuple, rows))
        objects = []
        for row in rows:
            instance = compiled.model.from_db(
                connection.alias, compiled.field_names, row[compiled.start : compiled.end]
            )
            for populator in compiled.populators:
                populator.populate(row, instance)
            for name, position in compiled.annotations:
                setattr(instance, name, row[position])
            objects.append(instance)
        return objects


def _out_of_range(value, connection):
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    low, high = connection.ops.integer_field_range("BigIntegerField")
    return not low <= value <= high
