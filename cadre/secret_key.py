"""The secret key of a machine that has none configured (development with DEBUG=1, the demo):
made once into the var/ folder and reused. Read by the settings modules before Django is set
up, so it imports nothing of Django or Cadre."""

import os
import secrets
from pathlib import Path


def local_secret_key(path: Path) -> str:
    """The key stored at `path`: made on first use, readable by its owner only, then reused so
    sessions survive a restart. Each machine (each var/ folder) has its own, so no key is
    shared by every copy of Cadre."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a name of its own, then linked into place: a process starting
        # at the same moment finds either no file or the complete key, never half of one.
        draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_urlsafe(50) + "\n")
        try:
            os.link(draft, path)
        except FileExistsError:  # another process made it first: theirs is the key
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()
