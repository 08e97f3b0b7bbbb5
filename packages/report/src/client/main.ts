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
layoutWhenNear(byId("quality"))
layoutWhenNear(byId("issues"))
document.documentElement.dataset.ready = "true"
