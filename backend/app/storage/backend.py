"""Where files live: every logo, archived PDF/XML and e-mail attachment goes through here.

The interface is the design's (A3): save, read, delete, url. Implementations are sync
(boto3 is); async callers use `run` below so the event loop never blocks on disk or S3.
"""

import asyncio
import hashlib
import hmac
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TypeVar
from urllib.parse import quote, urlencode

from app.config import Settings, get_settings

T = TypeVar("T")


class StorageError(Exception):
    pass


class FileMissing(StorageError):
    pass


def normalize_key(path: str) -> str:
    """A relative POSIX key with no way out of the storage root ('..', absolute, empty)."""
    if not path or "\x00" in path or "\\" in path:
        raise StorageError(f"invalid storage path: {path!r}")
    # Check the raw segments: PurePosixPath would quietly fold "a//b" and "a/./b".
    if path.startswith("/") or any(part in ("..", ".", "") for part in path.split("/")):
        raise StorageError(f"invalid storage path: {path!r}")
    return str(PurePosixPath(path))


class StorageBackend(ABC):
    @abstractmethod
    def save(self, path: str, data: bytes) -> str:
        """Store `data` under `path` (overwriting) and return the key it is stored under."""

    @abstractmethod
    def read(self, path: str) -> bytes: ...

    @abstractmethod
    def delete(self, path: str) -> None: ...

    @abstractmethod
    def url(self, path: str) -> str:
        """A URL that serves the file for a limited time without other credentials."""

    def exists(self, path: str) -> bool:
        try:
            self.read(path)
        except FileMissing:
            return False
        return True


def sign_local_path(secret: str, key: str, expires: int) -> str:
    return hmac.new(secret.encode(), f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()


class LocalStorage(StorageBackend):
    def __init__(self, root: Path, *, secret: str, api_base_url: str, expire_seconds: int = 900) -> None:
        self.root = root.resolve()
        self.secret = secret
        self.api_base_url = api_base_url.rstrip("/")
        self.expire_seconds = expire_seconds

    def _resolve(self, path: str) -> Path:
        key = normalize_key(path)
        full = (self.root / key).resolve()
        # Symlinks inside the root could still point outside: check the resolved path too.
        if self.root != full and self.root not in full.parents:
            raise StorageError(f"path escapes the storage root: {path!r}")
        return full

    def save(self, path: str, data: bytes) -> str:
        full = self._resolve(path)
        full.parent.mkdir(parents=True, exist_ok=True)
        tmp = full.with_name(f".{full.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(full)  # atomic: a reader never sees half a file
        return normalize_key(path)

    def read(self, path: str) -> bytes:
        full = self._resolve(path)
        try:
            return full.read_bytes()
        except FileNotFoundError:
            raise FileMissing(path) from None

    def delete(self, path: str) -> None:
        self._resolve(path).unlink(missing_ok=True)

    def url(self, path: str) -> str:
        key = normalize_key(path)
        expires = int(time.time()) + self.expire_seconds
        sig = sign_local_path(self.secret, key, expires)
        return f"{self.api_base_url}/api/files/{quote(key)}?{urlencode({'expires': expires, 'signature': sig})}"

    def verify(self, key: str, expires: int, signature: str) -> bool:
        if expires < int(time.time()):
            return False
        return hmac.compare_digest(sign_local_path(self.secret, normalize_key(key), expires), signature)


class S3Storage(StorageBackend):
    def __init__(
        self,
        *,
        bucket: str,
        region: str,
        access_key_id: str | None,
        secret_access_key: str | None,
        endpoint_url: str | None,
        expire_seconds: int = 900,
    ) -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.expire_seconds = expire_seconds
        self.client = boto3.client(
            "s3",
            region_name=region,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            endpoint_url=endpoint_url or None,
            config=Config(retries={"max_attempts": 5, "mode": "standard"}, signature_version="s3v4"),
        )

    def save(self, path: str, data: bytes) -> str:
        key = normalize_key(path)
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data)
        return key

    def read(self, path: str) -> bytes:
        key = normalize_key(path)
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise FileMissing(path) from None

    def delete(self, path: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=normalize_key(path))

    def url(self, path: str) -> str:
        return self.client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": normalize_key(path)},
            ExpiresIn=self.expire_seconds,
        )


_storage: StorageBackend | None = None


def build_storage(settings: Settings) -> StorageBackend:
    if settings.storage_backend == "s3":
        if not settings.aws_bucket:
            raise StorageError("STORAGE_BACKEND=s3 needs AWS_BUCKET")
        return S3Storage(
            bucket=settings.aws_bucket,
            region=settings.aws_region,
            access_key_id=settings.aws_access_key_id,
            secret_access_key=settings.aws_secret_access_key,
            endpoint_url=settings.aws_endpoint_url,
            expire_seconds=settings.storage_url_expire_seconds,
        )
    return LocalStorage(
        # Directly under DATA_DIR: e-mails in data/outbox/, invoices/ and organizations/ beside it.
        settings.data_dir,
        secret=settings.secret_key,
        api_base_url=settings.api_base_url,
        expire_seconds=settings.storage_url_expire_seconds,
    )


def get_storage() -> StorageBackend:
    global _storage
    if _storage is None:
        _storage = build_storage(get_settings())
    return _storage


def set_storage(storage: StorageBackend | None) -> None:
    global _storage
    _storage = storage


async def run(fn: Callable[..., T], *args: object) -> T:
    """Call a storage method off the event loop."""
    return await asyncio.to_thread(fn, *args)  # type: ignore[arg-type]
