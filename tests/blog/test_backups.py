import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_comments_xtd.models import XtdComment

from blog.models import Article
from tests.factories import ArticleFactory, EditorFactory
from tests.forms import BrowserClient
from tests.perf import locmem_page_cache  # noqa: F401 (fixture)


@pytest.fixture(autouse=True)
def backup_dir(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "backups"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_round_trip_the_database_comments_and_media(tmp_path):
    article = ArticleFactory(title="Original title")
    comment = XtdComment.objects.create(
        content_type=ContentType.objects.get_for_model(Article),
        object_pk=str(article.pk),
        site=Site.objects.get_current(),
        user_name="Reader",
        user_email="reader@example.com",
        comment="A comment worth keeping.",
    )
    photo = default_storage.save("authors/photo.jpg", ContentFile(b"not really a jpeg"))
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", output=str(archive), stdout=None)

    Article.objects.filter(pk=article.pk).update(title="Changed after the backup")
    XtdComment.objects.all().delete()
    default_storage.delete(photo)
    call_command("restore_site", str(archive))

    assert Article.objects.get(pk=article.pk).title == "Original title"
    assert XtdComment.objects.get(pk=comment.pk).comment == "A comment worth keeping."
    assert default_storage.open(photo).read() == b"not really a jpeg"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_saves_the_current_state_first(tmp_path):
    ArticleFactory()
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", output=str(archive))

    call_command("restore_site", str(archive))

    assert len(list((tmp_path / "backups").glob("pre-restore-*.tar.gz"))) == 1


def test_restore_of_a_missing_file_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore_site", "/no/such/backup.tar.gz")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backups_are_private_files_in_a_private_folder_without_sessions(tmp_path, client, record_property):
    client.force_login(EditorFactory())
    assert Session.objects.count() == 1
    call_command("backup_site", stdout=None)
    archive = next((tmp_path / "backups").glob("site-*.tar.gz"))

    record_property(
        "backup_mode", f"{archive.stat().st_mode & 0o777:o} in {(tmp_path / 'backups').stat().st_mode & 0o777:o}"
    )
    assert archive.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "backups").stat().st_mode & 0o777 == 0o700
    call_command("restore_site", str(archive))
    assert Session.objects.count() == 0  # The live session did not travel in the archive.
    assert next((tmp_path / "backups").glob("pre-restore-*.tar.gz")).stat().st_mode & 0o777 == 0o600


def test_a_pg_dump_older_than_the_server_is_refused_naming_what_to_install(db):
    from blog.backups import ToolMissing, postgres_tool, system_tools

    with pytest.raises(ToolMissing, match="Install postgresql-client-99"):
        postgres_tool("pg_dump", server_major=99, candidates=system_tools("pg_dump"))


def test_the_systems_pg_dump_is_used_when_new_enough(db):
    from django.db import connection

    from blog.backups import postgres_tool, system_tools, tool_major_version

    server_major = connection.cursor().connection.server_version // 10000
    newest = max(system_tools("pg_dump"), key=tool_major_version)
    if tool_major_version(newest) < server_major:
        pytest.skip("this machine's pg_dump is older than the test server (the project-local server)")
    assert postgres_tool("pg_dump") == newest
    assert "pgserver" not in postgres_tool("pg_dump")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("locmem_page_cache")
def test_restore_clears_the_page_cache(tmp_path):
    """Cached pages must show the restored site, not the one it replaced."""
    article = ArticleFactory(title="Original title")
    archive = tmp_path / "site.tar.gz"
    call_command("backup_site", output=str(archive))
    Article.objects.filter(pk=article.pk).update(title="Changed after the backup")
    assert "Changed after the backup" in BrowserClient().get(article.get_absolute_url()).content.decode()

    call_command("restore_site", str(archive))

    page = BrowserClient().get(article.get_absolute_url()).content.decode()
    assert "<h1>Original title</h1>" in page
