"""Alembic environment for the central PostgreSQL database."""

from alembic import context
from sqlalchemy import create_engine

from app.db.central_schema import central_metadata

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass an engine or a url in the config's attributes "
                           "(app.db.migrate passes the engine) or set sqlalchemy.url")
    engine = create_engine(url)



def include_object(obj, name, type_, reflected, compare_to):
    """row_tx and its index are made by the sync migration, not the models: autogenerate
    must not propose dropping them."""
    return not (name and "row_tx" in name)


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=central_metadata(),
        compare_type=True,
        version_table="alembic_version_central",
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
