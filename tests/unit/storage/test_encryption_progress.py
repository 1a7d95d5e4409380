"""Converting a plain file reports its steps and can be cancelled until the final rename."""

from __future__ import annotations

import pytest

from app.storage import Database, cipher, encryption, keyslots
from app.storage.probe import SQLITE_MAGIC

pytestmark = pytest.mark.skipif(not cipher.available(), reason="sqlcipher3 not installed")


@pytest.fixture(autouse=True)
def _forget_keys(sqlite_only):
    keyslots.forget_all()
    yield
    keyslots.forget_all()


@pytest.fixture
def plain(tmp_path):
    path = tmp_path / "旧.db"
    Database(path).close()
    return path


def _leftovers(path):
    """Files beside ``path`` other than its own (empty) WAL and shared-memory files."""
    own = {path.name + "-shm"} | ({path.name + "-wal"} if not path.with_name(
        path.name + "-wal").exists() or not path.with_name(path.name + "-wal").stat().st_size
        else set())
    return sorted(p.name for p in path.parent.iterdir() if p.name != path.name
                  and p.name not in own)


def test_every_step_is_reported_in_order_and_the_last_is_the_rename(plain):
    seen = []
    done = encryption.convert(plain, progress=lambda *a: seen.append(a))
    steps = [s for s, _t, _x in seen]
    assert steps == sorted(steps) and steps[0] == 1 and steps[-1] == encryption.STEPS
    assert set(steps) == set(range(1, encryption.STEPS + 1))
    assert {t for _s, t, _x in seen} == {encryption.STEPS}
    assert seen[-1][2] == encryption.FINAL_STEP_TEXT and "不能取消" in seen[-1][2]
    # Table by table while checking (the tables of a migrated database).
    assert any("第 1/" in x for s, _t, x in seen if s == 5)
    assert plain.read_bytes()[:16] != SQLITE_MAGIC and done.plain_copy.exists()


@pytest.mark.parametrize("at", range(1, encryption.STEPS))
def test_cancelling_before_the_rename_leaves_the_file_as_it_was(plain, at):
    before = plain.read_bytes()
    seen = []

    def progress(step, _total, _text):
        seen.append(step)

    # cancelled() turns true once step ``at`` has been reported: the next question stops it.
    with pytest.raises(encryption.ConversionCancelled, match="已取消"):
        encryption.convert(plain, progress=progress, cancelled=lambda: at in seen)
    assert encryption.STEPS not in seen
    assert plain.read_bytes() == before  # still the plain file, byte for byte
    assert _leftovers(plain) == []  # no plain copy, no half-made encrypted file, no slots
    assert not keyslots.exists(plain)


def test_a_cancel_during_the_rename_is_too_late(plain):
    seen = []
    done = encryption.convert(plain, progress=lambda s, _t, _x: seen.append(s),
                              cancelled=lambda: encryption.STEPS in seen)
    assert seen[-1] == encryption.STEPS
    assert cipher.is_encrypted(plain)
    encryption.unlock_with_recovery(plain, done.recovery_code)


def test_a_database_converts_through_it_with_progress(plain):
    db = Database(plain)
    seen = []
    done = db.encrypt_in_place("admin", "x", progress=lambda *a: seen.append(a))
    assert db.encrypted and seen[-1][0] == encryption.STEPS and done.recovery_code
    db.close()
