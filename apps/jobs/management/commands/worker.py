import logging
import signal
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection, connections

from apps.jobs.services import job_idle_run, job_run_pending

logger = logging.getLogger(__name__)
# Longest wait between two tries while the database cannot be reached (restart, failover).
MAX_OUTAGE_BACKOFF_SECONDS = 5.0


class Command(BaseCommand):
    help = "Menjalankan tugas latar (impor, laporan) dari antrean di basis data."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="jalankan antrean sekali lalu berhenti")
        parser.add_argument("--sleep", type=float, default=1.0)

    def handle(self, *args, once, sleep, **options):
        stop = False

        def request_stop(*_):
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)
        self.stdout.write("worker: menunggu tugas")
        backoff = sleep
        while not stop:
            if not connection.in_atomic_block:  # drop a connection the database closed while idle
                close_old_connections()
            try:
                ran = job_run_pending(limit=1) or job_idle_run()
            except DatabaseError:
                # The database restarts or fails over: wait and try again rather than exit. A job that was
                # running is taken again when its heartbeat goes stale.
                logger.warning("worker: database unreachable, retrying in %.1f s", backoff, exc_info=True)
                connections.close_all()
                time.sleep(backoff)
                backoff = min(backoff * 2, MAX_OUTAGE_BACKOFF_SECONDS)
                continue
            backoff = sleep
            if once and not ran:
                break
            if not ran:
                time.sleep(sleep)
