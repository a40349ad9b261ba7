"""The report is a composer: every section comes from a domain's `report.py` through one interface, and
one builder serves the page, the exports and `kpi_report`."""

import ast
import inspect
from datetime import date
from pathlib import Path

import pytest

from apps.core.reporting import DomainReport, Records, Section, SectionData
from apps.reports import composer
from apps.reports.tests.factories import make_business

D = date(2020, 3, 9)
REPORTS = Path(composer.__file__).parent


@pytest.mark.parametrize("path", composer.SECTIONS)
def test_every_section_implements_the_interface(path):
    domain = composer.DOMAINS[path.split(".")[1]]
    for name in ("BREAKDOWNS", "RECORDS", "FILTERS"):
        assert isinstance(getattr(domain, name), tuple), name
    for name, member in inspect.getmembers(DomainReport, inspect.isfunction):
        if name.startswith("_"):
            continue
        expected = [p for p in inspect.signature(member).parameters if p != "self"]
        assert list(inspect.signature(getattr(domain, name)).parameters)[: len(expected)] == expected, name


@pytest.mark.django_db
@pytest.mark.parametrize("region", ["33.03", "33"])
def test_each_domain_answers_for_a_regency_and_a_province(region):
    make_business(years={2018: "mikro", 2019: "kecil"})
    report = composer.build_report(region=region, year=2019, as_of=D)
    assert report.figures["umkm_total"] == 1
    assert report.figures["naik_kelas"]["mikro_kecil"] == 1
    for key, domain in composer.DOMAINS.items():
        assert set(report.breakdowns[key]) == set(domain.BREAKDOWNS)
        section = domain.section(SectionData(region, 2019, D, report.figures, report.breakdowns[key]))
        assert section is None or (isinstance(section, Section) and section.tables)
        for figure in domain.RECORDS:
            assert isinstance(domain.records(region, 2019, D, figure), Records)
            assert composer.records_domain(figure) is domain


@pytest.mark.django_db
def test_the_command_figures_are_the_page_figures():
    make_business(years={2019: "menengah"})
    plain = composer.build_report(region="33.03", year=2019, as_of=D, breakdowns=False)
    full = composer.build_report(region="33.03", year=2019, as_of=D)
    assert plain.figures == full.figures
    assert plain.breakdowns == {}
    assert "program" in plain.figures  # figures without a section yet still reach kpi_report
    assert [s.key for s in full.sections()] == ["omzet", "umkm", "koperasi", "program", "pengembangan", "pinjaman"]


def test_the_reports_app_defines_no_population():
    """apps/reports reads no domain model and no domain selector: only the domains' report interfaces."""
    for path in REPORTS.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[0] == "apps" and len(parts) > 1 and parts[1] in composer.DOMAINS:
                    pytest.fail(f"{path.name} imports {node.module}")
