// A button marked data-print prints the page. Without JavaScript it stays hidden and the
// page's own words (Ctrl+P) say how to print; inline handlers are refused by the CSP.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
