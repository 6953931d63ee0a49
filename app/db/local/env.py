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
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
