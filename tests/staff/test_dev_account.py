"""The development 'editor' account exists only in the project-local database; check --deploy refuses staff
accounts with development or common passwords, and the production server will not start with one."""

import io
import os
import subprocess

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.core.management import CommandError, call_command

from staff.models import PasswordVerdict
from staff.passwords import weak_staff_usernames
from tests.factories import EditorFactory, UserFactory
from tests.servers import GUNICORN, database_url, free_port, wait_until_healthy

pytestmark = pytest.mark.django_db


def test_the_dev_editor_is_not_created_on_a_database_named_by_database_url(settings, monkeypatch):
    # CI runs the suite on the project-local server and on DATABASE_URL's: the answer is each run's own.
    monkeypatch.setattr("blog.management.commands.create_dev_editor.is_project_local_server", lambda: False)
    settings.DEBUG = True
    out = io.StringIO()

    call_command("create_dev_editor", stdout=out)

    assert not get_user_model().objects.filter(username="editor").exists()
    assert "not the project-local one" in out.getvalue()


@pytest.mark.parametrize("password", ["editor", "password", "123456"])
def test_check_deploy_fails_for_a_staff_account_with_a_common_password(password):
    EditorFactory(username="amina", password=password)

    errors = [error for error in run_checks(include_deployment_checks=True) if error.id == "blog.E001"]

    assert [error.obj for error in errors] == ["amina"]


def test_check_deploy_accepts_strong_staff_passwords_and_ignores_readers():
    EditorFactory(username="amina")
    UserFactory(username="reader", password="password")

    assert [error for error in run_checks(include_deployment_checks=True) if error.id == "blog.E001"] == []


def test_a_weak_password_set_through_django_is_judged_from_its_text_at_once():
    """The verdict is kept when the password is set (no half-second hash checks at the server's start)."""
    editor = EditorFactory(username="amina")
    editor.set_password("password1")
    editor.save()

    assert PasswordVerdict.objects.get(user=editor).weak
    editor.set_password("a-much-longer-passphrase-nobody-guesses")
    editor.save()
    assert not PasswordVerdict.objects.get(user=editor).weak


def test_a_kept_verdict_is_used_until_the_password_changes(monkeypatch):
    editor = EditorFactory(username="amina", password="editor")  # Stored as a hash only: checked once.
    assert weak_staff_usernames() == ["amina"]

    monkeypatch.setattr("staff.passwords.check_password", lambda *args: pytest.fail("hash checked again"))
    assert weak_staff_usernames() == ["amina"]
    editor.set_password("a-much-longer-passphrase-nobody-guesses")
    editor.save()
    assert weak_staff_usernames() == []


def test_make_run_gives_alison_johnson_an_author_account_linked_to_her_profile(settings, monkeypatch, site_content):
    monkeypatch.setattr("blog.management.commands.create_dev_editor.is_project_local_server", lambda: True)
    settings.DEBUG = True

    call_command("create_dev_editor", stdout=io.StringIO())

    alison = get_user_model().objects.get(username="alison")
    assert alison.author == site_content.author
    assert list(alison.groups.values_list("name", flat=True)) == ["Authors"]
    assert alison.has_perm("blog.publish_article")
    assert not alison.has_perm("blog.review_article")


def test_the_development_author_counts_as_a_weak_password_for_production(settings, monkeypatch, site_content):
    monkeypatch.setattr("blog.management.commands.create_dev_editor.is_project_local_server", lambda: True)
    settings.DEBUG = True
    call_command("create_dev_editor", stdout=io.StringIO())

    assert weak_staff_usernames() == ["editor", "alison"]
    assert "blog.E001" in {error.id for error in run_checks(include_deployment_checks=True)}


def test_no_development_author_account_is_made_with_debug_off(settings, site_content):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("create_dev_editor", stdout=io.StringIO())

    assert not get_user_model().objects.filter(username="alison").exists()


def serve_with_debug_off(database_url, port):
    """gunicorn as `make serve` starts it (Procfile: gunicorn -c config/gunicorn.conf.py), DEBUG off."""
    env = {name: value for name, value in os.environ.items() if name not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_ENV="production",
        DEBUG="0",
        ALLOW_INSECURE_HTTP="1",
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        PORT=str(port),
        WEB_CONCURRENCY="1",
    )
    return subprocess.Popen(
        [str(GUNICORN), "-c", "config/gunicorn.conf.py"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def database_make_run_used(settings, monkeypatch):
    """The test database as `make run` leaves its own: the development editor created by its command."""
    monkeypatch.setattr("blog.management.commands.create_dev_editor.is_project_local_server", lambda: True)
    settings.DEBUG = True
    call_command("create_dev_editor", stdout=io.StringIO())
    settings.DEBUG = False
    assert get_user_model().objects.get(username="editor").check_password("editor")
    return database_url()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_production_server_refuses_a_database_make_run_used(database_make_run_used):
    port = free_port()
    server = serve_with_debug_off(database_make_run_used, port)
    try:
        _out, err = server.communicate(timeout=90)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()

    assert server.returncode != 0
    assert "Refusing to serve with DEBUG off" in err
    assert "'editor'" in err
    assert "manage.py changepassword editor" in err
    assert "'alison'" in err  # The development author too.


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_production_server_starts_once_the_password_is_changed(database_make_run_used):
    for account in get_user_model().objects.filter(username__in=["editor", "alison"]):
        account.set_password("a-much-longer-passphrase-nobody-guesses")
        account.save()
    port = free_port()
    server = serve_with_debug_off(database_make_run_used, port)
    try:
        wait_until_healthy(f"http://127.0.0.1:{port}", server, timeout=60)
    finally:
        server.terminate()
        server.communicate(timeout=30)
