"""Run a command with a PostgreSQL database available in DATABASE_URL.

    python scripts/devdb.py [--url] -- COMMAND [ARGS...]

With DATABASE_URL set, that server is used as it is (the database is created if missing).
Without it, the project-local PostgreSQL (config/local_db.py) runs from the git-ignored
`.pgdata/` folder for as long as the command runs, and is stopped afterwards unless another
process still uses it. The Makefile wraps its targets in this, so that one server serves all
their steps; `python manage.py` alone starts or reuses the same server itself.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from config.local_db import ensure_database, start_local_server

__all__ = ["ensure_database", "main", "start_local_server"]


def main(argv):
    if "--" not in argv:
        sys.exit(__doc__)
    command = argv[argv.index("--") + 1 :]
    env = dict(os.environ)
    server = None
    if env.get("DATABASE_URL"):
        url = env["DATABASE_URL"]
    else:
        server, url = start_local_server()
        env["DATABASE_URL"] = url
    ensure_database(url)
    if not command:
        print(url)
        return 0

    child = subprocess.Popen(command, env=env)

    def forward(signum, frame):
        child.send_signal(signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, forward)
    code = child.wait()
    if server is not None:
        server.cleanup()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
