"""Print this checkout's SECRET_KEY for `make serve`, creating it once in the git-ignored .secret_key."""

import secrets
from pathlib import Path

path = Path(__file__).resolve().parent.parent / ".secret_key"
if not path.exists():
    path.write_text(secrets.token_urlsafe(50))
    path.chmod(0o600)
print(path.read_text().strip())
