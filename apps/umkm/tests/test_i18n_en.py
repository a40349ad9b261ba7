from django.urls import reverse


def test_registry_page_in_english(client, operator):
    client.force_login(operator)
    response = client.get(reverse("umkm:list"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>UMKM registry</h1>" in html
    assert "Export CSV" in html


def test_registry_page_stays_indonesian_by_default(client, operator):
    client.force_login(operator)
    response = client.get(reverse("umkm:list"))
    assert "<h1>Registri UMKM</h1>" in response.content.decode()
