from django.urls import path

from config.pagecache import public_page

from . import views


def comments_close(response):
    """A reply page changes on its own when the article's comments close."""
    return response.context_data["article"].comments_close_at()


# Ours take the place of django-comments-xtd's views. xtd's REST API and like/flag views are left out on purpose:
# its API would accept comments past our validation and flood control, and it serves Gravatar URLs.
# django_comments.urls is left out too: its `cr/` is contenttypes' shortcut, which redirected to any object's URL
# (drafts and scheduled articles included, by pk); editors moderate in the admin, not with its flag/delete views.
urlpatterns = [
    path("post/", views.post_comment, name="comment-post"),
    path("reply/<int:pk>/", public_page(views.reply, changes_at=comments_close), name="comment-reply"),
    path("held/<int:article_pk>/", views.held_comments, name="comment-held"),
    path("confirm/<str:key>/", views.confirm, name="comment-confirm"),
    path("mute/<str:token>/", views.mute, name="comment-mute"),
    path("cr/<int:content_type_id>/<str:object_pk>/", views.comment_target, name="comments-url-redirect"),
]
