"""Demo users: one of every role of SPEC §2, with the passwords printed by `./dev run` and in the README."""

from apps.accounts.models import RegionAssignment, User
from apps.core.roles import Role

DEMO_PASSWORD = "tukatuku2020"
DEMO_USERS = [
    ("admin", Role.ADMIN, "Administrator Sistem", []),
    ("kepala", Role.HEAD, "Budi Susetyono", ["33.03"]),
    ("operator", Role.OPERATOR, "Operator Dinkop UKM", ["33.03"]),
    ("bupati", Role.LEADERSHIP, "Dyah Hayuning Pratiwi", ["33.03"]),
    ("bank", Role.BANK, "Petugas Bank Jateng", ["33.03"]),
    ("penjual", Role.SELLER, "Mitra UMKM Demo", []),
    ("koperasi", Role.COOP_OFFICER, "Pengurus Koperasi Demo", []),
    ("pembeli", Role.BUYER, "Pembeli Demo", []),
    ("provinsi", Role.HEAD, "Kabid Provinsi Jawa Tengah", ["33"]),
    ("asesor", Role.ASSESSOR, "Asesor Uji Kompetensi", []),
    ("juri", Role.JUDGE, "Juri Koperasi Award", []),
]


def build(ctx) -> None:
    users = {}
    for username, role, name, regions in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                first_name=name,
                email=f"{username}@tukatuku.local",
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            for code in regions:
                RegionAssignment.objects.get_or_create(user=user, region_id=code)
        users[username] = user
    ctx["users"] = users
    ctx.stdout.write("Pengguna demo (kata sandi untuk semua: %s):" % DEMO_PASSWORD)
    for username, role, _name, regions in DEMO_USERS:
        ctx.stdout.write(f"  {username:<10} {Role(role).label} {' '.join(regions)}")
