/**
 * The parts of report.html around its data: the skeleton markup the page script fills, the inlined
 * stylesheet and the bundled page script, and the Content-Security-Policy that allows only those two.
 */
import { createHash } from "node:crypto"
import { readFileSync } from "node:fs"
import { STYLES } from "./styles.js"

// The page script (src/client/), bundled by `pnpm run build` into dist/client.js. The path resolves
// to the same file from src/internal/ (tests) and from dist/internal/.
const SCRIPT = readFileSync(new URL("../../dist/client.js", import.meta.url), "utf8").trim()
if (SCRIPT.toLowerCase().includes("</script"))
  throw new Error("dist/client.js would close its script element")
const hash = (text: string): string =>
  `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`

/** The page's Content-Security-Policy: nothing but its own script and style, and images from http(s) or beside it. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${hash(SCRIPT)}`,
  `style-src ${hash(STYLES)}`,
  "img-src 'self' http: https:",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'"
].join("; ")

/** Everything before the embedded data: the head (CSP, styles) and the page's empty skeleton. */
export const HEAD = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="albumsift">
<title>albumsift report</title>
<style>${STYLES}</style>
</head>
<body>
<header class="top"><div class="top-inner">
  <div class="brand"><span class="logo" aria-hidden="true"></span>albumsift <small>duplicate report</small></div>
  <nav class="sections" aria-label="Sections">
    <a href="#summary">Summary</a><a href="#groups">Groups</a><a href="#quality">Quality</a><a href="#issues">Issues</a>
  </nav>
  <div id="downloads"></div>
</div></header>
<main>
<noscript>This report needs JavaScript to show its groups; report.csv and report.json hold the same data.</noscript>
<section id="summary" aria-labelledby="summary-title">
  <h1 id="summary-title">Duplicate report</h1>
  <div class="meta" id="meta"></div>
  <div class="stats" id="stats"></div>
  <div class="summary-row">
    <div class="panel"><h3>Decisions</h3><div id="decisions"></div>
      <h3 class="sub">Groups by evidence</h3><div class="chips" id="evidence-summary"></div></div>
    <div class="panel"><h3>Coverage</h3><div id="coverage"></div></div>
  </div>
</section>
<section id="groups" aria-labelledby="groups-title">
  <h2 id="groups-title">Groups</h2>
  <div class="controls" role="search">
    <div class="control"><span class="label">Kind</span><div class="segmented" id="filter-kind" role="radiogroup" aria-label="Kind"></div></div>
    <div class="control"><span class="label">Evidence</span><div class="toggles" id="filter-evidence"></div></div>
    <div class="control"><label class="label" for="filter-rec">Suggestion</label>
      <select id="filter-rec">
        <option value="any">Any</option>
        <option value="review">Needs review</option>
        <option value="discard">Has discards</option>
        <option value="no-review">Nothing to review</option>
      </select></div>
    <div class="control"><label class="label" for="filter-progress">Yours</label>
      <select id="filter-progress">
        <option value="all">All</option>
        <option value="undecided">Undecided</option>
        <option value="decided">Decided</option>
      </select></div>
    <div class="control"><label class="label" for="sort">Sort</label>
      <select id="sort">
        <option value="time">Time, oldest first</option>
        <option value="time-desc">Time, newest first</option>
        <option value="reclaim">Reclaimable bytes</option>
        <option value="size">Group size (bytes)</option>
        <option value="margin">Closest call first</option>
      </select></div>
    <div class="control"><input type="search" id="search" placeholder="Search name, id, person, camera" aria-label="Search file names, asset ids, people and cameras" autocomplete="off" spellcheck="false"></div>
    <button type="button" id="reset">Reset</button>
  </div>
  <div class="decide-bar" id="decide-bar" aria-label="Decide"></div>
  <input type="file" id="import-file" accept=".json,application/json" hidden>
  <p class="decide-status" id="decide-status" role="status" aria-live="polite"></p>
  <div class="list-head">
    <span id="count"></span>
    <span class="keys"><kbd>j</kbd> <kbd>k</kbd> move · <kbd>1</kbd>–<kbd>9</kbd> keep/discard · <kbd>a</kbd> accept · <kbd>u</kbd> next undecided · <kbd>?</kbd> help</span>
    <div class="pager"><button type="button">← Prev</button><span></span><button type="button">Next →</button></div>
  </div>
  <div id="cards" aria-live="polite"></div>
  <div class="list-head"><span></span><div class="pager"><button type="button">← Prev</button><span></span><button type="button">Next →</button></div></div>
