"""The development 'editor' account exists only in the project-local database, and check --deploy refuses staff
accounts with common passwords."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import run_checks
from django.core.management import call_command

from .factories import EditorFactory, UserFactory

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
