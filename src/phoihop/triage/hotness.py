"""Hotness of an issue: arrivals in the current window against its own baseline."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

CHANNELS = ("petition", "feedback", "news", "social", "collaborator")


@dataclass(frozen=True)
class HotnessConfig:
    window: timedelta = timedelta(days=1)
    baseline_windows: int = 14
    prior_rate: float = 0.5  # pseudo-arrivals per window (keeps new issues from exploding)
    prior_windows: float = 2.0
    channel_boost: float = 0.25  # per extra distinct channel in the current window
    alert_level: float = 3.0
    min_count: int = 3


@dataclass(frozen=True)
class Hotness:
    score: float
    alert: bool
    count: int  # arrivals in the current window
    baseline: float  # expected arrivals per window (smoothed mean of past windows)
    ratio: float  # (count + 1) / (baseline + 1)
    channels: dict[str, int]  # arrivals per channel in the current window
    boost: float
    z: float  # Poisson z-score of the current count against the baseline
    reason: str


def hotness(
    events: Sequence[tuple[datetime, str]],
    now: datetime,
    config: HotnessConfig | None = None,
) -> Hotness:
    """Score arrivals of one issue: [(timestamp, channel)], evaluated at ``now``."""
    cfg = config or HotnessConfig()
    start = now - cfg.window
    base_start = start - cfg.window * cfg.baseline_windows
    current = [ch for at, ch in events if start < at <= now]
    past = sum(1 for at, _ in events if base_start < at <= start)
    first = min((at for at, _ in events), default=now)
    # only windows the issue existed in count towards its baseline
    seen = max(0.0, (start - max(first, base_start)).total_seconds() / cfg.window.total_seconds())
    windows = min(float(cfg.baseline_windows), math.ceil(seen)) if seen > 0 else 0.0
    baseline = (past + cfg.prior_rate * cfg.prior_windows) / (windows + cfg.prior_windows)
    count = len(current)
    channels = dict(Counter(current))
    boost = 1.0 + cfg.channel_boost * max(0, len(channels) - 1)
    ratio = (count + 1.0) / (baseline + 1.0)
    score = ratio * boost
    z = (count - baseline) / math.sqrt(max(baseline, 1e-9) + 1.0)
    alert = score >= cfg.alert_level and count >= cfg.min_count
    if alert:
        reason = (
            f"Cảnh báo: {count} phản ánh trong cửa sổ hiện tại, gấp {ratio:.1f} lần mức nền "
            f"{baseline:.1f}, qua {len(channels)} kênh (hệ số {boost:.2f}); điểm {score:.1f} ≥ "
            f"{cfg.alert_level:.1f}."
        )
    else:
        reason = (
            f"{count} phản ánh trong cửa sổ hiện tại, mức nền {baseline:.1f}, {len(channels)} "
            f"kênh; điểm {score:.1f} (ngưỡng cảnh báo {cfg.alert_level:.1f}, tối thiểu "
            f"{cfg.min_count} phản ánh)."
        )
    return Hotness(
        round(score, 3),
        alert,
        count,
        round(baseline, 3),
        round(ratio, 3),
        channels,
        boost,
        round(z, 3),
        reason,
    )
