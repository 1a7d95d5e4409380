"""SQLAlchemy tables derived from the register declarations, plus the few system tables.

Portable SQL only: nothing here is SQLite-specific, so the same metadata and migrations can
later run on a shared PostgreSQL server.  Constraint names follow one naming convention so
Alembic's batch mode can find them on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..registry import REGISTERS
from ..registry import base as kinds

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = sa.MetaData(naming_convention=NAMING)

#: Columns every register table has besides its declared fields.
SYSTEM_COLUMNS = ("id", "uuid", "created_at", "created_by", "updated_at", "updated_by",
                  "deleted_at", "deleted_by", "deleted_reason", "version")


def _column_type(f: kinds.Field) -> sa.types.TypeEngine:
    k = f.kind
    if k == kinds.TEXT:
        return sa.String(f.max_length or 200)
    if k == kinds.LONGTEXT:
        return sa.Text()
    if k == kinds.INT:
        return sa.Integer()
    if k == kinds.FLOAT:
        return sa.Float()
    if k == kinds.BOOL:
        return sa.Boolean(create_constraint=False)
    if k == kinds.DATE:
        return sa.Date()
    if k == kinds.DATETIME:
        return sa.DateTime()
    if k in (kinds.CHOICE, kinds.STEP):
        return sa.String(40)
    if k == kinds.MULTI:
        return sa.String(400)
    if k == kinds.ID_NUMBER:
        return sa.String(18)
    if k == kinds.PHONE:
        return sa.String(40)
    if k == kinds.REF:
        return sa.Integer()
    raise ValueError(k)


def _register_table(reg) -> sa.Table:
    cols: list[sa.schema.SchemaItem] = [
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("uuid", sa.String(36), nullable=False, unique=True),
    ]
    for f in reg.fields:
        args: list = []
        if f.kind == kinds.REF:
            args.append(sa.ForeignKey(f"{f.ref}.id", ondelete="RESTRICT"))
        cols.append(sa.Column(f.key, _column_type(f), *args, nullable=True, unique=f.unique,
                              index=f.kind in (kinds.REF, kinds.STEP) and not f.unique))
    cols += [
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("created_by", sa.String(40), nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(40), nullable=False),
        sa.Column("deleted_at", sa.DateTime, nullable=True),
        sa.Column("deleted_by", sa.String(40), nullable=True),
        sa.Column("deleted_reason", sa.String(200), nullable=True),
        # One more on every write of the record's own values (migration 0008; derived values
        # kept in step by the services are not): a save made from an older version is
        # refused rather than overwriting another PC's change.
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    ]
    return sa.Table(reg.key, metadata, *cols)


TABLES: dict[str, sa.Table] = {reg.key: _register_table(reg) for reg in REGISTERS}

#: Workflow definitions as data (copied from the declarations by a migration; editable).
workflow_steps = sa.Table(
    "workflow_steps", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("workflow", sa.String(40), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.String(40), nullable=False),
    sa.UniqueConstraint("workflow", "name", name="uq_workflow_steps_workflow_name"),
)

#: Each step a workflow row went through, with its date and note.
workflow_events = sa.Table(
    "workflow_events", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("register", sa.String(40), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column("step", sa.String(40), nullable=False),
    sa.Column("done_on", sa.Date, nullable=False),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("actor", sa.String(40), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Index("ix_workflow_events_record", "register", "record_id"),
)

#: Who changed what and when: one row per write, ``changes`` is JSON {field: [before, after]}.
audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("actor", sa.String(40), nullable=False),
    sa.Column("register", sa.String(40), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("changes", sa.Text, nullable=True),
    sa.Index("ix_audit_log_record", "register", "record_id"),
)

#: Small key/value settings kept with the data (office name, …).
app_settings = sa.Table(
    "app_settings", metadata,
    sa.Column("key", sa.String(60), primary_key=True),
    sa.Column("value", sa.Text, nullable=True),
)


def table(key: str) -> sa.Table:
    return TABLES[key]


# -- Excel import history and mapping memory (app/excel; migration 0003) -----------------------

#: One import of a workbook into a register: what, from which file, by whom, with which policy.
import_batches = sa.Table(
    "import_batches", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("register", sa.String(40), nullable=False),
    sa.Column("file_name", sa.String(260), nullable=False),
    sa.Column("sheets", sa.String(400), nullable=True),
    sa.Column("policy", sa.Text, nullable=True),
    sa.Column("counts", sa.Text, nullable=True),
    sa.Column("actor", sa.String(40), nullable=False),
    sa.Column("at", sa.DateTime, nullable=False),
    sa.Column("undone_at", sa.DateTime, nullable=True),
    sa.Column("undone_by", sa.String(40), nullable=True),
)

#: Each row an import wrote, with the image before (JSON, updates) and after (JSON), so that
#: undo can restore exactly and can tell when a row was changed again since.
import_batch_rows = sa.Table(
    "import_batch_rows", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batches.id", ondelete="CASCADE"),
              nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("register", sa.String(40), nullable=False),
    sa.Column("record_id", sa.Integer, nullable=False),
    sa.Column("action", sa.String(10), nullable=False),
    sa.Column("before", sa.Text, nullable=True),
    sa.Column("after", sa.Text, nullable=True),
    sa.Column("source", sa.String(300), nullable=True),
    sa.Index("ix_import_batch_rows_batch", "batch_id", "seq"),
)

#: Header text of a district workbook → field key ("" = 不导入), per register.
import_value_mappings = sa.Table(
    "import_value_mappings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("register", sa.String(40), nullable=False),
    sa.Column("field", sa.String(60), nullable=False),
    sa.Column("value", sa.String(200), nullable=False),
    sa.Column("target", sa.String(200), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("register", "field", "value",
                        name="uq_import_value_mappings_register_field_value"),
)

import_mappings = sa.Table(
    "import_mappings", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("register", sa.String(40), nullable=False),
    sa.Column("header", sa.String(200), nullable=False),
    sa.Column("target", sa.String(60), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False),
    sa.UniqueConstraint("register", "header", name="uq_import_mappings_register_header"),
)
