import hashlib

from sqlalchemy.ext.asyncio import AsyncSession

from app.errors import Unprocessable
from app.organizations.models import Organization
from app.organizations.schemas import OrganizationUpdate
from app.storage import get_storage, run

MAX_LOGO_BYTES = 1_000_000
_LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}


def apply_update(org: Organization, body: OrganizationUpdate) -> None:
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(org, field, value)


def logo_extension(data: bytes) -> str:
    for magic, ext in _LOGO_TYPES.items():
        if data.startswith(magic):
            return ext
    raise Unprocessable("Das Logo muss ein PNG- oder JPEG-Bild sein", field="file")


async def store_logo(session: AsyncSession, org: Organization, data: bytes) -> None:
    if not data:
        raise Unprocessable("Die Datei ist leer", field="file")
    if len(data) > MAX_LOGO_BYTES:
        raise Unprocessable("Das Logo darf höchstens 1 MB groß sein", field="file")
    ext = logo_extension(data)
    _check_decodable(data)
    storage = get_storage()
    # Content-addressed name: an archived invoice keeps pointing at the logo it was made with.
    key = f"organizations/{org.id}/logo-{hashlib.sha256(data).hexdigest()[:16]}.{ext}"
    await run(storage.save, key, data)
    org.logo_path = key
    await session.flush()


def _check_decodable(data: bytes) -> None:
    try:
        from PIL import Image
    except ImportError:  # Pillow arrives with the PDF renderer; the magic check still holds
        return
    import io

    try:
        with Image.open(io.BytesIO(data)) as img:
            img.verify()
    except Exception:  # noqa: BLE001 - any decoder complaint means "not a usable image"
        raise Unprocessable("Das Bild ist beschädigt oder kein gültiges PNG/JPEG", field="file") from None
