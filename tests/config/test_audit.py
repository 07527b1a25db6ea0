"""scripts/audit.py: what `make audit` makes of pip-audit's JSON report and of audit-ignore.txt."""

import pytest

from scripts.audit import IGNORE_FILE, read_ignored, summarise

REPORT = {
    "dependencies": [
        {
            "name": "django",
            "version": "5.2.0",
            "vulns": [
                {"id": "PYSEC-2025-1", "aliases": ["CVE-2025-0001"], "fix_versions": ["5.2.1"], "description": "."},
                {"id": "GHSA-aaaa-bbbb-cccc", "aliases": [], "fix_versions": [], "description": "."},
            ],
        },
        {"name": "pillow", "version": "13.0.0", "vulns": []},
        {"name": "gunicorn", "skip_reason": "Dependency not found on PyPI and could not be audited"},
    ],
    "fixes": [],
}


def test_a_vulnerability_not_in_the_ignore_file_is_a_finding():
    summary = summarise(REPORT, ignored={})

    assert summary["found"] == [
        "django 5.2.0: PYSEC-2025-1 (fixed in 5.2.1)",
        "django 5.2.0: GHSA-aaaa-bbbb-cccc (fixed in no fixed version yet)",
    ]


def test_an_ignored_vulnerability_matches_by_any_of_its_aliases():
    summary = summarise(REPORT, ignored={"CVE-2025-0001": "Not used here.", "GHSA-AAAA-BBBB-CCCC": "Mitigated."})

    assert summary["found"] == []
    assert len(summary["ignored"]) == 2


def test_a_dependency_pip_audit_could_not_look_up_is_not_audited_not_clean():
    summary = summarise(REPORT, ignored={})

    assert summary["not_audited"] == ["gunicorn: Dependency not found on PyPI and could not be audited"]


def test_an_ignore_entry_without_a_reason_is_refused(tmp_path):
    path = tmp_path / "audit-ignore.txt"
    path.write_text("# comment\nPYSEC-2025-1 Not reachable here.\nGHSA-aaaa-bbbb-cccc\n")

    with pytest.raises(ValueError, match="GHSA-aaaa-bbbb-cccc has no reason"):
        read_ignored(path)


def test_the_projects_ignore_file_reads():
    assert isinstance(read_ignored(IGNORE_FILE), dict)
