from django.urls import path

from apps.pinjaman import views

app_name = "pinjaman"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("ajukan/", views.apply, name="apply"),
    path("saya/", views.my_loans, name="mine"),
    path("permohonan/", views.application_list, name="applications"),
    path("permohonan/baru/", views.operator_apply, name="operator_apply"),
    path("permohonan/<int:pk>/", views.application_detail, name="application"),
    path("rekomendasi/", views.batches, name="batches"),
    path("rekomendasi/baru/", views.recommend, name="recommend"),
    path("rekomendasi/<int:pk>/surat.pdf", views.batch_letter, name="batch_letter"),
    path("pinjaman/", views.loan_list, name="loans"),
    path("pinjaman/<int:pk>/", views.loan_detail, name="loan"),
    path("pinjaman/<int:pk>/jadwal.pdf", views.loan_schedule_pdf, name="schedule_pdf"),
    path("tagihan/", views.claim_list, name="claims"),
    path("tagihan/<int:pk>/", views.claim_detail, name="claim"),
    path("tagihan/<int:pk>/surat.pdf", views.claim_letter, name="claim_letter"),
    path("tagihan/<int:pk>/baris.xlsx", views.claim_xlsx, name="claim_xlsx"),
]
