"""What the services hand the views, the command line and printing: plain frozen
dataclasses (and tuples), one module per area, never ORM objects.

Below the services and printing, above the rules: a DTO module imports nothing of the
application but the rules and the i18n helpers (report_display formats report values)."""
