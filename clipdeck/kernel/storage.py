"""Local media storage that never exposes a half-written file.

Django's ``FileSystemStorage`` writes straight to the final path, so a crash
mid-write leaves a truncated file under a real name. Here every save goes to a
hidden temporary file in the same folder, is flushed to disk, and is then
hard-linked into place (atomic, and it never overwrites an existing name).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.storage import FileSystemStorage, Storage
from django.db import transaction

from clipdeck.kernel.sealed_media import is_sealed_name, plain_copy

if TYPE_CHECKING:
    from django.db.models.fields.files import FieldFile

PARTIAL_MARK = ".partial-"


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content) -> str:
        full_path = Path(self.path(name))
        full_path.parent.mkdir(parents=True, exist_ok=True)
        partial = full_path.with_name(f".{full_path.name}{PARTIAL_MARK}{secrets.token_hex(6)}")
        try:
            self._write(partial, content)
            while True:
                try:
                    os.link(partial, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = Path(self.path(name))
        finally:
            partial.unlink(missing_ok=True)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        return str(full_path.relative_to(self.location)).replace("\\", "/")

    @staticmethod
    def _write(partial: Path, content) -> None:
        if hasattr(content, "temporary_file_path"):
            shutil.copyfile(content.temporary_file_path(), partial)
            return
        with open(partial, "xb") as handle:
            if hasattr(content, "seek"):
                with contextlib.suppress(OSError, ValueError):
                    content.seek(0)
            for chunk in content.chunks():
                handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            handle.flush()
            os.fsync(handle.fileno())


@contextlib.contextmanager
def local_path(storage: Storage, name: str) -> Iterator[str]:
    """A path on this machine for ``name``: the file itself, or a temporary copy
    (decrypted, for a sealed file: ``kernel.sealed_media``)."""
    if is_sealed_name(name):
        with plain_copy(storage, name) as plain:
            yield plain
        return
    path: str | None
    try:
        path = storage.path(name)
    except NotImplementedError:
        path = None
    if path is not None:
        yield path
        return
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy, storage.open(name, "rb") as source:
        shutil.copyfileobj(source, copy, length=1024 * 1024)
        copy.flush()
        yield copy.name


def delete_on_commit(file: FieldFile) -> None:
    """Delete ``file`` from its storage once the current transaction commits.

    An empty file field (no name) deletes nothing. Rows go with the
    transaction; their files must not go before it is certain to commit.
    """
    name = file.name
    if name:
        transaction.on_commit(partial(file.storage.delete, name))
