"""`make audit`: pip-audit over requirements.txt, with the vulnerabilities we accept listed in audit-ignore.txt.

Exit status: 0 clean; 1 a known vulnerability not listed in audit-ignore.txt (or an entry without its reason);
3 the audit could not be done (pip-audit's vulnerability service unreachable, or a dependency it could not look up),
so CI can tell "vulnerable" from "not checked". With AUDIT_UNREACHABLE_OK=1 (as .ci/run sets it: CI machines
reach only package mirrors) "not checked" is printed as a warning and exits 0; a finding still exits 1.

pip-audit asks PyPI's per-release JSON API (https://pypi.org/pypi/NAME/VERSION/json) by default, or OSV with
`AUDIT_SERVICE=osv`. Where only a package mirror is reachable, every dependency comes back "not found on PyPI":
that is reported as not audited, never as clean.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
IGNORE_FILE = BASE_DIR / "audit-ignore.txt"
REQUIREMENTS = BASE_DIR / "requirements.txt"
VULNERABLE, NOT_AUDITED = 1, 3


def read_ignored(path=IGNORE_FILE):
    """{vulnerability id: reason} from the ignore file; an id without a reason is an error."""
    ignored = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not line:
            continue
        vuln_id, _, reason = line.partition(" ")
        if not reason.strip():
            raise ValueError(f"{path.name}:{number}: {vuln_id} has no reason; say why it is accepted.")
        ignored[vuln_id.upper()] = reason.strip()
    return ignored


def summarise(report, ignored):
    """What a pip-audit JSON report holds: findings not ignored, ignored ones, dependencies not audited."""
    found, accepted, skipped = [], [], []
    dependencies = report.get("dependencies", [])
    for dependency in dependencies:
        if dependency.get("skip_reason"):
            skipped.append(f"{dependency['name']}: {dependency['skip_reason']}")
            continue
        for vuln in dependency.get("vulns", []):
            ids = {vuln["id"].upper(), *(alias.upper() for alias in vuln.get("aliases", []))}
            name = f"{dependency['name']} {dependency['version']}: {vuln['id']}"
            if ids & ignored.keys():
                accepted.append(name)
            else:
                fixed_in = ", ".join(vuln.get("fix_versions", [])) or "no fixed version yet"
                found.append(f"{name} (fixed in {fixed_in})")
    return {"dependencies": len(dependencies), "found": found, "ignored": accepted, "not_audited": skipped}


def run_pip_audit():
    """pip-audit's JSON report on requirements.txt, or None with the reason when it could not run."""
    service = os.environ.get("AUDIT_SERVICE", "pypi")
    with tempfile.TemporaryDirectory() as folder:
        output = Path(folder) / "audit.json"
        result = subprocess.run(
            [sys.executable, "-m", "pip_audit", "--requirement", str(REQUIREMENTS), "--format", "json",
             "--output", str(output), "--vulnerability-service", service, "--progress-spinner", "off"],
            capture_output=True,
            text=True,
            check=False,
        )  # fmt: skip
        if not output.exists():
            return None, (result.stderr or result.stdout).strip()[-2000:]
        return json.loads(output.read_text(encoding="utf-8")), None


def audit():
    """The summary that `make audit` and `make check-security` print; `error` is set when nothing could be run."""
    ignored = read_ignored()
    report, error = run_pip_audit()
    if report is None:
        return {"dependencies": 0, "found": [], "ignored": [], "not_audited": [], "error": error}
    return {**summarise(report, ignored), "error": None}


def main():
    try:
        summary = audit()
    except ValueError as error:
        sys.exit(str(error))
    if summary["error"]:
        print(f"make audit: pip-audit could not run:\n{summary['error']}", file=sys.stderr)
        return not_audited_status()
    for line in summary["found"]:
        print(f"VULNERABLE {line}")
    for line in summary["ignored"]:
        print(f"ignored    {line} (audit-ignore.txt)")
    not_audited = summary["not_audited"]
    for line in not_audited:
        print(f"not audited {line}")
    print(
        f"pip-audit: {len(summary['found'])} finding(s), {len(summary['ignored'])} ignored, "
        f"{summary['dependencies'] - len(not_audited)} of {summary['dependencies']} dependencies audited."
    )
    if summary["found"]:
        return VULNERABLE
    if not_audited:
        print(
            "make audit: some dependencies could not be looked up, so this is not a clean bill. pip-audit needs "
            "PyPI's per-release JSON API (or OSV with AUDIT_SERVICE=osv) to be reachable.",
            file=sys.stderr,
        )
        return not_audited_status()
    return 0


def not_audited_status():
    if os.environ.get("AUDIT_UNREACHABLE_OK") == "1":
        print("make audit: WARNING, NOT AUDITED (AUDIT_UNREACHABLE_OK=1 lets this pass).", file=sys.stderr)
        return 0
    return NOT_AUDITED


if __name__ == "__main__":
    sys.exit(main())
