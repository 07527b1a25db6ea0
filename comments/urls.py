from django.urls import include, path

from . import views

# Ours take the place of django-comments-xtd's views. xtd's REST API and like/flag views are left out on purpose:
# its API would accept comments past our validation and flood control, and it serves Gravatar URLs.
urlpatterns = [
    path("post/", views.post_comment, name="comment-post"),
    path("token/", views.form_token, name="comment-form-token"),
    path("reply/<int:pk>/", views.reply, name="comment-reply"),
    path("confirm/<str:key>/", views.confirm, name="comment-confirm"),
    path("mute/<str:token>/", views.mute, name="comment-mute"),
    path("", include("django_comments.urls")),
]
