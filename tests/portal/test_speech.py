"""Read-aloud: Vietnamese text normalised for speech and synthesised by espeak-ng."""

from __future__ import annotations

import wave
from typing import Any

import pytest

from phoihop.portal import speech


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (105, "một trăm linh năm"),
        (2025, "hai nghìn không trăm hai mươi lăm"),
        (1_250_000, "một triệu hai trăm năm mươi nghìn"),
    ],
)
def test_numbers_are_read_in_vietnamese(number: int, words: str) -> None:
    assert speech.number_words(number) == words


def test_dates_abbreviations_and_numbers_are_read_in_full() -> None:
    text = speech.speech_text(
        "Ngày 12/9/2025, UBND tỉnh, HĐND tỉnh, TAND và VKSND họp; 95,5% trong 1.250 hộ."
    )
    assert "mười hai tháng chín năm hai nghìn không trăm hai mươi lăm" in text
    assert "Ủy ban nhân dân tỉnh" in text and "Hội đồng nhân dân tỉnh" in text
    assert "Tòa án nhân dân" in text and "Viện kiểm sát nhân dân" in text
    assert "chín mươi lăm phẩy năm phần trăm" in text
    assert "một nghìn hai trăm năm mươi hộ" in text
    assert not any(ch.isdigit() for ch in text)


def test_espeak_ng_makes_a_cached_wav(settings: Any) -> None:
    path = speech.synthesize(text="Ủy ban nhân dân tỉnh trả lời kiến nghị của cử tri.")
    assert path is not None and path.parent == speech.audio_dir()
    with wave.open(str(path)) as wav:
        assert wav.getnframes() / wav.getframerate() > 1
    again = speech.synthesize(text="Ủy ban nhân dân tỉnh trả lời kiến nghị của cử tri.")
    assert again == path


def test_a_configured_engine_is_used_and_keyed_separately(settings: Any) -> None:
    default = speech.synthesize(text="Xin chào")
    settings.PORTAL_TTS_COMMAND = "espeak-ng -v vi -s 110 -w {output} -f {input}"
    slower = speech.synthesize(text="Xin chào")
    assert default is not None and slower is not None and slower != default


def test_no_engine_means_the_browser_reads(settings: Any) -> None:
    settings.PORTAL_TTS_COMMAND = "off"
    assert speech.engine_command() is None and speech.synthesize(text="Xin chào") is None
    settings.PORTAL_TTS_COMMAND = "khong-co-chuong-trinh-nay {input} {output}"
    assert speech.engine_command() is None
