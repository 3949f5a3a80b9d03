// Render math with the vendored KaTeX (docs/assets/vendor/katex, see scripts/update_katex.sh).
// pymdownx.arithmatex (generic) wraps math in .arithmatex as \( … \) and \[ … \]; notebook
// Markdown cells keep Jupyter's $ … $ and $$ … $$. Material's document$ emits on the first
// load and after every instant-navigation page swap, so math is rendered on both.
document$.subscribe(({ body }) => {
  // A formula KaTeX cannot parse stays as source and auto-render logs a console error,
  // which the browser tests report.
  body.querySelectorAll(".arithmatex").forEach(element => {
    renderMathInElement(element, {
      delimiters: [
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true }
      ]
    })
  })

  body.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown").forEach(element => {
    renderMathInElement(element, {
      delimiters: [
        { left: "$$", right: "$$", display: true },
        { left: "$", right: "$", display: false },
        { left: "\\(", right: "\\)", display: false },
        { left: "\\[", right: "\\]", display: true }
      ]
    })
  })
})
