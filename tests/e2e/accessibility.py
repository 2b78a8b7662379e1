"""axe-core checks for the browser journeys.

``Axe()(page)`` injects site/e2e/node_modules/axe-core/axe.min.js (the page context must
be opened with ``bypass_csp=True``: the site's Content-Security-Policy allows no injected
script) and raises AxeViolation on any serious or critical WCAG 2.1 A/AA violation.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "site" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("critical", "serious")


class AxeViolation(AssertionError):
    """axe-core found a serious or critical WCAG 2.1 A/AA violation."""


# What a run's violations are reported as, shared by every script that runs axe.
REPORT_VIOLATIONS = """return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      html: n.html,
      summary: n.failureSummary,
    })),
  }));"""

AXE_RUN = (
    """async ([tags, rules]) => {
  const results = await axe.run(document, {
    runOnly: rules ? {type: "rule", values: rules} : {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
"""
    + REPORT_VIOLATIONS
    + "\n}"
)


def describe(violations, url):
    lines = [f"axe-core: {len(violations)} serious/critical WCAG 2.1 A/AA violation(s) on {url}"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            lines.append(f"  * {node['target']}: {node['html'][:160]}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"      {detail}")
        if len(violation["nodes"]) > 5:
            lines.append(f"  * … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


class Axe:
    """``axe(page)``: raise AxeViolation on any serious or critical WCAG 2.1 A/AA violation.

    ``rules`` runs only those axe rules instead of every WCAG 2.1 A/AA one.
    """

    def violations(self, page, rules=None):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        found = page.evaluate(AXE_RUN, [WCAG_TAGS, rules])
        return [violation for violation in found if violation["impact"] in BLOCKING_IMPACTS]

    def __call__(self, page, *, rules=None):
        blocking = self.violations(page, rules)
        if blocking:
            raise AxeViolation(describe(blocking, page.url))
