"""Only the gate may call a transport: no other code imports the text transports or Django's mail
sending, so a message to her cannot go round her rules. Staff account mail (password reset) goes
through concord.accounts.mail, which never writes to a survivor."""

import ast
from pathlib import Path

import concord

ROOT = Path(concord.__file__).parent
ALLOWED = {"contact/gate.py": {"concord.contact.transports", "concord.contact"},
           "contact/transports.py": {"django.core.mail"},
           "accounts/mail.py": {"django.core.mail"}}
SENDERS = {"django.core.mail", "concord.contact.transports"}


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolve against the file's package
                package = ".".join(["concord", *path.relative_to(ROOT).parent.parts])
                module = f"{package}.{module}" if module else package
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def test_no_code_but_the_gate_reaches_a_transport():
    offenders = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or relative.startswith("testing/"):
            continue
        reaching = {name for name in imports_of(path) if any(name == s or name.startswith(s + ".") for s in SENDERS)}
        if reaching and relative not in ALLOWED:
            offenders.append((relative, sorted(reaching)))
    assert offenders == []


def test_the_check_sees_an_import_it_should_refuse(tmp_path):
    probe = ROOT / "contact" / "_probe_for_test.py"
    probe.write_text("from . import transports\n", encoding="utf-8")
    try:
        assert "concord.contact.transports" in imports_of(probe)
    finally:
        probe.unlink()
