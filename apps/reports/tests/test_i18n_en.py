from django.urls import reverse


def test_report_page_in_english(client, operator):
    client.force_login(operator)
    response = client.get(reverse("reports:page"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Management report</h1>" in html


def test_report_page_stays_indonesian_by_default(client, operator):
    client.force_login(operator)
    response = client.get(reverse("reports:page"))
    assert "<h1>Laporan pimpinan</h1>" in response.content.decode()
