"""The central trigger that scrubs an erased customer's dependent rows, generated from
the erasure specification in app/rules/erasure.py."""

from __future__ import annotations

from typing import Any

from app.rules.erasure import NOW, SCRUB

Scrub = list[tuple[str, str, dict[str, Any]]]


def central_trigger_sql(scrub: Scrub = SCRUB, replace: bool = False) -> str:
    """The central trigger function that scrubs dependent rows (from SCRUB; a migration
    passes the tables that existed when it ran)."""
    now = "(now() AT TIME ZONE 'utc')"
    plans = "SELECT id FROM plan WHERE customer_id = NEW.id"
    versions = f"SELECT id FROM plan_version WHERE plan_id IN ({plans})"
    where = {"customer": "customer_id = NEW.id", "plan": f"plan_id IN ({plans})",
             "version": f"plan_version_id IN ({versions})"}
    statements = []
    for name, how, assign in scrub:
        sets = ", ".join(
            f"{col} = " + (now if v is NOW else "NULL" if v is None else _literal(v))
            for col, v in assign.items())
        statements.append(f"UPDATE {name} SET {sets} WHERE {where[how]};")
    body = "\n        ".join(statements)
    create = "CREATE OR REPLACE" if replace else "CREATE"
    return f"""
    {create} FUNCTION desk_erase_customer() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        {body}
        RETURN NULL;
    END $$;
    """


def guard_functions(scrub: Scrub = SCRUB) -> list[tuple[str, str, str]]:
    """(function name, CREATE FUNCTION, CREATE TRIGGER) per dependent table: a row
    written for an erased customer (a late edit, or a new row made offline before the
    erasure arrived) is scrubbed as it is written."""
    now = "(now() AT TIME ZONE 'utc')"
    owner_of = {
        "customer": "NEW.customer_id",
        "plan": "(SELECT customer_id FROM plan WHERE id = NEW.plan_id)",
        "version": "(SELECT p.customer_id FROM plan p JOIN plan_version v "
                   "ON v.plan_id = p.id WHERE v.id = NEW.plan_version_id)",
    }
    made = []
    for name, how, assign in scrub:
        sets = " ".join(
            f"NEW.{col} := " + (now if v is NOW else "NULL" if v is None else _literal(v))
            + ";" for col, v in assign.items())
        function = f"desk_scrub_{name}"
        create = f"""
        CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
            IF EXISTS (SELECT 1 FROM customer WHERE id = {owner_of[how]}
                       AND erased_at IS NOT NULL) THEN
                {sets}
            END IF;
            RETURN NEW;
        END $$;
        """
        trigger = (f"CREATE TRIGGER {name}_erased BEFORE INSERT OR UPDATE ON {name} "
                   f"FOR EACH ROW EXECUTE FUNCTION {function}()")
        made.append((f"{function}()", create, trigger))
    return made


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"
