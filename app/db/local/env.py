"""Alembic environment for the local SQLite database (batch mode for ALTERs)."""

from alembic import context

from app.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:
    from sqlalchemy import create_engine

    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database: pass an engine in the config's attributes "
                           "(app.db.migrate does) or set sqlalchemy.url")
    engine = create_engine(url)

with engine.connect() as connection:
    # A batch migration that rebuilds a table (0060 appointment, 0115 staff) drops it;
    # with foreign keys enforced, SQLite refuses to drop a table other rows point at. So
    # they are off while migrating (the pragma only works outside a transaction), as the
    # pull has them off while it applies rows in any order (app/sync/pull.py).
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    try:
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
    finally:
        if sqlite:  # also after a failed migration: the connection goes back to a pool
            connection.rollback()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
