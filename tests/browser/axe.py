"""Run axe-core (vendored in tests/browser/vendor/axe-core, see scripts/update_axe.sh) in the
page the driver shows, and describe each violation in one line."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"

# WCAG 2.x A and AA plus axe's best practices: what Lighthouse's accessibility audit checks.
_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(r => done(r.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ") + " " + n.failureSummary
                                     .replace(/\\s+/g, " ").slice(0, 160))}))),
    e => done([{id: "axe-error", impact: "critical", help: String(e), nodes: []}]));
"""


def axe_violations(driver) -> list[str]:
    """One line per violation (rule, impact, help, the first failing elements)."""
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    found = driver.execute_async_script(_RUN)
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + " | ".join(v["nodes"]) for v in found]
