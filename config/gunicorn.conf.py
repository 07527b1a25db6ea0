"""gunicorn settings for `make serve` and `make bench` (gunicorn -c config/gunicorn.conf.py).

Environment: HOST, PORT, WEB_CONCURRENCY (workers; default 2 per CPU + 1), ACCESS_LOG (0 turns the
access log off, as the bench does).
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
# Load Django once in the master; workers fork with it ready. config/wsgi.py checks staff passwords there and closes
# its database connection before any worker forks.
preload_app = True
wsgi_app = "config.wsgi"
accesslog = None if os.environ.get("ACCESS_LOG") == "0" else "-"
timeout = 30
graceful_timeout = 10
# Behind a proxy on the same machine, trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
