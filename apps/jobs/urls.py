from django.urls import path

from apps.jobs import views

app_name = "jobs"
urlpatterns = [
    path("<uuid:pk>/", views.job_detail, name="detail"),
    path("<uuid:pk>/status.json", views.job_status, name="status"),
]
