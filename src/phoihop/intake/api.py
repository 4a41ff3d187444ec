"""API endpoints of intake (mounted under /api/signals)."""

from ninja import Router

router = Router(tags=["Tín hiệu"])
