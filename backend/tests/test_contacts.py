async def test_contact_crud(tenant):
    c = await tenant.contact(name="Zeta GmbH", vat_id="ATU13585627", country_code="AT")
    assert c["vat_id"] == "ATU13585627"
    r = await tenant.patch(f"/api/contacts/{c['id']}", {"city": "Wien", "email": ""})
    assert r.status_code == 200 and r.json()["city"] == "Wien" and r.json()["email"] is None
    assert (await tenant.patch(f"/api/contacts/{c['id']}", {"name": None})).status_code == 422
    found = (await tenant.get("/api/contacts", params={"q": "zeta"})).json()
    assert [x["id"] for x in found["items"]] == [c["id"]]
    assert (await tenant.delete(f"/api/contacts/{c['id']}")).status_code == 204
    assert (await tenant.get(f"/api/contacts/{c['id']}")).status_code == 404


async def test_contact_with_invoices_cannot_be_deleted(tenant):
    inv = await tenant.invoice()
    r = await tenant.delete(f"/api/contacts/{inv['contact_id']}")
    assert r.status_code == 409 and r.json()["code"] == "contact_in_use"
