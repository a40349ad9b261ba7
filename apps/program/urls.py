from django.urls import path

from apps.program import views

app_name = "program"

urlpatterns = [
    path("", views.calendar, name="calendar"),
    path("baru/", views.programme_create, name="create"),
    path("rincian/", views.records, name="records"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/ubah/", views.programme_edit, name="edit"),
    path("<int:pk>/sesi/", views.programme_sessions, name="sessions"),
    path("<int:pk>/peserta/", views.participant_add, name="participant_add"),
    path("<int:pk>/nilai/", views.scores, name="scores"),
    path("<int:pk>/kelulusan/", views.evaluate, name="evaluate"),
    path("peserta/<int:pk>/batal/", views.participant_cancel, name="participant_cancel"),
    path("peserta/<int:pk>/sertifikat.pdf", views.certificate, name="certificate"),
    path("sesi/<int:pk>/hadir/", views.attendance_list, name="attendance"),
    path("sesi/<int:pk>/pindai/", views.scanner, name="scanner"),
    path("sesi/<int:pk>/pindai/kirim/", views.checkin, name="checkin"),
    path("verifikasi/", views.verify, name="verify_form"),
    path("verifikasi/<str:code>/", views.verify, name="verify"),
    path("saya/", views.my_trainings, name="my_trainings"),
    path("saya/<int:pk>/daftar/", views.my_register, name="my_register"),
    path("saya/peserta/<int:pk>/konfirmasi/", views.my_confirm, name="my_confirm"),
    path("saya/peserta/<int:pk>/batal/", views.my_cancel, name="my_cancel"),
    path("saya/peserta/<int:pk>/tiket/", views.my_ticket, name="my_ticket"),
    path("saya/peserta/<int:pk>/sertifikat.pdf", views.my_certificate, name="my_certificate"),
]
