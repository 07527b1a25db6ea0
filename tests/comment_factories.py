"""Comments for tests, and posting through the real "Leave a Comment" form."""

import factory
import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone
from django_comments_xtd.models import XtdComment

from tests.forms import form_data

# For tests of what follows a comment's commit (its mail is queued on commit; other processes see only committed
# rows): they commit for real, and comments posted through the form are published at once.
COMMITTED_COMMENTS = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("comments_publish_at_once"),
]


class CommentFactory(factory.django.DjangoModelFactory):
    """An approved comment; pass `parent=` for a reply (xtd computes thread, level and order on save)."""

    class Meta:
        model = XtdComment
        exclude = ["article", "parent"]

    article = None
    parent = None
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_by_natural_key("blog", "article"))
    object_pk = factory.LazyAttribute(lambda c: str(c.article.pk))
    site_id = 1
    user_name = factory.Sequence(lambda n: f"Reader {n}")
    user_email = factory.Sequence(lambda n: f"reader{n}@example.com")
    comment = factory.Sequence(lambda n: f"Comment number {n}.")
    submit_date = factory.LazyFunction(timezone.now)
    parent_id = factory.LazyAttribute(lambda c: c.parent.pk if c.parent else 0)


def comment_form_data(client, article, query="", replying_to=None, **changes):
    """What a reader's browser would send from the article page's comment form (or, `replying_to` a comment,
    from that comment's reply page, as a browser without JavaScript does).

    `changes` are typed in (None unticks a box or empties a field); empty required fields get a default.
    """
    if replying_to is not None:
        response = client.get(reverse("comment-reply", args=[replying_to.pk]))
    else:
        response = client.get(article.get_absolute_url() + query)
    assert response.status_code == 200
    data = form_data(response, "comment-form")
    defaults = {"name": "Ada Reader", "email": "ada@example.com", "comment": "A thoughtful comment."}
    for name, value in defaults.items():
        if not data.get(name):
            data[name] = value
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def post_comment(client, article, query="", replying_to=None, **changes):
    """Fill in and send the comment form on the article page (or a comment's reply page), as a reader does."""
    return client.post(reverse("comment-post"), comment_form_data(client, article, query, replying_to, **changes))
