/**
 * The report page's script, bundled by esbuild into one inline script whose hash goes into the page's
 * Content-Security-Policy. It renders everything from the embedded JSON; nothing is fetched.
 */
import { load } from "./decisions.js"
import { byId, layoutWhenNear } from "./dom.js"
import { renderGroups, showGroup } from "./groups.js"
import { renderIssues } from "./issues.js"
import { renderQuality } from "./quality.js"
import { renderHeader, renderSummary } from "./summary.js"

load()
renderHeader()
renderSummary()
renderGroups()
renderQuality(showGroup)
renderIssues(showGroup)
// A section holding a long list (hundreds of rows took a large share of a big report's start-up) is
// laid out when scrolled near; short ones stay as they are.
for (const id of ["quality", "issues"]) {
  const section = byId(id)
  const rows = section.querySelectorAll("tr, li").length
  if (rows >= 100) layoutWhenNear(section, rows * 60)
}
document.documentElement.dataset.ready = "true"
