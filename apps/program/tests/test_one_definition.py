"""One definition per rule: the programme domain uses the registry's business-name normalisation (SPEC §4,
§10: a participant is identified "as in §4") from `apps.umkm.rules`, the module that defines it, and
defines no copy of its own (the acceptance test's independent reference count is the one deliberate
exception, and it lives under tests/)."""

import ast
from pathlib import Path

import apps.program

PROGRAM = Path(apps.program.__file__).parent


def test_normalize_business_name_comes_from_umkm_rules_only():
    found = []
    for path in sorted(PROGRAM.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if path.parent.name != "tests" and isinstance(node, ast.FunctionDef) and "normal" in node.name:
                found.append((path.name, "defines", node.name))
            if isinstance(node, ast.ImportFrom) and any(a.name == "normalize_business_name" for a in node.names):
                found.append((path.name, "imports from", node.module))
    assert found == [("importers.py", "imports from", "apps.umkm.rules")]
