from django.urls import include, path

from . import views

# Ours first: they take the place of django-comments-xtd's posting, confirmation and mute views.
urlpatterns = [
    path("post/", views.post_comment, name="comment-post"),
    path("confirm/<str:key>/", views.confirm, name="comment-confirm"),
    path("mute/<str:token>/", views.mute, name="comment-mute"),
    path("", include("django_comments_xtd.urls")),
]
