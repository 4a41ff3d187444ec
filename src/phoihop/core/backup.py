"""Back up and restore everything an installation holds: the database, the media files and
the audit checkpoint, with a manifest of SHA-256 hashes signed with the audit key.

A backup is a directory:
  database.sqlite3 | database.pgdump   the database (SQLite online backup API, or pg_dump -Fc)
  media.tar                            MEDIA_ROOT (attachments, imports, reports)
  audit-checkpoint.json                the signed head of the audit chain at backup time
  manifest.json                        hashes and sizes of the above, HMAC-signed

A restore checks the manifest (signature and every hash) before it touches anything, puts
the database, media and checkpoint back, then verifies the audit chain against the restored
checkpoint; it reports success only if all of that holds.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

from phoihop.core import audit

MANIFEST = "manifest.json"
MEDIA = "media.tar"
CHECKPOINT = "audit-checkpoint.json"
FORMAT = 1


class BackupError(Exception):
    """A backup or a restore that cannot be completed; the message is for the operator."""


@dataclass(frozen=True)
class RestoreReport:
    events: int
    files: list[str]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _sign(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hmac.new(audit.audit_key(), text.encode(), hashlib.sha256).hexdigest()


def _pg_env() -> tuple[list[str], dict[str, str]]:
    db = connection.settings_dict
    args = ["-h", str(db.get("HOST") or "127.0.0.1"), "-p", str(db.get("PORT") or 5432)]
    args += ["-U", str(db.get("USER") or "postgres")]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    return args, env


def _backup_database(target: Path) -> str:
    if connection.vendor == "sqlite":
        path = target / "database.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(path)
        try:
            connection.connection.backup(destination)  # online: writers may go on meanwhile
        finally:
            destination.close()
        return path.name
    if connection.vendor == "postgresql":
        path = target / "database.pgdump"
        args, env = _pg_env()
        name = str(connection.settings_dict["NAME"])
        result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            ["pg_dump", "-Fc", *args, "-f", str(path), name],  # noqa: S607
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_dump thất bại: {result.stderr.strip()}")
        return path.name
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu {connection.vendor}.")


def backup(path: Path) -> dict[str, Any]:
    """Write a backup into the new (or empty) directory `path`; returns the manifest."""
    if path.exists() and any(path.iterdir()):
        raise BackupError(f"Thư mục {path} đã có dữ liệu; hãy chọn thư mục mới.")
    path.mkdir(parents=True, exist_ok=True)
    database = _backup_database(path)
    media_root = Path(settings.MEDIA_ROOT)
    with tarfile.open(path / MEDIA, "w") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    point = audit.write_checkpoint(path / CHECKPOINT)
    if point is None:
        (path / CHECKPOINT).write_text("{}")
    files = {name: _sha256(path / name) for name in (database, MEDIA, CHECKPOINT)}
    payload = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "files": files,
        "audit": {k: point[k] for k in ("id", "hash", "count")} if point else None,
    }
    manifest = {**payload, "signature": _sign(payload)}
    (path / MANIFEST).write_text(json.dumps(manifest, indent=1))
    return manifest


def check_manifest(path: Path) -> dict[str, Any]:
    """The manifest, after its signature and every file's hash were checked."""
    try:
        manifest: dict[str, Any] = json.loads((path / MANIFEST).read_text())
        signature = str(manifest.pop("signature"))
    except (OSError, ValueError, KeyError) as error:
        raise BackupError(f"Không đọc được {path / MANIFEST}.") from error
    if not hmac.compare_digest(signature, _sign(manifest)):
        raise BackupError("Chữ ký của bản kê không khớp (khóa kiểm toán khác, hoặc bản kê bị sửa).")
    if manifest.get("database") != connection.vendor:
        raise BackupError(
            f"Bản sao lưu là của {manifest.get('database')}, máy này dùng {connection.vendor}."
        )
    for name, expected in manifest["files"].items():
        file = path / name
        if not file.exists():
            raise BackupError(f"Thiếu tệp {name} trong bản sao lưu.")
        if _sha256(file) != expected:
            raise BackupError(f"Tệp {name} không khớp mã băm trong bản kê (bị hỏng hoặc bị sửa).")
    return manifest


def _restore_database(path: Path, manifest: dict[str, Any]) -> None:
    if connection.vendor == "sqlite":
        source = sqlite3.connect(path / "database.sqlite3")
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
        return
    args, env = _pg_env()
    name = str(connection.settings_dict["NAME"])
    connection.close()
    result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
        [  # noqa: S607
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            *args,
            "-d",
            name,
            str(path / "database.pgdump"),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore thất bại: {result.stderr.strip()}")


def _restore_media(path: Path) -> list[str]:
    media_root = Path(settings.MEDIA_ROOT)
    staging = Path(tempfile.mkdtemp(prefix="phoihop-restore-", dir=media_root.parent))
    try:
        with tarfile.open(path / MEDIA) as archive:
            archive.extractall(staging, filter="data")  # no absolute paths, links or ..
        restored = staging / "media"
        if media_root.exists():
            shutil.rmtree(media_root)
        if restored.exists():
            restored.rename(media_root)
        else:
            media_root.mkdir(parents=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


def restore(path: Path) -> RestoreReport:
    """Put a backup back; raises BackupError unless the manifest and the audit chain hold."""
    manifest = check_manifest(path)
    _restore_database(path, manifest)
    files = _restore_media(path)
    checkpoint = audit.checkpoint_file()
    checkpoint.parent.mkdir(parents=True, exist_ok=True)
    if manifest.get("audit"):
        shutil.copyfile(path / CHECKPOINT, checkpoint)
    elif checkpoint.exists():
        checkpoint.unlink()
    report = audit.verify_chain()
    if not report.ok:
        raise BackupError(
            f"Đã khôi phục nhưng nhật ký kiểm toán không toàn vẹn: sự kiện #{report.broken_at} "
            f"({report.reason})."
        )
    expected = manifest.get("audit") or {"count": 0}
    if report.checked != expected["count"]:
        raise BackupError(
            f"Nhật ký kiểm toán có {report.checked} sự kiện, bản kê ghi {expected['count']}."
        )
    return RestoreReport(events=report.checked, files=files)
