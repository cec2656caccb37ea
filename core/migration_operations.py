"""Migration operations that run on PostgreSQL only and do nothing elsewhere.

The product runs on PostgreSQL; ``make run`` runs on SQLite. Some database objects exist only on
PostgreSQL (a GIN index, a text search configuration): these operations keep the migration state
the same on both, and touch the database only on PostgreSQL.
"""

from django.contrib.postgres import operations as postgres_operations
from django.db import migrations


def _on_postgresql(schema_editor):
    return schema_editor.connection.vendor == "postgresql"


class RunSQLOnPostgreSQL(migrations.RunSQL):
    """``RunSQL`` for what only PostgreSQL has (an extension's objects, a GIN index, a text search
    configuration); nothing on SQLite."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if _on_postgresql(schema_editor):
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class UnaccentExtension(postgres_operations.UnaccentExtension):
    """The ``unaccent`` extension, created on PostgreSQL (Django's operation already does nothing
    elsewhere going forwards). Going back it is kept: other objects of the database may use it,
    and Django's backwards step would query PostgreSQL's catalogue on SQLite too."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        """Migrating back keeps the extension (see the class)."""
