"""`make check-security`: measure the site's defences and print them as a short table.

Runs the hostile-input corpus and the burst tests (tests/config/test_hostile_input.py, tests/config/test_burst.py:
the real comment form, feeds and admin, then gunicorn workers over real HTTP), reads what each test recorded from
pytest's JUnit XML, and runs `manage.py check --deploy` with production settings. Exits 1 when any figure is not
clean.
"""

import os
import re
import secrets
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
TEST_FILES = [
    "tests/config/test_hostile_input.py",
    "tests/config/test_burst.py",
    "tests/blog/test_unpublished_hidden.py",
    "tests/staff/test_login_lockouts.py",
    "tests/blog/test_backups.py::test_backups_are_private_files_in_a_private_folder_without_sessions",
]
CHECK_ID = re.compile(r"\(\w+\.[WE]\d+\)")  # Warnings, and errors such as blog.E001 (a common staff password).


def run_tests():
    """Run the tests; return (properties by name, in order, over all tests; names of failed tests)."""
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.xml"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pytest",
                *TEST_FILES,
                "-q",
                "-p",
                "no:randomly",
                "-o",
                "junit_family=xunit1",
                f"--junitxml={report}",
            ],
            cwd=BASE_DIR,
            check=False,
        )
        if not report.exists():
            sys.exit("pytest wrote no report: see its output above.")
        root = ET.parse(report).getroot()  # noqa: S314 (the report pytest just wrote)
    properties = defaultdict(list)
    failed = []
    for case in root.iter("testcase"):
        for prop in case.iter("property"):
            properties[prop.get("name")].append(prop.get("value"))
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(f"{case.get('classname')}::{case.get('name')}")
    return properties, failed


def deploy_warnings():
    """Warnings from `check --deploy` for production: DEBUG off, a strong SECRET_KEY and ALLOWED_HOSTS."""
    env = {name: value for name, value in os.environ.items() if name != "ALLOW_INSECURE_HTTP"}
    env.update(
        DJANGO_ENV="production", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="blog.example.com"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = result.stdout + result.stderr
    if result.returncode != 0 and not CHECK_ID.search(output):
        sys.exit(f"check --deploy failed:\n{output}")
    return len(CHECK_ID.findall(output))


def production_two_factor():
    """Whether production settings (DEBUG off, nothing else said) require staff 2FA: "yes" or "no"."""
    env = {name: value for name, value in os.environ.items() if name not in {"DEBUG", "ADMIN_REQUIRE_2FA"}}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="blog.example.com", DJANGO_SETTINGS_MODULE="config.settings"
    )
    code = "import django; django.setup(); from django.conf import settings; print(settings.ADMIN_REQUIRE_2FA)"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=False
    )
    return "yes" if result.stdout.strip() == "True" else "no"


def pip_audit_figure():
    """pip-audit's findings (scripts/audit.py), or why it could not check: (text, clean)."""
    sys.path.insert(0, str(BASE_DIR))
    from scripts.audit import audit

    summary = audit()
    if summary["error"]:
        return "not run: pip-audit failed (see make audit)", True
    audited = summary["dependencies"] - len(summary["not_audited"])
    text = (
        f"{len(summary['found'])} found, {len(summary['ignored'])} ignored; "
        f"{audited} of {summary['dependencies']} dependencies audited"
    )
    if audited < summary["dependencies"]:
        text += " (vulnerability service unreachable here)"
    return text, not summary["found"]


def figure(properties, name, default="not measured"):
    values = properties.get(name)
    return values[-1] if values else default


def main():
    properties, failed = run_tests()
    statuses = [int(status) for status in properties["status"]]
    errors = sum(status >= 500 for status in statuses) + sum(int(n) for n in properties["burst_500s"])
    unescaped = sum(int(n) for n in properties["unescaped"])
    warnings = deploy_warnings()
    two_factor = production_two_factor()
    audit_text, audit_clean = pip_audit_figure()
    headers = f"{figure(properties, 'headers_present')}/{figure(properties, 'headers_expected')}"
    burst = " / ".join(figure(properties, name) for name in ("burst_readers", "burst_lost", "burst_duplicates"))
    rows = [
        ("hostile cases tried", len(properties["hostile_case"])),
        ("answers 500", errors),
        ("unescaped markup found", unescaped),
        ("locked_at (failed admin logins)", figure(properties, "locked_at")),
        ("check --deploy warnings and errors", warnings),
        ("security headers present", headers),
        ("flood answers, one client", figure(properties, "flood_statuses")),
        ("burst readers / lost / duplicates", burst),
        ("double submit: comments stored", figure(properties, "double_submit_stored")),
        (
            "unpublished URLs probed / found",
            f"{figure(properties, 'unpublished_probed')} / {figure(properties, 'unpublished_found')}",
        ),
        (
            "lockout paths proven",
            f"{len(properties['lockout_path'])}: "
            + ", ".join(name.removeprefix("test_").split("[")[0] for name in properties["lockout_path"]),
        ),
        ("2FA required for staff (production)", two_factor),
        ("backup file mode (folder)", figure(properties, "backup_mode")),
        ("pip-audit", audit_text),
        ("tests failed", len(failed)),
    ]
    width = max(len(label) for label, _ in rows)
    print(f"\n{'check'.ljust(width)}  result")
    print(f"{'-' * width}  {'-' * 30}")
    for label, value in rows:
        print(f"{label.ljust(width)}  {value}")
    for name in failed:
        print(f"FAILED {name}")
    clean = (
        not failed and errors == 0 and unescaped == 0 and warnings == 0 and statuses
        and two_factor == "yes" and audit_clean
    )  # fmt: skip
    sys.exit(0 if clean else 1)


if __name__ == "__main__":
    main()
