"""Every figure of the six areas, in the order of the source report, with the sentences of the
brief that state them.  Each area's figures are declared in its own module (``party``,
``autonomy``, … as in ``app/registry``); this module only collects them."""

from __future__ import annotations

from dataclasses import replace

from ..registry.base import AREA_LABELS
from . import autonomy, cadre, law, party, service, virtue
from .model import Figure

#: The six work areas, keyed as the registers' areas.
AREA_MODULES = (("party", party), ("autonomy", autonomy), ("law", law), ("virtue", virtue),
                ("service", service), ("cadre", cadre))
AREAS: tuple[str, ...] = tuple(a for a, _ in AREA_MODULES)

#: Figures by area, each knowing its area.
BY_AREA: dict[str, tuple[Figure, ...]] = {
    area: tuple(replace(f, area=area) for f in module.FIGURES) for area, module in AREA_MODULES}
FIGURES: tuple[Figure, ...] = tuple(f for figs in BY_AREA.values() for f in figs)
BY_KEY: dict[str, Figure] = {f.key: f for f in FIGURES}
#: Sentences of the brief per area: each a tuple of figure keys whose phrases it joins.
SENTENCES: dict[str, tuple[tuple[str, ...], ...]] = {
    area: module.SENTENCES for area, module in AREA_MODULES}


def area_label(area: str) -> str:
    return AREA_LABELS[area]


def get(key: str) -> Figure:
    try:
        return BY_KEY[key]
    except KeyError:
        raise KeyError(f"没有名为 {key!r} 的统计指标") from None


def _check() -> None:
    if len(BY_KEY) != len(FIGURES):
        seen: set[str] = set()
        dup = [f.key for f in FIGURES if f.key in seen or seen.add(f.key)]
        raise ValueError(f"figure keys declared twice: {dup}")
    for f in FIGURES:
        for other in (f.ratio[:2] if f.ratio else ()) + ((f.drill_to,) if f.drill_to else ()):
            if other not in BY_KEY:
                raise ValueError(f"figure {f.key} refers to unknown figure {other}")
    for area, sentences in SENTENCES.items():
        for sentence in sentences:
            for key in sentence:
                if key not in BY_KEY:
                    raise ValueError(f"{area}: sentence names unknown figure {key}")


_check()
