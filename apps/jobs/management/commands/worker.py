import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from apps.jobs.services import job_idle_run, job_run_pending


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
        while not stop:
            if not connection.in_atomic_block:  # drop a connection the database closed while idle
                close_old_connections()
            ran = job_run_pending(limit=1) or job_idle_run()
            if once and not ran:
                break
            if not ran:
                time.sleep(sleep)
