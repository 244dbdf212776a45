"""Every wait on PostgreSQL bounded, so a database that hangs costs a request seconds.

The server cancels a statement after DATABASE_STATEMENT_TIMEOUT, and libpq gives up connecting
after DATABASE_CONNECT_TIMEOUT; but a server that accepted the connection and then answers
nothing (a hung process, whose kernel still acknowledges what is sent, so TCP keepalives and
TCP_USER_TIMEOUT never fire) would hold the request until gunicorn kills the worker. So psycopg2
waits through this callback: it gives up on a connection attempt after the connect timeout and
on any other wait (a query, a commit, the health check of a kept connection) a second after the
server would have cancelled the statement itself. The error is psycopg2's OperationalError,
which Django marks the connection unusable for and the maintenance page answers
(newsroom/http/db_outage.py). Once a wait has run out, connecting fails at once for RETRY_AFTER
seconds, so the requests behind it do not each wait the connect timeout.
"""

import select
import time

import psycopg2
from django.conf import settings
from psycopg2 import extensions

# Time for the server's own cancellation of a statement to arrive first.
CANCELLATION_MARGIN = 0.5
# Seconds after a wait ran out during which this process does not try to connect: each try
# would cost a request the connect timeout, so readers get the maintenance page at once.
RETRY_AFTER = 5

EVENTS = {extensions.POLL_READ: select.POLLIN, extensions.POLL_WRITE: select.POLLOUT}


class Silence:
    """When a wait on the database last ran out, in this process."""

    since = float("-inf")


def use_bounded_waits() -> None:
    extensions.set_wait_callback(wait_bounded)


def wait_bounded(connection: extensions.connection) -> None:
    """Polls `connection` until its operation is done, giving up after the wait's bound."""
    connecting = connection.status == extensions.STATUS_SETUP
    if connecting and time.monotonic() < Silence.since + RETRY_AFTER:
        raise psycopg2.OperationalError("The database did not answer a moment ago.")
    seconds = wait_limit(connecting)
    while (state := connection.poll()) != extensions.POLL_OK:
        if state not in EVENTS:
            raise psycopg2.OperationalError(f"Unexpected state from the database: {state}")
        poller = select.poll()
        poller.register(connection.fileno(), EVENTS[state])
        if not poller.poll(None if seconds is None else seconds * 1000):
            Silence.since = time.monotonic()
            raise psycopg2.OperationalError(f"The database did not answer in {seconds:g} s.")


def wait_limit(connecting: bool) -> float | None:
    """Seconds any one wait may last: None for without end."""
    if connecting:
        return settings.DATABASE_CONNECT_TIMEOUT or None
    if not settings.DATABASE_STATEMENT_TIMEOUT:
        return None
    return settings.DATABASE_STATEMENT_TIMEOUT + CANCELLATION_MARGIN
