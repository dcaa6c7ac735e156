import hashlib
import time

import httpx
import pytest

from app.storage.backend import FileMissing, LocalStorage, S3Storage, StorageError
from tests.fixtures.servers import s3_server  # noqa: F401


@pytest.fixture
def local(tmp_path):
    return LocalStorage(tmp_path / "files", secret="s" * 32, api_base_url="http://testserver")


@pytest.fixture
def s3(s3_server):  # noqa: F811
    import boto3

    bucket = f"rw-test-{int(time.time() * 1000)}"
    boto3.client(
        "s3", endpoint_url=s3_server, region_name="eu-central-1", aws_access_key_id="test", aws_secret_access_key="test"
    ).create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    return S3Storage(
        bucket=bucket, region="eu-central-1", access_key_id="test", secret_access_key="test", endpoint_url=s3_server
    )


@pytest.fixture(params=["local", "s3"])
def storage(request, local):
    return local if request.param == "local" else request.getfixturevalue("s3")


def test_save_read_overwrite_delete(storage):
    key = storage.save("invoices/1/RE-2026-0001.pdf", b"%PDF-1")
    assert key == "invoices/1/RE-2026-0001.pdf"
    assert storage.read(key) == b"%PDF-1"
    storage.save(key, b"%PDF-2")
    assert storage.read(key) == b"%PDF-2"
    storage.delete(key)
    with pytest.raises(FileMissing):
        storage.read(key)
    storage.delete(key)  # deleting twice is fine


@pytest.mark.parametrize("bad", ["../etc/passwd", "/abs/path", "a/../../b", "", "a//b", "a\\b", "a/./b"])
def test_no_path_escapes(storage, bad):
    with pytest.raises(StorageError):
        storage.save(bad, b"x")


def test_symlink_out_of_root_is_refused(local, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (local.root).mkdir(parents=True, exist_ok=True)
    (local.root / "link").symlink_to(outside)
    with pytest.raises(StorageError):
        local.save("link/x.txt", b"x")


def test_s3_presigned_url_serves_the_bytes(s3):
    data = b"<Invoice/>" * 100
    s3.save("x/inv.xml", data)
    url = s3.url("x/inv.xml")
    assert "X-Amz-Signature" in url
    r = httpx.get(url)
    assert r.status_code == 200 and r.content == data


async def test_local_signed_url_serves_the_bytes_and_expires(client, tmp_root):
    from app.storage import get_storage

    storage = get_storage()
    storage.save("logos/a.png", b"\x89PNG\r\n\x1a\nabc")
    url = storage.url("logos/a.png").replace(storage.api_base_url, "")
    r = await client.get(url)
    assert r.status_code == 200 and r.content == b"\x89PNG\r\n\x1a\nabc"
    assert r.headers["content-type"] == "image/png"
    tampered = url.replace("logos/a.png", "logos/b.png")
    assert (await client.get(tampered)).status_code == 404
    sig = hashlib.sha256(b"x").hexdigest()
    expired = f"/api/files/logos/a.png?expires={int(time.time()) - 1}&signature={sig}"
    assert (await client.get(expired)).status_code == 404


async def test_logo_upload_goes_through_storage(tenant):
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 120, 120)).save(buf, format="PNG")
    r = await tenant.client.post(
        "/api/organization/logo", files={"file": ("logo.png", buf.getvalue(), "image/png")}, headers=tenant.headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["has_logo"] is True
    logo = await tenant.get("/api/organization/logo")
    assert logo.status_code == 200 and logo.content == buf.getvalue()
    bad = await tenant.client.post(
        "/api/organization/logo", files={"file": ("logo.png", b"GIF89a....", "image/gif")}, headers=tenant.headers
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "file"
    broken = await tenant.client.post(
        "/api/organization/logo", files={"file": ("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, "image/png")}, headers=tenant.headers
    )
    assert broken.status_code == 422


async def test_invoice_archive_and_logo_on_s3(tenant, s3):
    """The whole document path on the S3 backend: logo in, archived PDF/XML out."""
    import io

    from PIL import Image

    from app.invoices.models import Invoice
    from app.storage import get_storage, set_storage

    previous = get_storage()
    set_storage(s3)
    try:
        buf = io.BytesIO()
        Image.new("RGB", (60, 30), (10, 90, 90)).save(buf, format="PNG")
        r = await tenant.client.post(
            "/api/organization/logo", files={"file": ("logo.png", buf.getvalue(), "image/png")}, headers=tenant.headers
        )
        assert r.status_code == 200
        inv = await tenant.finalized_invoice()
        pdf = await tenant.get(f"/api/invoices/{inv['id']}/pdf")
        assert pdf.status_code == 200
        from app.db import get_sessionmaker

        async with get_sessionmaker()() as s:
            row = await s.get(Invoice, inv["id"])
        assert s3.read(row.pdf_path) == pdf.content
        assert hashlib.sha256(pdf.content).hexdigest() == row.pdf_sha256
        assert httpx.get(s3.url(row.ubl_path)).content == (await tenant.get(f"/api/invoices/{inv['id']}/xml")).content
    finally:
        set_storage(previous)
