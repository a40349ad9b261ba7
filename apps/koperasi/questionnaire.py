"""The management questionnaire (aspek manajemen): 5 groups × 3 questions, one point per "ya",
so the total is skor_manajemen 0–15 (Perdep KUKM 06/2016 keeps the management aspect at 15)."""

from django.utils.translation import gettext_lazy as _

QUESTIONS: list[tuple[str, object, list[tuple[str, object]]]] = [
    (
        "umum",
        _("Manajemen umum"),
        [
            ("umum_1", _("Koperasi memiliki rencana kerja tahunan yang disahkan RAT")),
            ("umum_2", _("Pengurus dan pengawas rapat secara berkala dengan notulen")),
            ("umum_3", _("Ada standar operasional pelayanan tertulis")),
        ],
    ),
    (
        "kelembagaan",
        _("Kelembagaan"),
        [
            ("kelembagaan_1", _("Anggaran dasar sesuai peraturan yang berlaku")),
            ("kelembagaan_2", _("Struktur organisasi memisahkan pengurus, pengawas dan pengelola")),
            ("kelembagaan_3", _("Daftar anggota diperbarui setiap tahun")),
        ],
    ),
    (
        "permodalan",
        _("Manajemen permodalan"),
        [
            ("permodalan_1", _("Modal sendiri tumbuh dibanding tahun lalu")),
            ("permodalan_2", _("Sebagian SHU disisihkan untuk cadangan")),
            ("permodalan_3", _("Simpanan anggota dicatat dan disetor tepat waktu")),
        ],
    ),
    (
        "aktiva",
        _("Manajemen aktiva"),
        [
            ("aktiva_1", _("Pinjaman diberikan setelah analisis kelayakan tertulis")),
            ("aktiva_2", _("Pinjaman bermasalah ditagih dengan prosedur tertulis")),
            ("aktiva_3", _("Cadangan risiko dibentuk sesuai kualitas pinjaman")),
        ],
    ),
    (
        "likuiditas",
        _("Manajemen likuiditas"),
        [
            ("likuiditas_1", _("Ada kebijakan tertulis batas minimum kas")),
            ("likuiditas_2", _("Arus kas dipantau setiap bulan")),
            ("likuiditas_3", _("Ada fasilitas pendanaan dari lembaga lain bila kekurangan likuiditas")),
        ],
    ),
]

QUESTION_KEYS = [key for _g, _label, items in QUESTIONS for key, _text in items]


def questionnaire_score(answers: dict[str, bool]) -> int:
    """One point per "ya"; unknown keys are ignored."""
    return sum(1 for key in QUESTION_KEYS if answers.get(key))
