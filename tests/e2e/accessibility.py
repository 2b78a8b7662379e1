"""axe-core checks for the browser journeys, and the findings the application still owes.

``Axe()(page)`` injects site/e2e/node_modules/axe-core/axe.min.js (the page context must
be opened with ``bypass_csp=True``: the site's Content-Security-Policy allows no injected
script) and raises AxeViolation on any serious or critical WCAG 2.1 A/AA violation.
"""

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "site" / "e2e" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("critical", "serious")


@dataclass(frozen=True)
class KnownViolation:
    """A serious axe finding in the application, left for the application to fix.

    The journeys let exactly this rule on this element of these pages pass; its own test
    in test_parent_journeys.py is marked xfail(strict=True), so the suite turns red as
    soon as the finding is fixed, and then the entry goes.
    """

    rule: str
    path: str  # regular expression, matched against the URL path
    target: str  # axe-core's CSS selector of the element
    reason: str

    def covers(self, rule, url, target):
        return (
            rule == self.rule
            and target == self.target
            and re.fullmatch(self.path, urlsplit(url).path) is not None
        )


# Violations found and not yet fixed, each with the reason; the journeys skip only these.
KNOWN_VIOLATIONS = []


class AxeViolation(AssertionError):
    """axe-core found a serious or critical WCAG 2.1 A/AA violation."""


AXE_RUN = """async ([tags, rules]) => {
  const results = await axe.run(document, {
    runOnly: rules ? {type: "rule", values: rules} : {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "),
      html: n.html,
      summary: n.failureSummary,
    })),
  }));
}"""


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

    The elements of KNOWN_VIOLATIONS are left out, unless ``known=()``. ``rules`` runs
    only those axe rules instead of every WCAG 2.1 A/AA one.
    """

    def __init__(self):
        self.pages_checked = []

    def violations(self, page, rules=None):
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE_JS))
        found = page.evaluate(AXE_RUN, [WCAG_TAGS, rules])
        return [violation for violation in found if violation["impact"] in BLOCKING_IMPACTS]

    def __call__(self, page, *, rules=None, known=KNOWN_VIOLATIONS):
        self.pages_checked.append(page.url)
        blocking = []
        for violation in self.violations(page, rules):
            nodes = [
                node
                for node in violation["nodes"]
                if not any(k.covers(violation["id"], page.url, node["target"]) for k in known)
            ]
            if nodes:
                blocking.append({**violation, "nodes": nodes})
        if blocking:
            raise AxeViolation(describe(blocking, page.url))