</section>
<section id="quality" aria-labelledby="quality-title">
  <h2 id="quality-title">Quality</h2>
  <div class="metrics-grid" id="metrics"></div>
  <h3>Low-quality assets</h3>
  <p class="note" id="low-quality-note"></p>
  <div class="table-wrap" id="low-quality"><table>
    <thead><tr><th></th><th>File</th><th>Score</th><th>Rating</th><th>Metrics</th><th>Flags</th><th>Group</th></tr></thead>
    <tbody></tbody>
  </table></div>
</section>
<section id="issues" aria-labelledby="issues-title">
  <h2 id="issues-title">Issues</h2>
  <div class="issues-grid">
    <div>
      <h3>Time-zone anomalies</h3>
      <p class="note" id="timezones-note"></p>
      <ul class="tz-list" id="timezones"></ul>
    </div>
    <div>
      <h3>Rejected inputs</h3>
      <p class="note" id="rejected-note"></p>
      <div class="table-wrap" id="rejected"><table>
        <thead><tr><th>Index</th><th>Album</th><th>Id</th><th>Reason</th></tr></thead>
        <tbody></tbody>
      </table></div>
    </div>
  </div>
</section>
</main>
<div id="help" class="overlay-panel" role="dialog" aria-label="Keyboard shortcuts" hidden>
  <h2>Keyboard</h2>
  <dl>
    <dt><kbd>j</kbd> / <kbd>k</kbd></dt><dd>next / previous group</dd>
    <dt><kbd>n</kbd> / <kbd>p</kbd></dt><dd>next / previous page (also <kbd>→</kbd> / <kbd>←</kbd>)</dd>
    <dt><kbd>1</kbd>–<kbd>9</kbd></dt><dd>flip member 1–9 of the current group between keep and discard (several keepers are allowed; companions follow their still)</dd>
    <dt><kbd>a</kbd></dt><dd>accept the suggestion for the current group</dd>
    <dt><kbd>x</kbd></dt><dd>mark the current group "not duplicates" (again: undo)</dd>
    <dt><kbd>Delete</kbd></dt><dd>clear the current group's decision</dd>
    <dt><kbd>u</kbd></dt><dd>next undecided group</dd>
    <dt><kbd>c</kbd></dt><dd>compare the current group's members side by side; there <kbd>←</kbd> <kbd>→</kbd> step, <kbd>k</kbd> keep, <kbd>d</kbd> discard, <kbd>Esc</kbd> close</dd>
    <dt><kbd>/</kbd></dt><dd>search file names, asset ids, people, cameras</dd>
    <dt><kbd>?</kbd> / <kbd>Esc</kbd></dt><dd>open / close this help</dd>
  </dl>
  <p class="note">Decisions stay in this browser for this report. Export them (decisions.json) for <code>albumsift apply --decisions</code> or another machine; import one to go on.</p>
</div>
<div id="compare" class="compare" role="dialog" aria-modal="true" aria-label="Compare members" tabindex="-1" hidden></div>
<footer>Suggestions only: this report changes nothing, and <code>albumsift apply</code> acts only when you say so, at most
moving photos to the server's trash, never deleting them. Scores come from the server's ML metrics and your ratings; a
<b>review</b> means the call was too close, the two were scored on different metrics, or the copy holds something the keeper lacks.</footer>
`

/** Everything after the embedded data: the page script. */
export const TAIL = `<script>${SCRIPT}</script>
</body>
</html>
`
