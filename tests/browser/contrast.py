"""WCAG contrast of the text the browser actually drew, for the browser tests.

axe-core skips text inside SVG (Plotly's ticks, legend and labels) and text over positioned
marks, which is how the volume knob's near-white legend on a white panel went unnoticed in the
dark palette. :func:`chart_text_contrast` reads every visible piece of text inside the elements
a selector finds: its colour (``color``, or ``fill`` for SVG text), faded by its own and its
ancestors' opacity, against the colour behind it (every ancestor's background, composited from
the page down, with a Plotly chart's paper colour under all of its layers), and computes the
WCAG 2 contrast ratio.
"""

from __future__ import annotations

# Colours are read through a 1x1 canvas, so any CSS colour syntax the browser reports
# (rgb(), color(srgb ...), oklab() from color-mix) comes back as 0-255 RGBA.
_SCRIPT = """
(selector) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const rgba = (css) => {
    if (!css || css === "none" || css === "transparent") return [0, 0, 0, 0];
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = "rgba(0, 0, 0, 0)";
    ctx.fillStyle = css;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, bottom) => {  // top (with alpha) composited over an opaque bottom
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)).concat([1]);
  };
  const luminance = (c) => {
    const [r, g, b] = c.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const background = (element) => {
    const chain = [];
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) chain.push(node);
    let colour = [255, 255, 255, 1];  // the canvas under the page
    for (const node of chain.reverse()) {
      colour = over(rgba(getComputedStyle(node).backgroundColor), colour);
      // Plotly draws its layers as sibling <svg>s: the first holds the paper colour, and text in
      // the others (annotations, legend, titles) sits on it without being its child.
      if (node.classList.contains("svg-container")) {
        const paper = node.querySelector(":scope > .main-svg");
        if (paper) colour = over(rgba(getComputedStyle(paper).backgroundColor), colour);
      }
    }
    return colour;
  };
  const opacity = (element) => {
    let value = 1;
    for (let node = element; node && node.nodeType === 1; node = node.parentElement) {
      value *= parseFloat(getComputedStyle(node).opacity);
    }
    return value;
  };
  const visible = (element) => {
    const style = getComputedStyle(element);
    if (style.visibility !== "visible" || style.display === "none") return false;
    const box = element.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  const results = [];
  for (const root of document.querySelectorAll(selector)) {
    const seen = new Set();
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      if (!text.textContent.trim()) continue;
      let element = text.parentElement;
      // An SVG text's colour is its <text> element's fill (a <tspan> inherits it).
      if (element instanceof SVGElement) element = element.closest("text") || element;
      if (seen.has(element) || !visible(element)) continue;
      seen.add(element);
      const style = getComputedStyle(element);
      const svg = element instanceof SVGElement;
      const ink = rgba(svg ? style.fill : style.color);
      const alpha = ink[3] * opacity(element) * (svg ? parseFloat(style.fillOpacity || "1") : 1);
      const back = background(element);
      const shown = over([ink[0], ink[1], ink[2], alpha], back);
      results.push({
        text: element.textContent.trim().slice(0, 60),
        kind: svg ? "svg" : "html",
        className: (element.getAttribute("class") || "") + " < " + ((element.parentElement && element.parentElement.getAttribute("class")) || ""),
        ink: svg ? style.fill : style.color,
        background: `rgb(${back.slice(0, 3).map(Math.round).join(", ")})`,
        ratio: Math.round(ratio(shown, back) * 100) / 100,
      });
    }
  }
  return results;
}
"""


def chart_text_contrast(page, selector: str) -> list[dict]:
    """Every visible text inside ``selector``'s elements: its text, ink, background and contrast ratio."""
    return page.evaluate(_SCRIPT, selector)


def low_contrast(results: list[dict], minimum: float = 4.5) -> list[dict]:
    return [result for result in results if result["ratio"] < minimum]
