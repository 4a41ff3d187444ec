"""Read-aloud: Vietnamese text normalised for speech, synthesised by an offline engine
(espeak-ng's Vietnamese voice by default, or a configured better one), cached as WAV."""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from phoihop.triage.normalize import fold

# --- numbers ------------------------------------------------------------------------------

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", "nghìn", "triệu", "tỷ"]


def _read_hundreds(n: int, *, full: bool) -> str:
    """0..999; `full` when a higher group precedes it (so 5 reads «không trăm linh năm»)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def number_words(n: int) -> str:
    """Vietnamese reading of a whole number: 2025 → «hai nghìn không trăm hai mươi lăm»."""
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_words(-n)
    if n >= 10**12:
        return " ".join(_DIGITS[int(d)] for d in str(n))
    groups: list[int] = []
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue
        full = index < len(groups) - 1
        words.append(_read_hundreds(group, full=full))
        if _SCALES[index]:
            words.append(_SCALES[index])
    return " ".join(words)


# --- abbreviations ------------------------------------------------------------------------

# Keyed by the folded form, so HĐND, HDND and hđnd are one entry.
ABBREVIATIONS: dict[str, str] = {
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "tand": "Tòa án nhân dân",
    "vksnd": "Viện kiểm sát nhân dân",
    "vks": "Viện kiểm sát",
    "mttq": "Mặt trận Tổ quốc",
    "ubmttq": "Ủy ban Mặt trận Tổ quốc",
    "dbqh": "đại biểu Quốc hội",
    "qh": "Quốc hội",
    "nq": "nghị quyết",
    "qd": "quyết định",
    "nd": "nghị định",
    "tt": "thông tư",
    "cp": "Chính phủ",
    "ttg": "Thủ tướng",
    "btg": "Ban Tuyên giáo",
    "tg&dv": "Tuyên giáo và Dân vận",
    "gpmb": "giải phóng mặt bằng",
    "qsdd": "quyền sử dụng đất",
    "bhyt": "bảo hiểm y tế",
    "bhxh": "bảo hiểm xã hội",
    "thpt": "trung học phổ thông",
    "thcs": "trung học cơ sở",
    "atgt": "an toàn giao thông",
    "csgt": "cảnh sát giao thông",
    "pccc": "phòng cháy chữa cháy",
    "tthc": "thủ tục hành chính",
    "cccd": "căn cước công dân",
    "nn&mt": "Nông nghiệp và Môi trường",
    "gd&dt": "Giáo dục và Đào tạo",
    "kh&cn": "Khoa học và Công nghệ",
    "tp": "thành phố",
    "tw": "Trung ương",
    "vnd": "đồng",
    "đ": "đồng",
}

_ABBR = re.compile(r"(?<![\w&])([A-ZĐ][A-ZĐa-z]*(?:&[A-ZĐ]+)?)(?![\w&])")
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{4}))?\b")
_MONTH_YEAR = re.compile(r"\btháng (\d{1,2})/(\d{4})\b", re.IGNORECASE)
_DECIMAL = re.compile(r"\b(\d+),(\d+)\b")
_GROUPED = re.compile(r"\b\d{1,3}(?:\.\d{3})+\b")
_NUMBER = re.compile(r"\d+")


def _expand_abbreviation(match: re.Match[str]) -> str:
    word = match.group(1)
    if not (word.isupper() and len(word) >= 2) and "&" not in word:
        return word
    return ABBREVIATIONS.get(fold(word), word)


def _date(match: re.Match[str]) -> str:
    day, month, year = int(match.group(1)), int(match.group(2)), match.group(3)
    if not (1 <= day <= 31 and 1 <= month <= 12):
        # Not a date (e.g. «số 12/2024»): read the parts with «trên» as in documents.
        return match.group(0).replace("/", " trên ")
    words = f"{number_words(day)} tháng {number_words(month)}"
    if year:
        words += f" năm {number_words(int(year))}"
    return words


def speech_text(text: str) -> str:
    """Text ready for a Vietnamese voice: abbreviations, dates and numbers read in full."""
    text = _ABBR.sub(_expand_abbreviation, text)
    text = re.sub(r"\bngày\s+ngày\b", "ngày", text)
    text = _MONTH_YEAR.sub(
        lambda m: (
            f"{m.group(0)[:5]} {number_words(int(m.group(1)))} năm {number_words(int(m.group(2)))}"
        ),
        text,
    )
    text = _DATE.sub(_date, text)
    text = _GROUPED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _DECIMAL.sub(
        lambda m: f"{number_words(int(m.group(1)))} phẩy {number_words(int(m.group(2)))}", text
    )
    text = text.replace("%", " phần trăm")
    text = _NUMBER.sub(lambda m: number_words(int(m.group(0))), text)
    text = text.replace("/", " trên ").replace("&", " và ")
    return re.sub(r"[ \t]+", " ", text).strip()


# --- engines --------------------------------------------------------------------------------

DEFAULT_COMMAND = "espeak-ng -v vi -s 150 -w {output} -f {input}"


def engine_command() -> str | None:
    """The configured command template ({input}: a UTF-8 text file, {output}: the WAV to
    write), or espeak-ng's Vietnamese voice when it is installed, or None."""
    configured = str(settings.PORTAL_TTS_COMMAND or "")
    if configured.strip().lower() in ("off", "none", "browser"):
        return None
    command = configured.strip() or DEFAULT_COMMAND
    program = shlex.split(command)[0]
    return command if shutil.which(program) else None


def audio_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "portal" / "audio"


def synthesize(*, text: str, timeout: float = 120) -> Path | None:
    """The cached WAV of `text` (keyed by the engine and the spoken text), made if missing.
    None when no engine is available."""
    command = engine_command()
    if command is None:
        return None
    spoken = speech_text(text)
    key = hashlib.sha256(f"{command}\n{spoken}".encode()).hexdigest()
    target = audio_dir() / f"{key}.wav"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        source = Path(tmp) / "input.txt"
        source.write_text(spoken, encoding="utf-8")
        output = Path(tmp) / "output.wav"
        args = [part.format(input=str(source), output=str(output)) for part in shlex.split(command)]
        subprocess.run(args, check=True, timeout=timeout, capture_output=True)  # noqa: S603
        # Rename into place so a concurrent reader never sees half a file.
        os.replace(output, target)
    return target
