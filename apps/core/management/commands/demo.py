"""`manage.py demo [--scale N] [--seed S]`: a deterministic Purbalingga data set for trying the system.

Each app contributes a builder module (settings.DEMO_BUILDERS) with `build(ctx)`; they run in order and
share `ctx` (random generator, scale, created objects). Running it twice gives the same data.
"""

import importlib
import random

from django.conf import settings
from django.core.management.base import BaseCommand


class DemoContext(dict):
    def __init__(self, seed: int, scale: int, stdout):
        super().__init__()
        self.rng = random.Random(seed)
        self.seed = seed
        self.scale = scale
        self.stdout = stdout


class Command(BaseCommand):
    help = "Membangun data demo Purbalingga yang deterministik (pengguna setiap peran, UMKM, koperasi, toko)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="pengali ukuran data (1 = kecil, cepat)")
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, scale, seed, **options):
        ctx = DemoContext(seed, scale, self.stdout)
        for name in settings.DEMO_BUILDERS:
            module = importlib.import_module(name)
            module.build(ctx)
        self.stdout.write(self.style.SUCCESS("Data demo siap."))
