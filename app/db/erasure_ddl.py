"""The central trigger that scrubs an erased customer's dependent rows, generated from
the erasure specification in app/rules/erasure.py."""

from __future__ import annotations

from typing import Any

from app.rules.erasure import NOW, SCRUB


def central_trigger_sql() -> str:
    """The central trigger function that scrubs dependent rows (from SCRUB)."""
    now = "(now() AT TIME ZONE 'utc')"
    plans = "SELECT id FROM plan WHERE customer_id = NEW.id"
    versions = f"SELECT id FROM plan_version WHERE plan_id IN ({plans})"
    where = {"customer": "customer_id = NEW.id", "plan": f"plan_id IN ({plans})",
             "version": f"plan_version_id IN ({versions})"}
    statements = []
    for name, how, assign in SCRUB:
        sets = ", ".join(
            f"{col} = " + (now if v is NOW else "NULL" if v is None else _literal(v))
            for col, v in assign.items())
        statements.append(f"UPDATE {name} SET {sets} WHERE {where[how]};")
    body = "\n        ".join(statements)
    return f"""
    CREATE FUNCTION desk_erase_customer() RETURNS trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        {body}
        RETURN NULL;
    END $$;
    """


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"
