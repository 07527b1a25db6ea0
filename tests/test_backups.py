import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.models import Site
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django_comments_xtd.models import XtdComment

from blog.models import Article

from .factories import ArticleFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.MEDIA_ROOT


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
