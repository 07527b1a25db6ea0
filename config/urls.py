from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Blog administration"
admin.site.site_title = "Blog admin"
admin.site.index_title = "Articles, authors and comments"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("authors/", include("authors.urls")),
    path("comments/", include("comments.urls")),
    path("", include("blog.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
