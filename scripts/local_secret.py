"""Print this checkout's SECRET_KEY for `make serve`, creating it once in the git-ignored .secret_key."""

import os
import secrets
from pathlib import Path

path = Path(__file__).resolve().parent.parent / ".secret_key"
try:  # Created 0600 in one step: never readable by others, not even for a moment; never overwritten.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
except FileExistsError:
    pass
else:
    with os.fdopen(descriptor, "w") as file:
        file.write(secrets.token_urlsafe(50))
print(path.read_text().strip())
