"""Where injury marks are drawn on the body outline (front and back).

Positions are percentages of the outline's width and height. A mark added through the
keyboard list has no click position; it is drawn at the centre of its body region.
The outline is drawn facing the viewer on the front, so the child's right side is on the
left of the picture; on the back view it is on the right.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.models import InjuryMark

# Centres on the FRONT view; lateral regions are mirrored for the back view.
_FRONT_CENTRES = {
    "hoofd": (50, 10), "hals": (50, 19.5), "borst": (50, 29), "bovenrug": (50, 30),
    "buik": (50, 42.5), "onderrug": (50, 44), "bekken": (50, 51.5), "billen": (50, 53),
    "rechterarm": (23, 37.5), "rechterhand": (16, 59), "rechterbeen": (40, 75),
    "rechtervoet": (38, 95),
}
for _name in ("arm", "hand", "been", "voet"):
    _x, _y = _FRONT_CENTRES[f"rechter{_name}"]
    _FRONT_CENTRES[f"linker{_name}"] = (100 - _x, _y)
_LATERAL = {r for r in _FRONT_CENTRES if r.startswith(("rechter", "linker"))}
# Outline size in SVG user units (see templates/cases/observations/includes/bodymap_svg.html).
VIEW_WIDTH, VIEW_HEIGHT = 200, 400


def centre(side: str, region: str) -> tuple[float, float]:
    x, y = _FRONT_CENTRES.get(region, (50, 45))
    if side == InjuryMark.Side.BACK and region in _LATERAL:
        x = 100 - x
    return x, y


def centres() -> dict:
    """All centres per side, for the script that draws marks added through the list."""
    return {side: {region: centre(side, region) for region in _FRONT_CENTRES}
            for side in InjuryMark.Side.values}


@dataclass(frozen=True)
class PlacedMark:
    number: int
    mark: InjuryMark
    cx: float
    cy: float


def placed_marks(injuries) -> dict[str, list[PlacedMark]]:
    """Marks per side with their number (as in the table) and SVG coordinates."""
    result: dict[str, list[PlacedMark]] = {side: [] for side in InjuryMark.Side.values}
    for number, mark in enumerate(injuries, start=1):
        if mark.x is not None and mark.y is not None:
            x, y = float(mark.x), float(mark.y)
        else:
            x, y = centre(mark.side, mark.region)
        result.setdefault(mark.side, []).append(
            PlacedMark(number=number, mark=mark, cx=round(x * VIEW_WIDTH / 100, 1),
                       cy=round(y * VIEW_HEIGHT / 100, 1))
        )
    return result
