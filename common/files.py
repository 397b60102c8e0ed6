"""Writing a file so that a kill or a full disk never leaves half of it behind."""

import os
import tempfile
from pathlib import Path


def atomic_write(path, content):
    """Write ``content`` (text or bytes) to ``path`` through a temporary file beside it, renamed
    over it once it is on disk. On any failure the temporary file is removed and ``path`` is as
    it was. A new file gets the usual mode (0644 under the common umask), an existing one keeps
    its own."""
    path = Path(path)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb" if isinstance(content, bytes) else "w") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())  # on disk before the rename makes it the file
        try:
            mode = path.stat().st_mode & 0o7777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename is None:  # say which file could not be written
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
