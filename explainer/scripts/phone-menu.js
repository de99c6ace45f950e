// Phone menu: choosing a page in the sidebar menu closes the sidebar where it covers the page.
//
// The site draws its own menu (st.page_link under section labels, see streamlit_app.py), so
// Streamlit's own close-on-choice, which runs only for its built-in menu, never runs. Below
// Streamlit's "md" breakpoint (768 px wide) the sidebar lies over the page; there a click on one of
// the menu's links (a tap, a mouse click, or Enter on the focused link: all give a click event)
// presses Streamlit's own "Collapse sidebar" button after the link has done its work. Wider screens
// keep the sidebar open beside the page. Nothing is added to or moved in the menu, so its links,
// their order and their keyboard use stay as they are.
//
// Streamlit data-testids used (guarded by tests/browser/test_navigation.py):
// stSidebar, stSidebarCollapseButton.
var OVERLAY_BELOW = 768; // Streamlit's theme.breakpoints.md: narrower, the sidebar covers the page

function menuLink(event) {
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return null; // a new tab or window
  var target = event.target instanceof Element ? event.target : null;
  var link = target && target.closest("a[href]");
  if (!link || link.target === "_blank") return null;
  // The site's own menu (.st-key-site_nav) and, should it come back, Streamlit's.
  if (!link.closest('[data-testid="stSidebar"] .st-key-site_nav, [data-testid="stSidebarNav"]')) return null;
  return link;
}

document.addEventListener("click", function (event) {
  // Bubbling phase on document: Streamlit's own handler (React, on its root element) has run by now.
  if (window.innerWidth >= OVERLAY_BELOW || !menuLink(event)) return;
  var sidebar = document.querySelector('[data-testid="stSidebar"]');
  var collapse = sidebar && sidebar.querySelector('[data-testid="stSidebarCollapseButton"] button');
  if (!collapse) return;
  var hadFocus = sidebar.contains(document.activeElement);
  window.requestAnimationFrame(function () {
    collapse.click();
    // Keyboard users land on the button that opens the menu again, not on a link now out of sight.
    if (!hadFocus) return;
    window.requestAnimationFrame(function () {
      var focused = document.activeElement;
      if (focused && focused !== document.body && !sidebar.contains(focused)) return; // focus already moved on
      var expand = document.querySelector('[data-testid="stExpandSidebarButton"]');
      if (expand) expand.focus();
    });
  });
});
