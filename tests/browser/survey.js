// Measures one page of the built book (evaluated by tests/browser/conftest.py, after MathJax has typeset).
() => {
  const article = document.querySelector("article.bd-article") || document.body;
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const text = (el) => (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 80);

  // A formula is cut off when an ancestor that hides overflow is narrower than the formula, before any
  // ancestor that scrolls; a formula in a scrolling ancestor can be scrolled into view.
  const clipped = (el) => {
    const r = el.getBoundingClientRect();
    for (let a = el.parentElement; a && a !== document.documentElement; a = a.parentElement) {
      const overflow = getComputedStyle(a).overflowX;
      if (overflow === "auto" || overflow === "scroll") return false;
      if (overflow === "hidden" || overflow === "clip") {
        const box = a.getBoundingClientRect();
        const left = box.left + a.clientLeft;
        if (r.left < left - 1 || r.right > left + a.clientWidth + 1) return true;
      }
    }
    return r.left < -1 || r.right > document.documentElement.clientWidth + 1;
  };

  const mathElements = [...article.querySelectorAll("span.math, div.math")];
  const containers = [...article.querySelectorAll("mjx-container")].filter(visible);
  const inline = containers.filter((c) => c.getAttribute("display") !== "true");
  const display = containers.filter((c) => c.getAttribute("display") === "true");

  const prose = article.cloneNode(true);
  prose.querySelectorAll("pre, code, script, style, mjx-assistive-mml").forEach((e) => e.remove());

  const pres = [...article.querySelectorAll("pre")].filter(visible);
  const scrolls = (pre) => pre.scrollWidth > pre.clientWidth + 1;
  const isOutput = (pre) => !!pre.closest(".cell_output, .output");
  const inputs = pres.filter((p) => !isOutput(p));
  const outputs = pres.filter(isOutput);

  const figures = [...article.querySelectorAll(".cell_output img")]
    .filter(visible)
    .map((img) => ({ src: img.getAttribute("src"), ratio: img.naturalWidth / img.clientWidth }));

  const ENGLISH = /[A-Za-z]{3,}/;
  const tooltipAttributes = ["title", "aria-label", "data-bs-title", "data-bs-original-title"];
  const englishTooltips = [];
  document.querySelectorAll(".primary-toggle, .secondary-toggle, .toggle-button").forEach((button) => {
    tooltipAttributes.forEach((attribute) => {
      const value = button.getAttribute(attribute);
      if (value && ENGLISH.test(value)) englishTooltips.push(`${attribute}="${value}"`);
    });
  });

  return {
    math: mathElements.length,
    mathTypeset: mathElements.filter((m) => m.querySelector("mjx-container")).length,
    untypeset: mathElements.filter((m) => !m.querySelector("mjx-container")).map(text).slice(0, 5),
    texErrors: [...article.querySelectorAll("mjx-merror")].map(text).slice(0, 5),
    rawTex: /\\\(|\\\[|\$\$/.test(prose.textContent),
    citationsWithDollar: [...article.querySelectorAll(".citation")].filter((c) => c.textContent.includes("$")).map(text),
    inlineMath: inline.length,
    clippedInline: inline.filter(clipped).map(text),
    clippedDisplay: display.filter(clipped).map(text),
    // a formula that fits its column must not scroll (a scrollbar under it on a desktop)
    needlessScroll: [...article.querySelectorAll("span.math")]
      .filter((m) => visible(m) && m.scrollWidth > m.clientWidth + 1)
      .filter((m) => {
        const svg = m.querySelector("mjx-container svg");
        return svg && svg.getBoundingClientRect().width <= m.clientWidth + 1;
      })
      .map(text),
    algorithmsThatClip: [...article.querySelectorAll(".proof.algorithm .algorithm-content")]
      .filter((a) => a.scrollWidth > a.clientWidth + 1 && !["auto", "scroll"].includes(getComputedStyle(a).overflowX))
      .map(text),
    codeBlocks: inputs.length,
    codeBlocksThatScroll: inputs.filter(scrolls).map((p) => text(p)),
    outputBlocks: outputs.length,
    outputBlocksThatScroll: outputs.filter(scrolls).length,
    figures,
    brokenImages: [...document.images]
      .filter((img) => img.complete && img.naturalWidth === 0 && img.getAttribute("src"))
      .map((img) => img.getAttribute("src")),
    englishTooltips,
    // the page itself must not scroll sideways (a phone's page that wobbles under the thumb)
    pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  };
}
