"""Attachments into the media library: the featured image and the images in a body, each fetched once
(``wordpress.media`` says from where) and reused by every post that shows it. Audio and video files (for their
players) are stored as they are under ``wordpress/`` in media storage, at their path under wp-content/uploads, so a
second run finds them there."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from images.models import Image

from . import content
from .models import ImportedObject

Kind = ImportedObject.Kind
MEDIA_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".gif")
PLAYABLE_EXTENSIONS = (".mp3", ".m4a", ".ogg", ".oga", ".wav", ".flac", ".mp4", ".m4v", ".webm", ".ogv")
PLAYABLE_MAX_BYTES = 100 * 1024 * 1024


class AttachmentsMixin:
    """The Importer's library images: ``self.images`` (attachment id or URL → Image, None when missing)."""

    def library_reference(self, image: content.Image):
        attachment = self.attachments.get(image.attachment_id) if image.attachment_id else None
        attachment = attachment or self.attachments_by_url.get(image.original_src)
        if attachment is None:
            library_image = self.image_for_url(image.original_src, image.alt, image.caption)
        else:
            library_image = self.image_for_attachment(attachment.post_id, alt=image.alt, caption=image.caption)
        if library_image is None:
            return None
        return f"\n\n{library_image.reference()}\n\n"

    def image_for_attachment(self, post_id, alt="", caption=""):
        if post_id in self.images:
            return self.images[post_id]
        attachment = self.attachments.get(post_id)
        record = self.record(Kind.ATTACHMENT, post_id)
        image = self.stored_object(record, Image)
        if record is not None and image is None:
            self.images[post_id] = None  # deleted by an editor: not fetched again
            return None
        if image is None and attachment is not None:
            image = self.fetch_image(
                attachment.attachment_url,
                alt=attachment.image_alt or alt or attachment.title,
                caption=attachment.excerpt or caption,
                relative=attachment.attached_file,
            )
            if image is not None:
                self.remember(Kind.ATTACHMENT, post_id, image)
        elif image is None:
            self.report.media_missing.append(f"attachment {post_id}: not in the export")
        self.images[post_id] = image
        self.written.append((self.images, post_id))
        return image

    def image_for_url(self, url, alt, caption):
        key = f"url:{url}"
        if key not in self.images:
            self.images[key] = self.fetch_image(url, alt=alt, caption=caption)
            self.written.append((self.images, key))
        return self.images[key]

    def fetch_image(self, url, *, alt, caption, relative=""):
        if not url or not urlsplit(url).path.lower().endswith(MEDIA_EXTENSIONS):
            self.report.media_missing.append(f"{url or relative}: not a JPEG, PNG, WebP or GIF image")
            return None
        if not self.options.media_from:
            self.report.media_missing.append(f"{url}: not fetched (no --media-from)")
            return None
        if self.options.dry_run:
            # Nothing is fetched: a local file is only looked for, an address only counted.
            if not self.media.remote:
                try:
                    self.media.path_for(url, relative)
                except (OSError, ValueError) as error:
                    self.report.media_missing.append(f"{url}: {error}")
                    return None
            self.report.media_fetched += 1
            return None
        try:
            data = self.media.read(url, relative)
        except (OSError, ValueError) as error:
            self.report.media_missing.append(f"{url}: {error}")
            return None
        name = Path(urlsplit(url).path).name
        caption_text = BeautifulSoup(caption or "", "html.parser").get_text(" ", strip=True)
        image = Image(
            file=ContentFile(data, name=name),
            alt_text=(alt or Path(name).stem)[:250],
            caption=caption_text[:300],
        )
        try:
            image.full_clean()
            with transaction.atomic():
                image.save()
        except (ValidationError, OSError, ValueError) as error:
            message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            self.report.media_missing.append(f"{url}: {message}")
            return None
        self.report.media_fetched += 1
        return image

    def media_file_url(self, url):
        """The URL here of an audio or video file of the old site, fetched once; None when it is not (no
        --media-from, a dry run, another kind of file, or it could not be read: the report says which)."""
        if url in self.media_files:
            return self.media_files[url]
        path = urlsplit(url).path
        local = None
        if self.media is not None and path.lower().endswith(PLAYABLE_EXTENSIONS):
            uploads = "/wp-content/uploads/"
            relative = unquote(path.split(uploads, 1)[1] if uploads in path else PurePosixPath(path).name)
            name = "wordpress/" + "/".join(part for part in relative.split("/") if part not in ("", ".", ".."))
            if self.options.dry_run:
                self.report.media_fetched += 1
            elif default_storage.exists(name):
                local = default_storage.url(name)
            else:
                try:
                    data = self.media.read(url, max_bytes=PLAYABLE_MAX_BYTES)
                except (OSError, ValueError) as error:
                    self.report.media_missing.append(f"{url}: {error}")
                else:
                    local = default_storage.url(default_storage.save(name, ContentFile(data)))
                    self.report.media_fetched += 1
        self.media_files[url] = local
        return local
