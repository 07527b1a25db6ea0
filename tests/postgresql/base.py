"""Django's PostgreSQL backend for the test run, with a transactional test's clean-up in milliseconds.

A transactional test (`transaction=True`: a real commit) ends with `flush`, and the rows the migrations made
(permissions, content types, the roles' groups, the site) are then loaded again from their serialized copy.
Django's own way took most of such a test's time on a 2-core machine:
- PostgreSQL's TRUNCATE swaps the files of every table, about 0.7 s for this schema; DELETE on tables that hold
  a test's few rows takes about 20 ms. Foreign keys are all DEFERRABLE (Django creates them so), so the order of
  the DELETEs does not matter within the flush's transaction.
- Django saves the serialized rows one by one, an UPDATE and then an INSERT each, about 0.3 s; one INSERT per
  table takes a few milliseconds.
Selected by tests/conftest.py; the servers the tests start use Django's own backend.
"""

from collections import defaultdict
from io import StringIO

from django.contrib.sites.models import Site
from django.core import serializers
from django.db import transaction
from django.db.backends.postgresql import base, creation

DEFER_CONSTRAINTS = "SET CONSTRAINTS ALL DEFERRED;"
# The migrated rows' serialized copy, by database alias. Django keeps it on the connection object, but while
# Playwright's event loop runs (tests/e2e), asgiref gives the thread connection objects of their own.
SERIALIZED_ROWS = {}


class DatabaseOperations(base.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        deletes = [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};" for table in tables]
        return [DEFER_CONSTRAINTS, *deletes]

    def execute_sql_flush(self, sql_list):
        """Empty the tables, then put back the rows the migrations made: every test starts from the migrated
        database whichever kind of test ran before it, not only in the order Django's runner keeps."""
        super().execute_sql_flush(sql_list)
        serialized = getattr(self.connection, "_test_serialized_contents", None)
        if serialized and sql_list[:1] == [DEFER_CONSTRAINTS]:
            self.connection.creation.deserialize_db_from_string(serialized)


class DatabaseCreation(creation.DatabaseCreation):
    def deserialize_db_from_string(self, data):
        """The serialized rows back into the emptied tables, one INSERT per table and per many-to-many field."""
        alias = self.connection.alias
        rows = list(serializers.deserialize("json", StringIO(data), using=alias))
        by_model = defaultdict(list)
        for row in rows:
            by_model[type(row.object)].append(row.object)
        with transaction.atomic(using=alias), self.connection.constraint_checks_disabled():
            for model, objects in by_model.items():
                # Conflicts only before the first flush, where the rows are already there, as they were serialized.
                model._base_manager.using(alias).bulk_create(objects, ignore_conflicts=True)
            for row in rows:
                for name, related in (row.m2m_data or {}).items():
                    getattr(row.object, name).set(related)
        self.connection.check_constraints(table_names=[model._meta.db_table for model in by_model])
        Site.objects.clear_cache()  # Saving a site clears it; bulk_create sends no signals.


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    creation_class = DatabaseCreation

    @property
    def _test_serialized_contents(self):
        try:
            return SERIALIZED_ROWS[self.alias]
        except KeyError:
            raise AttributeError("_test_serialized_contents") from None

    @_test_serialized_contents.setter
    def _test_serialized_contents(self, rows):
        SERIALIZED_ROWS[self.alias] = rows
