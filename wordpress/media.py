"""Where the importer reads attachments: ``--media-from``, an old site's address or a local copy of its uploads.

Only what was asked for is read:

- Over HTTP(S), a file is always asked of ``--media-from``'s own scheme, host and port: only the attachment URL's
  path is used, put under the base's path, so a path that is itself a URL (``http://old/http://127.0.0.1:6379/``,
  ``http://old/file:///srv/…``) is just a path on the old site. A redirect is followed only to the same scheme,
  host and port. The host's address is checked on every connection, and the connection made to the address that
  was checked (no second DNS lookup to rebind): a private, loopback, link-local or reserved address is refused
  unless the base itself resolves to one (an old site on the intranet, or a test server on 127.0.0.1).
- From a folder, a file is read only when its real path (symlinks resolved) is inside that folder.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from django.template.defaultfilters import filesizeformat

TIMEOUT = 20  # seconds per file
MAX_REDIRECTS = 5
USER_AGENT = "blog-wordpress-import"
UPLOADS = "/wp-content/uploads/"
PATH_SAFE = "/%:@!$&'()*+,;=-._~"


class MediaRefused(ValueError):
    """The file was not fetched because fetching it would leave what --media-from allows."""


def media_source(base: str, *, max_bytes: int):
    """The reader for ``--media-from``: an HttpSource for an http(s) address, else a FolderSource."""
    scheme = urlsplit(base).scheme.lower()
    if scheme in ("http", "https"):
        return HttpSource(base, max_bytes=max_bytes)
    if "://" in base:
        raise MediaRefused(f"--media-from must be an http(s) address or a folder, not {scheme}:")
    return FolderSource(base)


def is_public_address(address: str) -> bool:
    return ipaddress.ip_address(address).is_global


class HttpSource:
    remote = True

    def __init__(self, base: str, *, max_bytes: int):
        parts = urlsplit(base)
        self.scheme = parts.scheme.lower()
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.scheme == "https" else 80)
        self.base_path = parts.path.rstrip("/")
        self.max_bytes = max_bytes
        self._allow_private = None  # decided at the first fetch, from the base's own addresses

    def url_for(self, url: str) -> str:
        """The address a WordPress attachment URL is fetched from: its path under the base, on the base's host."""
        path = quote(urlsplit(url).path, safe=PATH_SAFE)
        return f"{self.scheme}://{self.netloc}{self.base_path}/{path.lstrip('/')}"

    @property
    def netloc(self):
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    def read(self, url: str, relative: str = "", *, max_bytes: int | None = None) -> bytes:
        target = self.url_for(url)
        for _ in range(MAX_REDIRECTS + 1):
            status, location, data = self._get(target, max_bytes or self.max_bytes)
            if status in (301, 302, 303, 307, 308) and location:
                following = urljoin(target, location)
                parts = urlsplit(following)
                default_port = 443 if parts.scheme.lower() == "https" else 80
                if (parts.scheme.lower(), parts.hostname or "", parts.port or default_port) != (
                    self.scheme,
                    self.host.lower(),
                    self.port,
                ):
                    raise MediaRefused(f"redirected to {parts.scheme}://{parts.netloc}: not followed")
                target = following
                continue
            if status != 200:
                raise OSError(f"HTTP {status}")
            return data
        raise OSError("too many redirects")

    def resolve(self, host: str, port: int) -> list[str]:
        """The host's addresses (a method, so tests can stand in for DNS)."""
        return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]

    def _address(self) -> str:
        addresses = self.resolve(self.host, self.port)
        if not addresses:
            raise OSError(f"{self.host} has no address")
        if self._allow_private is None:
            self._allow_private = not all(is_public_address(address) for address in addresses)
        if not self._allow_private:
            refused = [address for address in addresses if not is_public_address(address)]
            if refused:
                raise MediaRefused(f"{self.host} now resolves to the private address {refused[0]}: not fetched")
        return addresses[0]

    def _get(self, url: str, max_bytes: int):
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        address = self._address()
        connection_class = _PinnedHTTPSConnection if self.scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(self.host, self.port, address=address, timeout=TIMEOUT)
        try:
            connection.request("GET", path or "/", headers={"User-Agent": USER_AGENT})
            response = connection.getresponse()
            location = response.getheader("Location", "")
            data = response.read(max_bytes + 1) if response.status == 200 else b""
        finally:
            connection.close()
        if len(data) > max_bytes:
            raise MediaRefused(f"larger than {filesizeformat(max_bytes)}: not fetched")
        return response.status, location, data


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address already checked, whatever the host's name resolves to now."""

    def __init__(self, host, port, *, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address, **kwargs):
        super().__init__(host, port, **kwargs)
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class FolderSource:
    remote = False

    def __init__(self, folder: str):
        self.root = Path(folder).resolve()

    def path_for(self, url: str, relative: str = "") -> Path:
        path = urlsplit(url).path
        relative = unquote(path.split(UPLOADS, 1)[1]) if UPLOADS in path else relative
        if not relative:
            raise FileNotFoundError("not under wp-content/uploads")
        file = (self.root / relative).resolve()
        if not file.is_relative_to(self.root):
            raise MediaRefused("outside the media folder: not read")
        if not file.is_file():
            raise FileNotFoundError(f"no file {relative} in {self.root}")
        return file

    def read(self, url: str, relative: str = "", *, max_bytes: int | None = None) -> bytes:
        file = self.path_for(url, relative)
        if max_bytes is not None and file.stat().st_size > max_bytes:
            raise MediaRefused(f"larger than {filesizeformat(max_bytes)}: not read")
        return file.read_bytes()
