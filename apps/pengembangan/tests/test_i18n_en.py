from django.urls import reverse

from apps.core.roles import Role


def test_session_list_in_english(client, operator):
    client.force_login(operator)
    html = client.get(reverse("pengembangan:sesi_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Competency tests of cooperative managers</h1>" in html
    assert "New test session" in html


def test_verification_page_in_indonesian_by_default(client):
    html = client.get(reverse("pengembangan:verifikasi_form")).content.decode()
    assert "<h1>Verifikasi sertifikat kompetensi</h1>" in html


def test_new_roles_are_translated():
    from django.utils import translation

    with translation.override("en"):
        assert str(Role.ASSESSOR.label) == "Competency test assessor"
        assert str(Role.JUDGE.label) == "Cooperative Award judge"


def test_award_list_in_english(client, operator):
    client.force_login(operator)
    html = client.get(reverse("pengembangan:award_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Cooperative Award</h1>" in html and "New category" in html


def test_public_winners_page_in_english(client, db):
    html = client.get(
        reverse("pengembangan:award_winners_year", args=[2025]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "<h1>Cooperative Award 2025 winners</h1>" in html
