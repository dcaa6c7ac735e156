from app.storage.backend import (
    FileMissing,
    LocalStorage,
    S3Storage,
    StorageBackend,
    StorageError,
    get_storage,
    run,
    set_storage,
)

__all__ = ["FileMissing", "LocalStorage", "S3Storage", "StorageBackend", "StorageError", "get_storage", "run", "set_storage"]
