// Prepare for your visit: the Print button prints the summary only.
// The button is Streamlit's own (key "consult_print", so its box has the class st-key-consult_print);
// a click on it opens the browser's print dialog. What prints is set by consult.PRINT_CSS: the
// summary drawn hidden on the page, without the site's menu, bars or controls.
document.addEventListener("click", function (event) {
  var target = event.target;
  if (!(target instanceof Element)) return;
  var button = target.closest(".st-key-consult_print button");
  if (!button || button.disabled) return;
  window.print();
});
