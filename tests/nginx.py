"""Debian's nginx in front of a server, configured from deploy/nginx.conf as shipped.

Only the upstream address, the listening port and the cache folder are substituted; everything else is
the deployable file (used by tests/config/test_nginx_cache.py and `make bench`).
"""

import os
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from tests.servers import free_port, listening

NGINX = "/usr/sbin/nginx"
SHIPPED = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"


def site_config(*, upstream, port, cache_dir):
    """deploy/nginx.conf pointed at `upstream` (host:port), listening on 127.0.0.1:`port`, caching in `cache_dir`."""
    text = SHIPPED.read_text()
    for old, new in [
        ("server 127.0.0.1:8000;", f"server {upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{port};"),
        ("/var/cache/nginx/blog", str(cache_dir)),
    ]:
        assert old in text, f"deploy/nginx.conf no longer has {old!r}"
        text = text.replace(old, new)
    return text


def main_config(workdir, site):
    """A main nginx.conf of its own (pid, logs, temporary files in `workdir`) that includes `site`."""
    return f"""{"user root;" if os.geteuid() == 0 else ""}
worker_processes 2;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {workdir}/client_body;
  proxy_temp_path {workdir}/proxy;
  fastcgi_temp_path {workdir}/fastcgi;
  uwsgi_temp_path {workdir}/uwsgi;
  scgi_temp_path {workdir}/scgi;
  include {site};
}}
"""


def run_nginx(workdir, site, *, nginx=NGINX, stderr=subprocess.DEVNULL):
    """Start nginx in the foreground with a main configuration of its own in `workdir` that includes `site`."""
    main = workdir / "nginx.conf"
    main.write_text(main_config(workdir, site))
    command = [nginx, "-p", str(workdir), "-c", str(main), "-g", "daemon off;"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)


@contextmanager
def nginx_in_front(upstream, *, port=None, extra_http=""):
    """Run nginx with the shipped configuration in front of `upstream`; yields its base URL."""
    port = port or free_port()
    with tempfile.TemporaryDirectory(prefix="blog-nginx-") as work:
        workdir = Path(work)
        workdir.chmod(0o755)
        site = workdir / "site.conf"
        site.write_text(site_config(upstream=upstream, port=port, cache_dir=workdir / "cache") + extra_http)
        process = run_nginx(workdir, site, stderr=subprocess.PIPE)
        with listening(process, port):
            yield f"http://127.0.0.1:{port}"
