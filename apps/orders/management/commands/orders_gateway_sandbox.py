from django.core.management.base import BaseCommand, CommandError

from apps.orders.gateway import sandbox
from apps.orders.models import Payment


class Command(BaseCommand):
    help = (
        "Simulator gateway (sandbox): mengirim notifikasi bertanda tangan untuk satu pembayaran ke endpoint "
        "kita, berulang dan tidak berurutan, seperti gateway sungguhan."
    )

    def add_arguments(self, parser):
        parser.add_argument("code", help="kode pembayaran (order_id), mis. TT261128-1A2B3C4D")
        parser.add_argument("--scenario", choices=sorted(sandbox.SCENARIOS), default="settlement")
        parser.add_argument("--url", default="http://127.0.0.1:8000/pesanan/gateway/notifikasi/")
        parser.add_argument("--amount", type=int, help="jumlah yang dikirim (bawaan: jumlah pembayaran)")

    def handle(self, *args, code, scenario, url, amount, **options):
        payment = Payment.objects.filter(code=code).first()
        if payment is None and amount is None:
            raise CommandError(f"pembayaran {code} tidak ditemukan")
        notes = sandbox.scenario_notifications(
            order_id=code, amount=amount if amount is not None else payment.amount, scenario=scenario
        )
        for status, http in sandbox.deliver(url=url, notifications=notes):
            self.stdout.write(f"{status} → HTTP {http}")
