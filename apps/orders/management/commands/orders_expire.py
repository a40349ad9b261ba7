from django.core.management.base import BaseCommand

from apps.orders.services.fulfilment import orders_autocomplete_due
from apps.orders.services.payments import payments_expire_due


class Command(BaseCommand):
    help = (
        "Membatalkan pesanan yang tidak dibayar sampai batas waktu (stok kembali) dan menyelesaikan "
        "pesanan terkirim yang tidak dikonfirmasi pembeli setelah N hari. Jalankan tiap beberapa menit (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-autocomplete", action="store_true", help="hanya kedaluwarsakan pembayaran")

    def handle(self, *args, no_autocomplete, **options):
        expired = payments_expire_due()
        completed = 0 if no_autocomplete else orders_autocomplete_due()
        self.stdout.write(f"kedaluwarsa: {expired}, selesai otomatis: {completed}")
