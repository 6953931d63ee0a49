"""Alembic environment for the central PostgreSQL database."""

from alembic import context
from sqlalchemy import create_engine

from app.db.central_schema import central_metadata

config = context.config
url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
engine = config.attributes.get("engine") or create_engine(url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=central_metadata(),
        compare_type=True,
        version_table="alembic_version_central",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
