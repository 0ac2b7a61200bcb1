"""Signing key files: RSA-SHA1-1024 checked by the openssl command line, modes, rotation."""

from __future__ import annotations

import base64
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from omnipos_tui.core.errors import SigningKeyError
from omnipos_tui.core.ledger.signature import HmacSigner, signature_message, verify_chain
from omnipos_tui.core.money import Money
from omnipos_tui.storage.signing_keys import KeyAlgorithm, KeyStore, RsaSigner, RsaVerifier

OPENSSL = shutil.which("openssl")
needs_openssl = pytest.mark.tool("openssl")

MESSAGE = signature_message(None, "2026-11-27", "14:30:00", 1, Money(29540), Money(23632))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _openssl_verifies(tmp_path: Path, pem: str, message: str, signature: str) -> bool:
    assert OPENSSL is not None
    (tmp_path / "pub.pem").write_text(pem, encoding="ascii")
    (tmp_path / "msg").write_bytes(message.encode("utf-8"))
    (tmp_path / "sig.bin").write_bytes(base64.b64decode(signature))
    run = subprocess.run(
        [OPENSSL, "dgst", "-sha1", "-verify", "pub.pem", "-signature", "sig.bin", "msg"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    return run.returncode == 0 and "Verified OK" in run.stdout


@needs_openssl
def test_an_rsa_signature_verifies_with_the_openssl_command_line(tmp_path: Path) -> None:
    store = KeyStore(tmp_path / "data", "1")
    signer = store.create()
    signature = signer.sign(MESSAGE)
    assert len(signature) == 172 and "\n" not in signature
    assert _openssl_verifies(tmp_path, store.public_pem(), MESSAGE, signature)
    other = MESSAGE.replace("295.40", "295.41")
    assert not _openssl_verifies(tmp_path, store.public_pem(), other, signature)


@needs_openssl
def test_openssl_signing_with_the_stored_private_key_gives_the_same_signature(
    tmp_path: Path,
) -> None:
    # PKCS#1 v1.5 is deterministic: the key file and our signer must agree byte for byte.
    assert OPENSSL is not None
    store = KeyStore(tmp_path / "data", "1")
    signer = store.create()
    (tmp_path / "msg").write_bytes(MESSAGE.encode("utf-8"))
    run = subprocess.run(
        [OPENSSL, "dgst", "-sha1", "-sign", str(store.keys_dir / "rsa-1-v1.pem"), "msg"],
        cwd=tmp_path,
        capture_output=True,
        check=True,
    )
    assert base64.b64encode(run.stdout).decode("ascii") == signer.sign(MESSAGE)


def test_the_key_is_a_1024_bit_pkcs1_pem_with_exponent_65537(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    store.create()
    text = (store.keys_dir / "rsa-1-v1.pem").read_text(encoding="ascii")
    assert text.startswith("-----BEGIN RSA PRIVATE KEY-----")
    pem = store.public_pem()
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert RsaVerifier.from_pem(pem, "1").algorithm == "RSA-SHA1-1024"
    public = serialization.load_pem_public_key(pem.encode("ascii"))
    assert isinstance(public, rsa.RSAPublicKey)
    assert (public.key_size, public.public_numbers().e) == (1024, 65537)


def test_key_directory_is_0700_and_key_files_are_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = KeyStore(tmp_path, "1")
        store.create()
        store.rotate(KeyAlgorithm.HMAC)
    finally:
        os.umask(old)
    assert _mode(store.keys_dir) == 0o700
    assert [(_mode(i.path), i.path.name) for i in store.versions()] == [
        (0o600, "rsa-1-v1.pem"),
        (0o600, "hmac-1-v2.key"),
    ]
    assert sorted(p.name for p in store.keys_dir.iterdir()) == ["hmac-1-v2.key", "rsa-1-v1.pem"]


def test_a_key_file_others_can_read_is_refused_with_the_fix_named(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    store.create()
    key = store.keys_dir / "rsa-1-v1.pem"
    key.chmod(0o644)
    with pytest.raises(SigningKeyError, match=r"mode 0644: other users may read it.*chmod 600"):
        KeyStore(tmp_path, "1").current()


def test_an_open_key_directory_is_refused(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    store.create()
    store.keys_dir.chmod(0o755)
    with pytest.raises(SigningKeyError, match=r"key directory .* mode 0755"):
        KeyStore(tmp_path, "1").current()


def test_a_missing_key_says_to_run_init(tmp_path: Path) -> None:
    with pytest.raises(SigningKeyError, match=r"no signing key .*run .omnipos init"):
        KeyStore(tmp_path, "1").current()
    with pytest.raises(SigningKeyError, match="to rotate"):
        KeyStore(tmp_path, "1").rotate()


def test_a_corrupt_rsa_key_file_is_refused(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    store.create()
    key = store.keys_dir / "rsa-1-v1.pem"
    data = key.read_bytes()
    key.write_bytes(data[:200] + b"garbage" + data[207:])
    with pytest.raises(SigningKeyError, match="not a readable unencrypted PEM private key"):
        KeyStore(tmp_path, "1").current()


def test_a_corrupt_hmac_key_file_is_refused(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    store.create(KeyAlgorithm.HMAC)
    (store.keys_dir / "hmac-1-v1.key").write_text(base64.b64encode(b"short").decode() + "\n")
    with pytest.raises(SigningKeyError, match="holds 5 bytes"):
        KeyStore(tmp_path, "1").current()
    (store.keys_dir / "hmac-1-v1.key").write_text("@@@ not base64\n")
    with pytest.raises(SigningKeyError, match="not one line of base64"):
        KeyStore(tmp_path, "1").current()


def test_a_key_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o700)
    big = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = keys / "rsa-v1.pem"
    path.write_bytes(
        big.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    path.chmod(0o600)
    with pytest.raises(SigningKeyError, match="2048-bit key; exactly 1024"):
        KeyStore(tmp_path, "1").current()


def test_init_twice_is_refused_and_keeps_the_first_key(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    first = store.create()
    with pytest.raises(SigningKeyError, match="already exist"):
        store.create()
    assert KeyStore(tmp_path, "1").public_pem() == store.public_pem()
    assert first.key_version == "1-1"


def test_rotation_gives_a_new_current_version_and_old_signatures_still_verify(
    tmp_path: Path,
) -> None:
    store = KeyStore(tmp_path, "1")
    v1 = store.create()
    old_signature = v1.sign(MESSAGE)
    v2 = store.rotate()
    assert v2.key_version == "1-2"
    reopened = KeyStore(tmp_path, "1")
    assert reopened.current().key_version == "1-2"
    assert reopened.public_pem("1-1") != reopened.public_pem()
    old = reopened.verifier("1-1")
    assert old is not None and old.verify(MESSAGE, old_signature)
    new = reopened.verifier("1-2")
    assert new is not None and not new.verify(MESSAGE, old_signature)
    assert reopened.verifier("1-3") is None and reopened.verifier("1") is None


def test_a_chain_signed_across_rsa_and_hmac_rotations_verifies_with_the_stored_keys(
    tmp_path: Path,
) -> None:
    from dataclasses import dataclass

    @dataclass(frozen=True)
    class Row:
        register_id: str
        nr: int
        trans_id: str
        trans_date: str
        trans_time: str
        total: Money
        total_ex_vat: Money
        signature: str
        key_version: str
        previous_signature: str

    store = KeyStore(tmp_path, "1")
    store.create()
    rows: list[Row] = []
    previous = "0"
    for nr in range(1, 7):
        if nr == 3:
            store.rotate(KeyAlgorithm.HMAC)
        if nr == 5:
            store.rotate(KeyAlgorithm.RSA)
        signer = store.current()
        amount = Money(nr * 1250)
        message = signature_message(previous, "2026-11-27", f"10:0{nr}:00", nr, amount, amount)
        signature = signer.sign(message)
        rows.append(
            Row("1", nr, f"1-{nr}", "2026-11-27", f"10:0{nr}:00", amount, amount, signature,
                signer.key_version, previous)
        )  # fmt: skip
        previous = signature
    assert [r.key_version for r in rows] == ["1-1", "1-1", "1-2", "1-2", "1-3", "1-3"]
    assert [len(r.signature) for r in rows] == [172, 172, 28, 28, 172, 172]
    assert verify_chain("1", rows, KeyStore(tmp_path, "1").verifier).ok


def test_the_hmac_secret_is_shown_in_base64_for_rf_1348(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    signer = store.create(KeyAlgorithm.HMAC)
    secret = base64.b64decode(store.hmac_secret_base64())
    assert len(secret) == 16
    assert HmacSigner(secret, "1").sign(MESSAGE) == signer.sign(MESSAGE)
    with pytest.raises(SigningKeyError, match="HMAC key and has no public key"):
        store.public_pem()


def test_an_rsa_key_has_no_hmac_secret(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    store.create()
    with pytest.raises(SigningKeyError, match="is an RSA key"):
        store.hmac_secret_base64()
    with pytest.raises(SigningKeyError, match="no key version '7'"):
        store.public_pem("7")


def test_two_files_claiming_one_version_are_refused(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    store.create()
    twin = store.keys_dir / "hmac-v1.key"  # an older OmniPOS's file: also number 1
    twin.write_text(base64.b64encode(b"k" * 16).decode() + "\n")
    twin.chmod(0o600)
    with pytest.raises(SigningKeyError, match="two key files claim number 1"):
        store.versions()


def test_leftover_temporary_files_are_ignored(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    store.create()
    (store.keys_dir / ".new-key-abc").write_bytes(b"half")
    assert [i.version for i in KeyStore(tmp_path, "1").versions()] == ["1-1"]


def test_a_verifier_rejects_malformed_signatures_instead_of_raising(tmp_path: Path) -> None:
    signer = RsaSigner.generate("1")
    assert not signer.verify(MESSAGE, "####")
    assert not signer.verify(MESSAGE, base64.b64encode(b"x" * 128).decode())
    assert "PRIVATE" not in repr(signer)


def test_a_public_pem_that_is_not_a_key_is_refused() -> None:
    with pytest.raises(SigningKeyError, match="not a PEM public key"):
        RsaVerifier.from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "1")


def _legacy_key_file(data_dir: Path) -> RsaSigner:
    """Key version 1 as an OmniPOS from before per-register versions wrote it."""
    signer = RsaSigner.generate("1")
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700)
    (keys / "rsa-v1.pem").write_bytes(signer.private_pem())
    (keys / "rsa-v1.pem").chmod(0o600)
    return signer


def test_a_key_file_from_before_per_register_versions_keeps_its_version_and_rotation_goes_on(
    tmp_path: Path,
) -> None:
    legacy = _legacy_key_file(tmp_path)
    store = KeyStore(tmp_path, "1")
    assert store.current().key_version == "1"
    assert store.public_pem("1") == legacy.public_pem()
    with pytest.raises(SigningKeyError, match="already exist"):
        store.create()
    assert store.rotate().key_version == "1-2"
    assert [i.version for i in KeyStore(tmp_path, "1").versions()] == ["1", "1-2"]
    old = KeyStore(tmp_path, "1").verifier("1")
    assert old is not None and old.verify(MESSAGE, legacy.sign(MESSAGE))


def test_registers_sharing_a_data_directory_each_get_their_own_versions(
    tmp_path: Path,
) -> None:
    one = KeyStore(tmp_path, "1").create()
    odd = KeyStore(tmp_path, "kasse 2/a").create(KeyAlgorithm.HMAC)
    assert (one.key_version, odd.key_version) == ("1-1", "kasse 2/a-1")
    assert sorted(p.name for p in (tmp_path / "keys").iterdir()) == [
        "hmac-kasse%202%2Fa-v1.key",
        "rsa-1-v1.pem",
    ]
    assert [i.version for i in KeyStore(tmp_path, "1").versions()] == ["1-1"]
    assert KeyStore(tmp_path, "kasse 2/a").current().key_version == "kasse 2/a-1"
    assert KeyStore(tmp_path, "3").versions() == []
    # Any register's file answers for its own version, whichever store is asked.
    assert KeyStore(tmp_path, "3").verifier("kasse 2/a-1") is not None


def test_a_key_fingerprint_identifies_the_key_without_showing_a_secret(tmp_path: Path) -> None:
    store = KeyStore(tmp_path, "1")
    hmac_key = store.create(KeyAlgorithm.HMAC)
    pem, fingerprint = store.identity(hmac_key)
    secret = store.hmac_secret_base64()
    assert pem == "" and len(fingerprint) == 64 and secret not in fingerprint
    assert store.identity(HmacSigner(b"k" * 16, "1-1"))[1] != fingerprint
    rsa_key = store.rotate(KeyAlgorithm.RSA)
    assert store.identity(rsa_key) == (store.public_pem(), store.identity(rsa_key)[1])
    public_only = RsaVerifier.from_pem(store.public_pem(), "1-2")
    assert store.identity(public_only) == store.identity(rsa_key)
