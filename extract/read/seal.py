"""Red seals (公章) stamped over text, taken out of a page image before OCR.

A seal is found as a red shape whose outline is an ellipse (round or oval) and whose rim is red nearly
all the way round; a red masthead's characters or a red rule have corners and no ring, and are left
alone. Inside a seal each pixel is replaced by its red
channel, stretched so that the stamp's ink is white: red ink is bright there and vanishes into the
paper, while black text stays dark, including text the stamp's ink was laid over.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

RING_SAMPLES = 72
MIN_RING_COVER = 0.75  # share of the rim that must be red
SIZE_RANGE = (0.05, 0.45)  # a seal's diameter, as a share of the page's shorter side
# a page with less red than this share of the smallest seal's square has no seal (a red title, a signature)
MIN_RED_SHARE = 0.02
ROUNDNESS = (0.55, 1.8)  # a seal's width over its height: round or oval, not a red rule or a red title line
ON_RING_SHARE = 0.9  # share of the outline's points near the ellipse (a character's outline has corners)
RING_BAND = (0.85, 1.12)  # how near: this far in or out, in radii
RIM_STEPS = (1.0, 0.97, 0.94, 0.91, 0.88)  # where red is looked for along each direction, in radii
COVER_MARGIN = 1.04  # the area cleaned reaches a little past the ring, where its ink bleeds


# red ink, in 8-bit channels: a strong red well above green and blue (a scan's noise and black text's
# colour fringes stay under these)
RED_MIN, RED_OVER_GREEN, RED_OVER_BLUE = 110, 45, 35


@dataclass(frozen=True)
class Seal:
    """A seal found on a page image: the centre and the two radii of its ellipse, in pixels."""

    cx: float
    cy: float
    rx: float
    ry: float


def red_ink(image):
    """A mask of red-ink pixels in a BGR image (strong red, weak green and blue; noise-tolerant)."""
    import numpy as np

    b, g, r = (image[:, :, k].astype(np.int16) for k in range(3))
    return (r > RED_MIN) & (r - g > RED_OVER_GREEN) & (r - b > RED_OVER_BLUE)


STEP = 4  # seals are found on every 4th pixel: a seal is hundreds of pixels wide at 300 dpi


def find_seals(image) -> list[Seal]:
    """The seals on a BGR page image, top to bottom, in its pixels (looked for on every STEP-th pixel)."""
    return [Seal(s.cx * STEP, s.cy * STEP, s.rx * STEP, s.ry * STEP) for s in _find(image[::STEP, ::STEP])]


def _find(image) -> list[Seal]:
    import cv2
    import numpy as np

    red = red_ink(image)
    short = min(image.shape[:2])
    if red.sum() < (short * SIZE_RANGE[0]) ** 2 * MIN_RED_SHARE:
        return []
    grow = max(3, short // 200)
    mask = cv2.dilate(red.astype(np.uint8) * 255, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (grow, grow)))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    seals = []
    for c in contours:
        x, y, w, h = cv2.boundingRect(c)
        sized = SIZE_RANGE[0] * short <= max(w, h) <= SIZE_RANGE[1] * short
        if not (sized and ROUNDNESS[0] <= w / h <= ROUNDNESS[1]):
            continue
        seal = Seal(x + w / 2, y + h / 2, w / 2, h / 2)
        if _on_ellipse(c, seal) >= ON_RING_SHARE and _ring_cover(mask, seal) >= MIN_RING_COVER:
            seals.append(seal)
    return sorted(seals, key=lambda s: (s.cy, s.cx))


def _on_ellipse(contour, seal: Seal) -> float:
    """The share of the outline's points that lie near the ellipse through the box's sides: a seal's
    outline is its ring, a character's has corners and notches."""
    import numpy as np

    pts = contour.reshape(-1, 2).astype(float)
    r = np.sqrt(((pts[:, 0] - seal.cx) / seal.rx) ** 2 + ((pts[:, 1] - seal.cy) / seal.ry) ** 2)
    return float(((r > RING_BAND[0]) & (r < RING_BAND[1])).mean())


def _ring_cover(mask, seal: Seal) -> float:
    """The share of directions from the centre in which the outer tenth of the shape holds red."""
    hits = 0
    for k in range(RING_SAMPLES):
        a = 2 * math.pi * k / RING_SAMPLES
        for f in RIM_STEPS:
            px = int(round(seal.cx + f * seal.rx * math.cos(a)))
            py = int(round(seal.cy + f * seal.ry * math.sin(a)))
            if 0 <= py < mask.shape[0] and 0 <= px < mask.shape[1] and mask[py, px]:
                hits += 1
                break
    return hits / RING_SAMPLES


def remove_seals(image):
    """(image with each seal's area replaced by its red channel, the seals found). The input is not
    changed; without seals it is returned as it is."""
    import numpy as np

    seals = find_seals(image)
    if not seals:
        return image, []
    out = image.copy()
    h, w = image.shape[:2]
    for s in seals:
        rx, ry = s.rx * COVER_MARGIN, s.ry * COVER_MARGIN
        x0, x1 = max(0, int(s.cx - rx)), min(w, int(s.cx + rx) + 1)
        y0, y1 = max(0, int(s.cy - ry)), min(h, int(s.cy + ry) + 1)
        yy, xx = np.ogrid[y0:y1, x0:x1]
        inside = ((xx - s.cx) / rx) ** 2 + ((yy - s.cy) / ry) ** 2 <= 1.0
        window = out[y0:y1, x0:x1]
        red = image[y0:y1, x0:x1, 2][inside].astype(np.float32)
        # the stamp's own ink sets the white point; the square keeps text under the stamp dark
        white = max(float(np.median(red[red_ink(image[y0:y1, x0:x1])[inside]])) - 15.0, 64.0)
        window[inside] = (255.0 * np.clip(red / white, 0.0, 1.0) ** 2).astype(np.uint8)[:, None]
    return out, seals
