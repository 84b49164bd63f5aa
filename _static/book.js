/*
 * The book's fixes to the theme, loaded on every page (_config.yml: sphinx.config.html_js_files).
 *
 * 1. Sidebar toggles. pydata-sphinx-theme 0.17.1 wires only the FIRST `.primary-toggle` and
 *    `.secondary-toggle` on the page (document.querySelector), and so does sphinx-book-theme 1.3.0's
 *    wide-screen "collapse the sidebar" handler. The first ones are the navbar's, which sphinx-book-theme
 *    hides; the buttons a reader sees (in the article header) got no listener: the ☰ and the page-contents
 *    button did nothing on a phone, and the collapse button did nothing on a desktop.
 *      https://github.com/pydata/pydata-sphinx-theme/issues/2451
 *      https://github.com/executablebooks/sphinx-book-theme/issues/988 (fix proposed in PR #1000)
 *    Every newer pydata-sphinx-theme / sphinx-book-theme needs Sphinx 8, and jupyter-book 1.0.4 pins
 *    Sphinx 7, so a click on any other toggle is forwarded to the wired one, which opens the dialog on a
 *    narrow screen and collapses the sidebar on a wide one. Remove this once the themes bind every toggle.
 * 2. Japanese tooltips for the buttons whose English text is hard-coded in the themes' templates.
 * 3. A solution's title ("解答 練習 3.1 (…)") is mostly a link to its exercise. sphinx-togglebutton 0.4.5
 *    opens the solution on a click on the title, but a click on that link threw "button is not defined"
 *    and jumped to the exercise (just above) instead. A click anywhere on the title now opens the solution.
 */
(() => {
  "use strict";

  const forwardToWiredToggle = (selector) => {
    const buttons = Array.from(document.querySelectorAll(selector));
    const wired = buttons[0];
    buttons.slice(1).forEach((button) => {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopImmediatePropagation();
        wired.click();
        button.blur(); // do not leave the tooltip hanging after the click
      });
    });
  };

  const JAPANESE = {
    "Toggle primary sidebar": "章の一覧を表示・非表示",
    "Toggle secondary sidebar": "このページの目次",
    "Toggle navigation": "章の一覧を表示・非表示",
    "Toggle hidden content": "隠れている内容を表示・非表示",
    "Launch on Colab": "Colab で開く",
    "Color mode": "配色",
    "System Settings": "システムの設定に従う",
    "Download this page": "このページをダウンロード",
    "Link to this heading": "この見出しへのリンク",
  };
  const ATTRIBUTES = ["title", "aria-label", "data-bs-title", "data-bs-original-title"];

  const translateTooltips = () => {
    const selector = ATTRIBUTES.map((a) => `[${a}]`).join(",");
    document.querySelectorAll(selector).forEach((element) => {
      ATTRIBUTES.forEach((attribute) => {
        const japanese = JAPANESE[element.getAttribute(attribute)];
        if (japanese) element.setAttribute(attribute, japanese);
      });
    });
  };

  const titleLinksToggle = () => {
    document.querySelectorAll(".toggle > .admonition-title a").forEach((link) => {
      link.addEventListener("click", (event) => {
        const button = link.closest(".admonition-title").querySelector(".toggle-button");
        if (!button) return;
        event.preventDefault();
        event.stopPropagation();
        button.click();
      });
    });
  };

  // Runs after togglebutton.js has added its buttons (it registered its listener first). Bootstrap may
  // already have made its tooltips (deferred scripts run before DOMContentLoaded), hence
  // data-bs-original-title, where Bootstrap keeps a tooltip's text.
  document.addEventListener("DOMContentLoaded", () => {
    forwardToWiredToggle(".primary-toggle");
    forwardToWiredToggle(".secondary-toggle");
    translateTooltips();
    titleLinksToggle();
  });
})();
