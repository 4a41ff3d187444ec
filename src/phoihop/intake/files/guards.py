"""The checks made before any parser sees the bytes: empty or oversized files, zip bombs
(total size, member count, compression ratio) and XML that declares a DTD or entities."""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from phoihop.intake.files.common import CHUNK, FileRejected, MiB, max_file_bytes, max_unzipped_bytes

# Real spreadsheets compress 5-20 times; a bomb compresses hundreds or thousands of times.
MAX_COMPRESSION_RATIO = 100
# Ratios of tiny members mean nothing (a 2 KiB style sheet of spaces); only big ones count.
RATIO_CHECK_FROM = 1 * MiB


def check_size(data: bytes) -> None:
    if not data or not data.strip():
        raise FileRejected(_("Tệp rỗng, không có dữ liệu để nhập."))
    limit = max_file_bytes()
    if len(data) > limit:
        raise FileRejected(
            _("Tệp quá lớn (%(size)s MB); giới hạn là %(limit)s MB.")
            % {"size": round(len(data) / MiB, 1), "limit": round(limit / MiB, 1)}
        )


_DTD_MARKERS = ("<!doctype", "<!entity")


def _has_dtd(head: bytes) -> bool:
    """Whether the start of an XML document declares a DTD or entities (in any UTF form)."""
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        text = head.decode(encoding, errors="ignore").lower()
        if any(marker in text for marker in _DTD_MARKERS):
            return True
    return False


def check_xml(data: bytes) -> None:
    """Refuse XML that declares entities (billion laughs, external entities)."""
    head = data[: 1 * MiB]
    for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
        if "<!entity" in head.decode(encoding, errors="ignore").lower():
            raise FileRejected(
                _("Tệp XML có khai báo thực thể (DTD/ENTITY), không được chấp nhận.")
            )


def check_zip(data: bytes) -> None:
    """Refuse archives whose members would unpack to too much, or compress suspiciously well."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRejected(_("Tệp nén bị hỏng, không đọc được.")) from error
    with archive:
        infos = archive.infolist()
        if len(infos) > 10_000:
            raise FileRejected(_("Tệp chứa quá nhiều thành phần, nghi là tệp độc hại."))
        total = sum(info.file_size for info in infos)
        if total > max_unzipped_bytes():
            raise FileRejected(
                _("Tệp giải nén ra quá lớn (%(size)s MB), nghi là «bom nén»; không nhập.")
                % {"size": total // MiB}
            )
        for info in infos:
            if info.file_size >= RATIO_CHECK_FROM and (
                info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
            ):
                raise FileRejected(
                    _("Tệp có tỷ lệ nén bất thường (%(ratio)s lần), nghi là «bom nén»; không nhập.")
                    % {"ratio": info.file_size // max(info.compress_size, 1)}
                )
        for info in infos:
            if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            try:
                dtd = _member_has_dtd(archive, info)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError) as error:
                raise FileRejected(_("Tệp nén bị hỏng, không đọc được.")) from error
            if dtd:
                raise FileRejected(
                    _("Tệp có khai báo DTD/thực thể XML (có thể là tấn công XML); không nhập.")
                )


# Long enough to hold "<!doctype" or "<!entity" in UTF-16 across a chunk boundary.
_OVERLAP = 32


def _member_has_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """Whether an XML part declares a DTD anywhere, not only in its first bytes.

    The whole part is scanned in chunks that overlap, so a declaration cannot hide past the
    first chunk or across a boundary; the sizes were bounded by the checks above."""
    tail = b""
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            if _has_dtd(tail + chunk):
                return True
            tail = chunk[-_OVERLAP:]
    return False
