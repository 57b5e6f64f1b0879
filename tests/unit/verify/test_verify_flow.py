"""Campaign to purge on a real SQLite store and index: single use, expiry, decisions, retention."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pillow_heif import register_heif_opener

from crossguard.config import Settings, settings_from_dict
from crossguard.errors import StoreError
from crossguard.scan import Guard
from crossguard.store.store import Store
from crossguard.synth.customers import Customer
from crossguard.synth.idimages import licence_photo
from crossguard.verify import campaigns, items
from crossguard.verify.base import VerifyContext
from crossguard.verify.intake import check_document
from crossguard.verify.models import VerifyItem
from crossguard.verify.purge import sweep
from crossguard.verify.reading import Reading, read_document


@pytest.fixture
def setup(tmp_path: Path, built_index: Path) -> Iterator[tuple[Settings, VerifyContext, Store]]:
    settings = settings_from_dict({
        "index": {"path": str(built_index)},
        "store": {"url": f"sqlite:///{tmp_path / 'db' / 'store.db'}",
                  "spool_dir": str(tmp_path / "spool")},
        "verify": {"retention_days": 2},
    })
    store = Store.from_settings(settings)
    yield settings, VerifyContext.of(store, settings.secret_key(), settings.verify), store
    store.close()


def reader(settings: Settings) -> Callable[[str, bytes, str], Reading]:
    guard = Guard.from_settings(settings)
    return lambda customer, data, kind: read_document(guard, customer, data, kind)


def photo(customer: Customer) -> bytes:
    return licence_photo(customer.name, customer.address, customer.driver_licence,
                         date.fromisoformat(customer.dob))


def test_one_upload_per_link_read_decided_and_purged(
        setup: tuple[Settings, VerifyContext, Store], customers: list[Customer]) -> None:
    settings, ctx, store = setup
    owner, stranger = customers[3], customers[40]
    campaign_id, made = campaigns.create(ctx, "pre-orders", [owner.customer_id,
                                                             stranger.customer_id], actor="t")
    link, other_link = made
    assert items.status(ctx, link.token).status == items.OPEN
    item_id = items.accept(ctx, link.token, photo(owner), "jpeg", True)
    assert item_id == link.item_id
    assert items.accept(ctx, link.token, photo(owner), "jpeg", True) is None  # once only
    assert items.status(ctx, link.token).status == items.USED
    with ctx.reads() as session:
        blob = session.get_one(VerifyItem, item_id).upload
    assert blob is not None and owner.driver_licence.encode() not in blob
    assert items.read(ctx, item_id, reader(settings)) == "match"

    assert items.accept(ctx, other_link.token, photo(owner), "jpeg", None) is not None
    assert items.read(ctx, other_link.item_id, reader(settings)) == "mismatch"

    view = items.item(ctx, item_id)
    assert view.outcome == "match" and view.reading is not None
    assert owner.driver_licence not in json.dumps(view.as_dict())
    items.decide(ctx, item_id, "verified", actor="web:rita", reason="matches the order")
    with pytest.raises(StoreError, match="not awaiting"):
        items.decide(ctx, item_id, "rejected", actor="web:rita", reason="again")
    done = items.item(ctx, item_id)
    assert (done.state, done.reading, done.purged) == ("verified", None, True)
    with ctx.reads() as session:
        assert session.get_one(VerifyItem, item_id).upload is None
    rows = list(items.decisions(ctx))
    assert [(row["customer_id"], row["decision"]) for row in rows] == [
        (owner.customer_id, "verified")]
    events = [entry.event for entry in store.audit.entries(limit=100)]
    assert events.count("verify.purge") == 1 and "verify.decide" in events
    view_campaign, listed = campaigns.show(ctx, campaign_id)
    assert view_campaign.counts == {"verified": 1, "received": 1} and len(listed) == 2


def test_expiry_revocation_and_retention(setup: tuple[Settings, VerifyContext, Store],
                                         customers: list[Customer]) -> None:
    _settings, ctx, store = setup
    now = 1_800_000_000.0
    _, made = campaigns.create(ctx, "short", [c.customer_id for c in customers[:3]],
                               actor="t", days=1, now=now)
    assert items.status(ctx, made[0].token, now=now + 86_401).status == items.GONE
    assert items.accept(ctx, made[0].token, b"x", "jpeg", None, now=now + 86_401) is None
    item_id = items.accept(ctx, made[1].token, b"\xff\xd8\xff" + b"y" * 100, "jpeg", None,
                           now=now + 10)
    assert item_id is not None
    assert sweep(ctx, now=now + 86_401) == {"expired": 2, "purged": 0}
    assert sweep(ctx, now=now + 3 * 86_400) == {"expired": 0, "purged": 1}
    view = items.item(ctx, item_id)
    assert (view.state, view.purged) == ("expired", True)
    with ctx.reads() as session:
        assert session.get_one(VerifyItem, item_id).upload is None
    assert store.audit.verify().ok

    campaign_id, fresh = campaigns.create(ctx, "revoked", ["C1", "C2", "C1"], actor="t")
    assert len(fresh) == 2  # one link per distinct customer
    assert campaigns.revoke(ctx, campaign_id, actor="t") == 2
    assert items.status(ctx, fresh[0].token).status == items.GONE
    with pytest.raises(StoreError):
        campaigns.revoke(ctx, "nope", actor="t")


def test_forged_links_are_invalid(setup: tuple[Settings, VerifyContext, Store]) -> None:
    _settings, ctx, _store = setup
    _, (first, second) = campaigns.create(ctx, "c", ["C1", "C2"], actor="t")
    forged = f"{second.item_id}.{first.token.split('.')[1]}"
    assert items.status(ctx, forged).status == items.INVALID
    assert items.accept(ctx, forged, b"x", "jpeg", None) is None
    assert items.status(ctx, "f" * 32 + "." + "A" * 32).status == items.INVALID


def test_a_pdf_scan_a_png_and_a_heic_photo_are_read_too(
        setup: tuple[Settings, VerifyContext, Store], customers: list[Customer]) -> None:
    settings, _ctx, _store = setup
    owner = customers[5]
    page = Image.open(io.BytesIO(photo(owner)))
    pdf, png, heic = io.BytesIO(), io.BytesIO(), io.BytesIO()
    page.save(pdf, "PDF")
    page.save(png, "PNG")
    register_heif_opener()
    page.save(heic, "HEIF", quality=90)
    assert check_document(heic.getvalue(), settings.images, settings.parse) == "heic"
    read = reader(settings)
    assert read(owner.customer_id, heic.getvalue(), "heic").outcome == "match"
    assert read(owner.customer_id, pdf.getvalue(), "pdf").outcome == "match"
    assert read(owner.customer_id, png.getvalue(), "png").outcome == "match"
    assert read(customers[6].customer_id, pdf.getvalue(), "pdf").outcome == "mismatch"
