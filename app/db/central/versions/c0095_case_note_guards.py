"""case notes keep their history; the desk does not read a case's outcome note

Revision ID: c0095
Revises: c0090

Editing a case note writes a new note that supersedes the old one and tombstones it
(app/services/case_notes.py): the earlier text is its history. The centre now holds that
line too: a note, once written, keeps its text, kind, author, time and what it
supersedes; an update may only tombstone it, or move it to the real customer in a merge
(`customer.merge`); an erasure still clears it. A note is written in its author's own
name. Before this, a coach's own login could rewrite a note's text and author in place.

A job-search period's outcome note is the coach's words on why the case ended: case
work. Row-level security cannot hide a column, so the desk's group loses SELECT on the
table and gets it on every other column (central_trust.WITHHELD); the desk still reads
whether a case is open, when it closed and the reason code. The pull and the push read
only the columns the connection may (app/sync/columns.py).
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.db.central_trust import WITHHELD

revision: str = "c0095"
down_revision: str | Sequence[str] | None = "c0090"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUPS = "desk_desk, desk_coach, desk_team_lead, desk_admin"
OWNER = "desk_owner"

NOTE_GUARD = """
CREATE OR REPLACE FUNCTION desk_guard_note() RETURNS trigger LANGUAGE plpgsql
SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    me constant text := desk_staff_id();
BEGIN
    IF me IS NULL THEN
        RETURN NEW;  -- the owner or a migration
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.author_id := coalesce(NEW.author_id, me);  -- the centre names the writer
        IF NEW.author_id IS DISTINCT FROM me THEN
            RAISE EXCEPTION 'a case note is written in its author''s own name'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM customer WHERE id = OLD.customer_id
               AND erased_at IS NOT NULL) THEN
        RETURN NEW;  -- the erasure clears the text
    END IF;
    IF (NEW.text, NEW.kind, NEW.author_id, NEW.written_at, NEW.supersedes_id)
            IS DISTINCT FROM (OLD.text, OLD.kind, OLD.author_id, OLD.written_at,
                              OLD.supersedes_id) THEN
        RAISE EXCEPTION 'a case note keeps its text: an edit is a new note that supersedes it'
            USING ERRCODE = 'check_violation';
    END IF;
    IF OLD.deleted_at IS NOT NULL AND NEW.deleted_at IS NULL THEN
        RAISE EXCEPTION 'a superseded or removed case note does not come back'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.customer_id IS DISTINCT FROM OLD.customer_id AND NOT desk_may('customer.merge')
            THEN
        RAISE EXCEPTION 'a case note moves to another customer only in a merge'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER customer_note_history BEFORE INSERT OR UPDATE ON customer_note
    FOR EACH ROW EXECUTE FUNCTION desk_guard_note();
"""


def upgrade() -> None:
    op.execute(NOTE_GUARD)
    op.execute("ALTER FUNCTION desk_guard_note() OWNER TO " + OWNER)
    op.execute("REVOKE EXECUTE ON FUNCTION desk_guard_note() FROM PUBLIC")
    op.execute(f"GRANT EXECUTE ON FUNCTION desk_guard_note() TO {GROUPS}")
    conn = op.get_bind()
    for table, groups in WITHHELD.items():
        columns = [c for c in conn.execute(sa.text(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = "
            "'public' AND table_name = :t ORDER BY ordinal_position"), {"t": table}).scalars()]
        if not columns:  # a later migration's table (c0105's message) does it itself
            continue
        for group, hidden in groups.items():
            if not conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :g"),
                                {"g": group}).scalar():
                continue  # a later migration's group (c0115's desk_partner) does it itself
            shown = ", ".join(f'"{c}"' for c in columns if c not in hidden)
            op.execute(f"REVOKE SELECT ON {table} FROM {group}")
            op.execute(f"GRANT SELECT ({shown}) ON {table} TO {group}")


def downgrade() -> None:
    raise NotImplementedError("c0095 changes rights: restore the backup taken before the "
                              "upgrade")
