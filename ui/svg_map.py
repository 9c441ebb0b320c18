"""The map on screen: fiscallens.map_svg's markup in a small component that shows hover texts and sends a
click on a region back (its warehouse adcode), which narrows the filters like a click on any chart.

No chart library is loaded for it: the markup is plain SVG, the script below is all the browser runs.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import timing
from ui.filters import Selection, narrow_to

# Shows the markup, a hover box that follows the pointer (text only: textContent, never HTML) and sends a
# click or Enter on a region with data as the trigger `region`.
_JS = """
export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let root = parentElement.querySelector('.fl-root');
  if (!root) {
    root = document.createElement('div');
    root.className = 'fl-root';
    parentElement.appendChild(root);
  }
  if (root.dataset.markup !== String(data.version)) {
    root.innerHTML = data.markup;
    root.dataset.markup = String(data.version);
  }
  const tip = root.querySelector('.fl-tip');
  const show = (event) => {
    const region = event.target.closest('.region');
    if (!region) { tip.hidden = true; return; }
    tip.textContent = region.dataset.tip;
    const box = root.getBoundingClientRect();
    const x = event.clientX - box.left, y = event.clientY - box.top;
    tip.hidden = false;
    const left = x + 14 + tip.offsetWidth > box.width ? x - 14 - tip.offsetWidth : x + 14;
    tip.style.left = Math.max(0, left) + 'px';
    tip.style.top = Math.max(0, y + 14) + 'px';
  };
  const choose = (region) => {
    if (region && region.dataset.code) setTriggerValue('region', region.dataset.code);
  };
  root.onmousemove = show;
  root.onmouseleave = () => { tip.hidden = true; };
  root.onclick = (event) => choose(event.target.closest('.region'));
  root.onkeydown = (event) => {
    if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); choose(event.target.closest('.region')); }
  };
}
"""

_CSS = """
.fl-map { position: relative; display: flex; flex-direction: column; color: var(--st-text-color, #31333f);
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
.fl-title { font-size: 16px; font-weight: bold; padding: 5px 8px 0; }
.fl-subtitle { font-size: 12px; padding: 4px 8px 6px; line-height: 18px; opacity: 0.75; }
.fl-body { flex: 1; min-height: 0; display: flex; align-items: stretch; }
.regions { flex: 1; min-width: 0; height: 100%; }
.region { stroke: var(--border); stroke-width: var(--border-width); vector-effect: non-scaling-stroke;
  stroke-linejoin: round; }
.region[data-code] { cursor: pointer; }
.region:hover, .region:focus { stroke: var(--st-text-color, #31333f); stroke-width: 1.5px; outline: none; }
.dash { fill: none; stroke-width: 1.5px; vector-effect: non-scaling-stroke; pointer-events: none; }
.fl-legend { width: 100px; display: flex; flex-direction: column; justify-content: center; font-size: 12px; }
.fl-unit { margin-bottom: 6px; }
.fl-scale text { font-size: 12px; fill: currentColor; }
.fl-scale line { stroke: currentColor; }
.fl-nodata { margin-top: 14px; display: flex; align-items: center; gap: 6px; }
.fl-nodata span { display: inline-block; width: 14px; height: 14px; border: 1px solid #8c8c8c; }
.fl-tip { position: absolute; z-index: 2; pointer-events: none; white-space: pre-line; font-size: 13px;
  background: var(--st-background-color, #fff); border: 1px solid #c8c8c8; border-radius: 4px;
  padding: 6px 9px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.15); }
.fl-tip::first-line { font-weight: bold; }
"""


@functools.cache
def _component() -> Callable[..., Any]:
    """Registered once per process (a second registration under the name would only log a warning)."""
    return st.components.v2.component("fiscallens_svg_map", js=_JS, css=_CSS)


def clickable_map(
    markup: str, *, key: str, selection: Selection, target: Callable[[str], dict[str, Any]], height: int
) -> None:
    """Show a map's markup; a click on a region with data narrows the filters to `target(adcode)`."""
    with timing.phase("send", key) as sent:
        if timing.ENABLED:
            sent["bytes"] = len(markup.encode("utf-8"))
        # `version` tells the script whether the markup changed (a rerun with the same map redraws nothing).
        data = {"markup": markup, "version": hash(markup)}
        result = _component()(key=key, data=data, height=height, on_region_change=lambda: None)
    code = getattr(result, "region", None)
    if isinstance(code, str) and code:
        changes = target(code)
        if changes:
            narrow_to(changes, selection)
