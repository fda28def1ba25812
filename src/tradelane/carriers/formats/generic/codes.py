"""The generic webhook names milestones directly, or a code in a shared code system.

`code_system` may be `upu` (UPU EMSEVT), `17track` or `trackingmore`; their tables are in
tracking/milestones.py (DOMAIN.md §5).
"""

from __future__ import annotations

from tradelane.tracking.milestones import CODE_SYSTEMS, CodeSystem

__all__ = ["CODE_SYSTEMS", "CodeSystem"]
