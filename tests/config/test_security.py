import json
import logging
import os
import secrets
import subprocess
import sys
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connections
from django.urls import reverse

from config.logging import JSONLineFormatter
from tests.factories import ArticleFactory, EditorFactory
from tests.servers import database_url

pytestmark = pytest.mark.django_db


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_pages_send_a_strict_content_security_policy(client):
    directives = csp_directives(client.get(reverse("blog:home")))

    assert directives["script-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]


def test_pages_send_the_security_headers(client):
    response = client.get(reverse("blog:home"))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_admin_pages_send_the_csp_header_too(editor_client):
    assert "object-src 'none'" in editor_client.get(reverse("admin:index"))["Content-Security-Policy"]


def run_deploy_check(**extra_env):
    """`check --deploy` for production: DEBUG off, a strong SECRET_KEY and ALLOWED_HOSTS, nothing else, on the test
    database (never the one in DATABASE_URL: after `make run` that is the development database, with its
    `editor`/`editor` account)."""
    env = {name: value for name, value in os.environ.items() if name != "ALLOW_INSECURE_HTTP"}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="blog.example.com")
    env.update(DATABASE_URL=database_url(), **extra_env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = run_deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_check_deploy_reads_the_test_database_not_the_development_one():
    """The subprocess sees what this test committed: an account with the development password, as `make run`
    leaves in its database, is reported (and the test above never meets the development database's)."""
    EditorFactory(username="editor", password="editor")

    result = run_deploy_check()

    assert result.returncode != 0
    assert "blog.E001" in result.stdout + result.stderr
    assert "'editor'" in result.stdout + result.stderr


def test_insecure_http_is_only_relaxed_by_its_explicit_variable():
    result = run_deploy_check(ALLOW_INSECURE_HTTP="1")

    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def failed_login(client, username, ip="203.0.113.7"):
    return client.post(reverse("admin:login"), {"username": username, "password": "wrong-password"}, REMOTE_ADDR=ip)


def test_admin_login_locks_out_after_five_failures_with_429(client):
    editor = EditorFactory()
    for _ in range(4):
        assert failed_login(client, editor.username).status_code == 200

    locked = failed_login(client, editor.username)

    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()


def test_locked_out_login_is_refused_even_with_the_right_password(client):
    editor = EditorFactory()
    for _ in range(5):
        failed_login(client, editor.username)

    response = client.post(
        reverse("admin:login"),
        {"username": editor.username, "password": "a-long-test-password"},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 429


def test_lockout_does_not_affect_other_accounts(client):
    locked, other = EditorFactory(), EditorFactory()
    for _ in range(5):
        failed_login(client, locked.username)

    response = client.post(
        reverse("admin:login"),
        {"username": other.username, "password": "a-long-test-password", "next": reverse("admin:index")},
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 302


def test_lockout_is_per_address(client):
    editor = EditorFactory()
    for _ in range(5):
        failed_login(client, editor.username)

    assert failed_login(client, editor.username, ip="198.51.100.9").status_code == 200


def test_forwarded_for_header_is_ignored_without_trusted_proxies(client):
    editor = EditorFactory()
    for attempt in range(5):
        client.post(
            reverse("admin:login"),
            {"username": editor.username, "password": "nope"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}",
        )

    assert failed_login(client, editor.username).status_code == 429


def test_weak_passwords_are_rejected():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("password1")


def test_healthz_reports_the_database(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@contextmanager
def database_unreachable():
    """Point the default connection at a port where no PostgreSQL listens, then restore it."""
    connection = connections["default"]
    saved = connection.settings_dict.copy()
    connection.close()
    connection.settings_dict.update(
        HOST="127.0.0.1", PORT="1", OPTIONS={k: v for k, v in saved["OPTIONS"].items() if k != "host"}
    )
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthz_answers_503_when_the_database_is_down(client):
    with database_unreachable():
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_article_page_answers_a_friendly_503_while_the_database_is_down_then_recovers(client):
    article = ArticleFactory()
    client.raise_request_exception = False

    with database_unreachable():
        down = client.get(article.get_absolute_url())

    assert down.status_code == 503
    assert down["Retry-After"] == "30"
    assert "cannot reach its database" in down.content.decode()
    assert "Traceback" not in down.content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_errors_are_logged_as_json_lines():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal error: %s", ("/x",), None)
        record.exc_info = sys.exc_info()

    line = JSONLineFormatter().format(record)

    entry = json.loads(line)
    assert "\n" not in line
    assert entry["level"] == "ERROR"
    assert entry["message"] == "Internal error: /x"
    assert "ValueError: boom" in entry["exception"]


def production_setting(name, **extra_env):
    env = {key: value for key, value in os.environ.items() if key not in {"ALLOW_INSECURE_HTTP", "DEBUG"}}
    env.update(SECRET_KEY="x" * 60, ALLOWED_HOSTS="blog.example.com", **extra_env)
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_hsts_preload_is_opt_in():
    assert production_setting("SECURE_HSTS_PRELOAD") == "False"
    assert production_setting("SECURE_HSTS_PRELOAD", HSTS_PRELOAD="1") == "True"
    assert production_setting("SECURE_HSTS_SECONDS") == "31536000"


def test_the_local_secret_key_file_is_created_private_and_kept(tmp_path):
    import shutil

    (tmp_path / "scripts").mkdir()
    script = shutil.copy(settings.BASE_DIR / "scripts" / "local_secret.py", tmp_path / "scripts")

    def run():
        return subprocess.run(
            ["bash", "-c", f"umask 022 && {sys.executable} {script}"], capture_output=True, text=True, check=True
        ).stdout

    first, second = run(), run()

    assert (tmp_path / ".secret_key").stat().st_mode & 0o777 == 0o600
    assert first == second
    assert len(first.strip()) > 40


def test_behind_proxies_a_forwarded_host_is_not_believed(client, settings):
    """With NUM_PROXIES set (production behind nginx), X-Forwarded-Host is the client's word: never the host."""
    env = {**os.environ, "NUM_PROXIES": "1"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.USE_X_FORWARDED_HOST)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
    nginx_conf = (settings.BASE_DIR / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    assert 'proxy_set_header X-Forwarded-Host "";' in nginx_conf

    response = client.get("/healthz", HTTP_X_FORWARDED_HOST="evil.example", HTTP_HOST="testserver")
    assert response.wsgi_request.get_host() == "testserver"
