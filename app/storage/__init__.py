"""Storage: tables derived from the register declarations, and the database file."""

from .database import Database, DatabaseDamaged, DatabaseError, DatabaseReadOnly, \
    DatabaseTooNew, head_revision, open_database
from .schema import TABLES, app_settings, audit_log, metadata, table, workflow_events, \
    workflow_steps

__all__ = ["Database", "DatabaseDamaged", "DatabaseError", "DatabaseReadOnly", "DatabaseTooNew", "TABLES", "app_settings",
           "audit_log", "head_revision", "metadata", "open_database", "table",
           "workflow_events", "workflow_steps"]
