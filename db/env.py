"""Alembic environment: runs on the connection that ``app.storage`` hands over (batch mode
so that SQLite can alter tables)."""

from alembic import context

from app.storage.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only used from the command line
    from sqlalchemy import create_engine
    connection = create_engine(config.get_main_option("sqlalchemy.url")).connect()

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
