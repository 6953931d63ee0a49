"""The messenger (#23): the one process, next to the central PostgreSQL, that makes
messages to customers from the central rows and sends them, each exactly once.

`python -m app.messenger --central URL [--smtp smtp://HOST:PORT] [--sms-gateway URL]
[--once]`: planner.py decides which messages should exist (app/rules/message_plan.py)
and writes them; dispatcher.py claims the due ones (SELECT ... FOR UPDATE SKIP LOCKED),
sends them through channels.py and records what happened. Several messengers may run
at once against one database. See docs/messages.md."""
