from django.urls import reverse


def test_calendar_in_english(client, operator):
    client.force_login(operator)
    html = client.get(reverse("program:calendar"), {"tahun": 2026}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Activity calendar 2026</h1>" in html
    assert "No activities this year yet." in html


def test_verification_page_in_indonesian_by_default(client, db):
    html = client.get(reverse("program:verify_form")).content.decode()
    assert "<h1>Verifikasi sertifikat</h1>" in html
