/**
 * report.html: one self-contained page (inline CSS and JS, no network but thumbnails) where a person
 * reviews the groups and decides.
 *
 * The analysis is embedded once, as compact JSON in a non-executable `<script type="application/json">`
 * (with `<`, `>`, U+2028 and U+2029 escaped), and the page renders a page of groups at a time from it.
 * A strict Content-Security-Policy allows only the page's own script and style (by hash) and images from
 * http(s) or beside the report. All data is inserted as text by the page script, never as markup.
 */
import { createHash } from "node:crypto"
import type { Analysis } from "@albumsift/core"
import { reportClient } from "../internal/client.js"
import { collectShown, writer as dataWriter, shownAssetIds as shownIds } from "../internal/htmlData.js"
import { STYLES } from "../internal/styles.js"
import { coalesce, escapeJsonForHtml } from "../internal/text.js"
import type { Metadata } from "../Metadata.js"
import * as Writer from "../Writer.js"

export { ISSUE_LIMIT, LOW_QUALITY_LIMIT } from "../internal/htmlData.js"
export { safeImageUrl } from "../internal/text.js"

/** Ids of the assets the page shows (group members, worst low-quality assets, time-zone anomalies). */
export const shownAssetIds = (analysis: Analysis.Analysis): ReadonlyArray<string> =>
  shownIds(
    analysis,
    collectShown(analysis, () => null)
  )

/** Options for `chunks` / `render`. */
export interface HtmlOptions {
  /** Kept thumbnails: asset id to a path relative to the report; used instead of the remote URL. */
  readonly thumbnails?: ReadonlyMap<string, string>
  /** The report files written beside this one (`csv`, `json`), linked from the page header. */
  readonly formats?: ReadonlyArray<string>
}

const DATA_ID = "albumsift-data"
const SCRIPT = `(${reportClient.toString()})(${JSON.stringify(DATA_ID)});`
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

const HEAD = `<!doctype html>
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
    <div class="control"><label class="label" for="filter-rec">Decision</label>
      <select id="filter-rec">
        <option value="any">Any</option>
        <option value="review">Needs review</option>
        <option value="discard">Has discards</option>
        <option value="decided">Fully decided</option>
      </select></div>
    <div class="control"><label class="label" for="sort">Sort</label>
      <select id="sort">
        <option value="time">Time, oldest first</option>
        <option value="time-desc">Time, newest first</option>
        <option value="reclaim">Reclaimable bytes</option>
        <option value="size">Group size (bytes)</option>
        <option value="margin">Closest call first</option>
      </select></div>
    <div class="control"><input type="search" id="search" placeholder="Search file name or group id" aria-label="Search file names" autocomplete="off" spellcheck="false"></div>
    <button type="button" id="reset">Reset</button>
  </div>
  <div id="help" hidden><dl>
    <dt><kbd>j</kbd> / <kbd>k</kbd></dt><dd>next / previous group</dd>
    <dt><kbd>n</kbd> / <kbd>p</kbd></dt><dd>next / previous page (also <kbd>→</kbd> / <kbd>←</kbd>)</dd>
    <dt><kbd>/</kbd></dt><dd>search file names</dd>
    <dt><kbd>Esc</kbd></dt><dd>leave the search box, close this help</dd>
  </dl></div>
  <div class="list-head">
    <span id="count"></span>
    <span class="keys"><kbd>j</kbd> <kbd>k</kbd> move · <kbd>n</kbd> <kbd>p</kbd> page · <kbd>/</kbd> search · <kbd>?</kbd> help</span>
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
<footer>Suggestions only: albumsift never deletes anything. Scores come from the server's ML metrics and your ratings; a
<b>review</b> means the call was too close or the copy holds something the keeper lacks.</footer>
`

const TAIL = `</script>
<script>${SCRIPT}</script>
</body>
</html>
`

/**
 * report.html's writer: the page, with the embedded data between its head and its tail.
 *
 * @since 0.2.0
 */
export const writer = (context: Writer.Context): Writer.Writer => {
  const data = dataWriter(context.analysis, {
    metadata: context.metadata,
    formats: context.formats,
    thumbnailLink: context.thumbnailLink,
    ...(context.thumbnails !== undefined ? { thumbnails: context.thumbnails } : {})
  })
  return {
    *head() {
      yield HEAD
      yield `<script type="application/json" id="${DATA_ID}">`
      for (const piece of data.head()) yield escapeJsonForHtml(piece)
    },
    asset: (row) => escapeJsonForHtml(data.asset(row.asset)),
    *tail() {
      for (const piece of data.tail()) yield escapeJsonForHtml(piece)
      yield TAIL
    }
  }
}

/** report.html as lazily generated text pieces of about 64 KiB. */
export const chunks = (
  analysis: Analysis.Analysis,
  metadata: Metadata,
  options: HtmlOptions = {}
): Iterable<string> => ({
  [Symbol.iterator]: () =>
    coalesce(
      Writer.pieces(
        writer,
        Writer.context(analysis, { metadata, thumbnails: options.thumbnails, formats: options.formats })
      )
    )
})

/** report.html as one string (for small analyses and tests; use `chunks` for large ones). */
export const render = (analysis: Analysis.Analysis, metadata: Metadata, options: HtmlOptions = {}): string =>
  Array.from(chunks(analysis, metadata, options)).join("")
