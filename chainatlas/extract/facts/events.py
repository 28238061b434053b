"""Shared helpers for the event-like families (milestones, launches)."""

from __future__ import annotations

import re

PLANNED = re.compile(r"预计|计划|将于|将在|将|力争|争取|有望|拟|目标")
FIRST_CLAIM = re.compile(
    r"(?:国内|全国|国际|全球|世界|业内|行业|我国|中国)(?:首台|首款|首个|首套|首颗|第一台|第一款)"
)
QUOTED = re.compile(r"“([^“”]{2,30})”")
