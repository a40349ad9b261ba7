"""One definition per rule: the business-name normalisation that identifies a business without NIB (SPEC §4)
is `apps.umkm.rules.normalize_business_name`; every app imports it from there (not through another module
that happens to import it), and no app defines its own. Migrations keep frozen copies on purpose."""

import ast
from pathlib import Path

import apps

APPS = Path(apps.__file__).parent


def test_normalize_business_name_is_defined_once_and_imported_from_umkm_rules():
    found = []
    for path in sorted(APPS.rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name == "normalize_business_name":
                found.append(("defines", str(path.relative_to(APPS))))
            imported = isinstance(node, ast.ImportFrom) and any(a.name == "normalize_business_name" for a in node.names)
            if imported and node.module != "apps.umkm.rules":
                found.append(("imports from " + str(node.module), str(path.relative_to(APPS))))
    assert found == [("defines", "umkm/rules.py")]
