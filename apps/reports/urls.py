from django.urls import path

from apps.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_page, name="page"),
    path("unduh/", views.report_export, name="export"),
    path("unduh/<uuid:file_id>/", views.report_download, name="download"),
    path("rincian/<slug:kind>/", views.drill_page, name="drill"),
]
