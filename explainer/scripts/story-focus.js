// Patient story: when the step changes (Next, Back, "See what happens", another story, Restart),
// bring the new step's heading to the top of the view and move keyboard focus to it.
//
// pages/vignette.py draws the step heading with the id "story-step" and, after it, a hidden span of
// class "story-step-marker" whose data-story-step is "story id/step id" (explainer.vignette.step_marker_html).
// A MutationObserver notices when the marker's value changes. The first value seen in this window is
// left alone: opening the page, or a shared link, keeps the visitor where the browser put them.
//
// Scrolling sets scrollTop on the heading's scrolling ancestor (Streamlit's main area), never the
// browser's scroll-into-view: inside a clinic's iframe that would scroll the clinic's page too. Focus uses
// preventScroll for the same reason. A visitor's own scroll, key or tap stops any further adjustment.
var MARKER = ".story-step-marker[data-story-step]";
var HEADING_ID = "story-step";
var SETTLE_DELAYS = [0, 60, 180, 400, 800]; // later content can still move the page for a moment
var shown; // the step on screen when last looked (undefined until the first look)
var interactedAt = 0;
var settling = 0;

function scrollingAncestor(element) {
  for (var node = element.parentElement; node; node = node.parentElement) {
    var overflow = window.getComputedStyle(node).overflowY;
    if (overflow === "auto" || overflow === "scroll") return node;
  }
  return document.scrollingElement || document.documentElement; // this window's own document only
}

function bringToTop(heading) {
  var container = scrollingAncestor(heading);
  var margin = parseFloat(window.getComputedStyle(heading).scrollMarginTop) || 0; // clears the top bar
  var top = container === document.scrollingElement || container === document.documentElement ? 0 : container.getBoundingClientRect().top;
  var offset = heading.getBoundingClientRect().top - top - margin;
  if (Math.abs(offset) > 1) container.scrollTop += offset;
}

function focusHeading(heading) {
  if (heading.getAttribute("tabindex") !== "-1") heading.setAttribute("tabindex", "-1");
  if (document.activeElement !== heading) heading.focus({ preventScroll: true });
}

function settle() {
  var run = ++settling;
  var started = Date.now();
  SETTLE_DELAYS.forEach(function (delay) {
    window.setTimeout(function () {
      if (run !== settling || interactedAt > started) return; // a newer step, or the visitor moved on
      var heading = document.getElementById(HEADING_ID);
      if (!heading) return;
      bringToTop(heading);
      focusHeading(heading);
    }, delay);
  });
}

function look() {
  var marker = document.querySelector(MARKER);
  var step = marker ? marker.getAttribute("data-story-step") : null;
  if (step === shown) return;
  var first = shown === undefined || shown === null;
  shown = step;
  if (step && !first) settle();
}

["wheel", "touchstart", "keydown", "pointerdown"].forEach(function (type) {
  document.addEventListener(
    type,
    function () {
      interactedAt = Date.now();
    },
    { capture: true, passive: true }
  );
});

look();
new MutationObserver(look).observe(document.documentElement, {
  childList: true,
  subtree: true,
  attributes: true,
  attributeFilter: ["data-story-step"],
});
