import pytest

from apps.umkm.tests.factories import business_make

pytestmark = pytest.mark.django_db

JT = 1_000_000


@pytest.fixture
def registry():
    business_make(years={2018: (10 * JT, 100 * JT), 2019: (60 * JT, 400 * JT)}, sector="batik")
    business_make(years={2019: (10 * JT, 100 * JT)}, village="33.03.05.1001", sector="kopi")
    business_make(years={2019: (10 * JT, 100 * JT)}, village="33.02.01.2001")


def test_kpi_matches_the_selector(client, operator, registry):
    client.force_login(operator)
    response = client.get("/api/v1/umkm/kpi", {"regency": "33.03", "year": 2019})
    assert response.status_code == 200
    assert response.json() == {
        "regency": "33.03",
        "year": 2019,
        "umkm_total": 2,
        "umkm_per_kelas": {"mikro": 1, "kecil": 1, "menengah": 0, "besar": 0},
        "naik_kelas": {"mikro_kecil": 1, "kecil_menengah": 0, "menengah_besar": 0},
        "naik_kelas_angka_tetap": 0,
    }


def test_breakdown_and_naik_kelas(client, operator, registry):
    client.force_login(operator)
    rows = client.get("/api/v1/umkm/breakdown", {"regency": "33.03", "year": 2019, "by": "kecamatan"}).json()
    assert [(r["key"], r["label"], r["count"]) for r in rows] == [
        ("33.03.01", "Kemangkon", 1),
        ("33.03.05", "Purbalingga", 1),
    ]
    rows = client.get("/api/v1/umkm/naik-kelas", {"regency": "33.03", "year": 2019}).json()
    assert rows == [
        {
            "district": "33.03.01",
            "name": "Kemangkon",
            "moves": {"mikro_kecil": 1, "kecil_menengah": 0, "menengah_besar": 0},
            "total": 1,
        }
    ]


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("buyer", 403), ("other_operator", 404), ("operator", 200)]
)
def test_access(client, request, who, status, registry):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    response = client.get("/api/v1/umkm/kpi", {"regency": "33.03", "year": 2019})
    assert response.status_code == status
    if status != 200:
        assert "umkm_total" not in response.json()


def test_province_needs_the_whole_province(client, operator, admin_user, registry):
    client.force_login(operator)
    assert client.get("/api/v1/umkm/kpi", {"regency": "33", "year": 2019}).status_code == 404
    client.force_login(admin_user)
    assert client.get("/api/v1/umkm/kpi", {"regency": "33", "year": 2019}).json()["umkm_total"] == 3


def test_openapi_documents_the_endpoints(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/umkm/kpi", "/api/v1/umkm/breakdown", "/api/v1/umkm/naik-kelas"):
        assert "get" in schema["paths"][path]
    assert schema["paths"]["/api/v1/umkm/kpi"]["get"]["summary"] == "Angka UMKM laporan pimpinan (SPEC §8)"
