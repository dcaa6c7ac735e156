"""Serves local-storage files behind signed, expiring URLs (S3 presigns its own)."""

import mimetypes

from fastapi import APIRouter, Query
from fastapi.responses import Response

from app.errors import NotFound
from app.storage.backend import FileMissing, LocalStorage, StorageError, get_storage, run

router = APIRouter(tags=["files"])


@router.get("/api/files/{key:path}", include_in_schema=False)
async def signed_file(key: str, expires: int = Query(...), signature: str = Query(...)) -> Response:
    storage = get_storage()
    if not isinstance(storage, LocalStorage):
        raise NotFound("Datei nicht gefunden")
    try:
        if not storage.verify(key, expires, signature):
            raise NotFound("Link ungültig oder abgelaufen")
        data = await run(storage.read, key)
    except (FileMissing, StorageError):
        raise NotFound("Datei nicht gefunden") from None
    media_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    return Response(data, media_type=media_type, headers={"Cache-Control": "private, max-age=60"})
