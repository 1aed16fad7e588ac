from __future__ import annotations

import io

import segno


def qr_svg(data: str) -> str:
    """An inline SVG QR code (no external image, no inline style: fits the CSP)."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=5, xmldecl=False, svgns=True, title="QR code", nl=False
    )
    return buffer.getvalue().decode()
