/**
 * The report page's stylesheet (inlined; its hash goes into the Content-Security-Policy).
 * Light and dark themes follow `prefers-color-scheme`.
 */
export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --panel: #ffffff; --panel-2: #f0f2f5; --text: #1c2128; --muted: #626b77; --border: #dde1e6;
  --accent: #2d6cdf; --accent-soft: #e6eefc; --keep: #1a7f37; --keep-soft: #dff3e4; --discard: #c4314b;
  --discard-soft: #fbe5e9; --review: #9a6700; --review-soft: #fff1cc; --diff: #fff4d1; --diff-border: #e9b949;
  --shadow: 0 1px 2px rgba(16,24,40,.06), 0 1px 3px rgba(16,24,40,.08); --radius: 10px;
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1116; --panel: #161b22; --panel-2: #1d232c; --text: #e6edf3; --muted: #8d96a0; --border: #2b333d;
    --accent: #6ea1ff; --accent-soft: #1b2a44; --keep: #4ac26b; --keep-soft: #12301d; --discard: #ff7b8f;
    --discard-soft: #3a1820; --review: #e3b341; --review-soft: #3a2c0b; --diff: #3b2f0e; --diff-border: #9e7a1c;
    --shadow: 0 1px 2px rgba(0,0,0,.4);
  }
}
* { box-sizing: border-box; }
html { scroll-padding-top: 128px; }
body {
  margin: 0; background: var(--bg); color: var(--text);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  -webkit-font-smoothing: antialiased;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, .mono { font-family: var(--mono); font-size: 12px; }
.muted { color: var(--muted); }
[hidden] { display: none !important; }
.top {
  position: sticky; top: 0; z-index: 20; background: color-mix(in srgb, var(--panel) 92%, transparent);
  backdrop-filter: blur(8px); border-bottom: 1px solid var(--border);
}
.top-inner { max-width: 1440px; margin: 0 auto; padding: 10px 24px; display: flex; align-items: center; gap: 24px; flex-wrap: wrap; }
.brand { display: flex; align-items: center; gap: 10px; font-weight: 650; font-size: 16px; letter-spacing: -.01em; }
.logo { width: 26px; height: 26px; border-radius: 7px; background: linear-gradient(135deg, #2d6cdf, #7b4ee0); position: relative; }
.logo::after { content: ""; position: absolute; inset: 7px; border: 2px solid #fff; border-radius: 3px; opacity: .9; }
.brand small { font-weight: 500; color: var(--muted); font-size: 13px; }
nav.sections { display: flex; gap: 4px; }
nav.sections a { padding: 6px 10px; border-radius: 6px; color: var(--muted); font-weight: 550; }
nav.sections a:hover { background: var(--panel-2); color: var(--text); text-decoration: none; }
#downloads { margin-left: auto; display: flex; gap: 8px; }
.button, button, select, input[type=search] {
  font: inherit; color: var(--text); background: var(--panel); border: 1px solid var(--border); border-radius: 7px;
  padding: 6px 10px; min-height: 32px;
}
.button:hover, button:hover:not(:disabled) { background: var(--panel-2); text-decoration: none; }
button:disabled { opacity: .45; }
button, .button, select { cursor: pointer; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
main { max-width: 1440px; margin: 0 auto; padding: 20px 24px 64px; }
section { margin-bottom: 36px; }
h1 { font-size: 26px; margin: 6px 0 2px; letter-spacing: -.02em; }
h2 { font-size: 19px; margin: 0 0 12px; letter-spacing: -.01em; }
h3 { font-size: 14px; margin: 0; }
.meta { color: var(--muted); display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 13px; margin-bottom: 16px; }
.meta .source { font-family: var(--mono); font-size: 12px; overflow-wrap: anywhere; }
.stats { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.stat {
  display: block; background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius);
  padding: 14px 16px; box-shadow: var(--shadow); color: var(--text);
}
a.stat:hover { border-color: var(--accent); text-decoration: none; }
.stat-label { color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
.stat-value { font-size: 26px; font-weight: 680; letter-spacing: -.02em; margin: 2px 0; font-variant-numeric: tabular-nums; }
.stat-sub { color: var(--muted); font-size: 12.5px; }
.tone-discard .stat-value { color: var(--discard); }
.tone-keep .stat-value { color: var(--keep); }
.tone-warn .stat-value { color: var(--review); }
.summary-row { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; margin-top: 12px; }
.panel h3.sub { margin-top: 14px; }
.stack { display: flex; height: 10px; border-radius: 99px; overflow: hidden; background: var(--panel-2); margin: 4px 0 10px; }
.part { display: block; height: 100%; }
.part-keep { background: var(--keep); }
.part-discard { background: var(--discard); }
.part-review { background: #e3a008; }
.legend { display: flex; gap: 14px; flex-wrap: wrap; font-size: 13px; font-variant-numeric: tabular-nums; }
.key::before { content: ""; display: inline-block; width: 9px; height: 9px; border-radius: 3px; margin-right: 6px; vertical-align: 0; }
.key-keep::before { background: var(--keep); }
.key-discard::before { background: var(--discard); }
.key-review::before { background: #e3a008; }
.panel { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); padding: 14px 16px; box-shadow: var(--shadow); }
.panel h3 { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; margin-bottom: 10px; }
.cov { display: grid; grid-template-columns: 90px 1fr 44px; align-items: center; gap: 10px; margin: 6px 0; }
.cov-bar, .bar { height: 6px; background: var(--panel-2); border-radius: 99px; overflow: hidden; display: block; }
.cov-fill { display: block; height: 100%; background: var(--accent); border-radius: 99px; }
.cov-value { text-align: right; font-variant-numeric: tabular-nums; color: var(--muted); }
.chips { display: flex; flex-wrap: wrap; gap: 6px; }
.chip {
  display: inline-flex; align-items: center; gap: 6px; padding: 2px 8px; border-radius: 99px; font-size: 12px;
  background: var(--panel-2); border: 1px solid var(--border); color: var(--text); white-space: nowrap;
}
.chip b { font-variant-numeric: tabular-nums; }
.chip.evidence { background: var(--accent-soft); border-color: transparent; color: var(--accent); }
.chip-fav { color: var(--discard); }
.chip.flag-low_quality, .chip.flag-rejected_rating { background: var(--discard-soft); color: var(--discard); border-color: transparent; }
.chip.flag-timezone_anomaly { background: var(--review-soft); color: var(--review); border-color: transparent; }
.controls {
  position: sticky; top: 53px; z-index: 10; background: var(--bg); padding: 10px 0; margin-bottom: 8px;
  display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: center; border-bottom: 1px solid var(--border);
}
.control { display: flex; align-items: center; gap: 8px; }
.control > .label { color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
.segmented { display: inline-flex; border: 1px solid var(--border); border-radius: 8px; overflow: hidden; background: var(--panel); }
.seg, .toggle { position: relative; cursor: pointer; }
.seg input, .toggle input { position: absolute; opacity: 0; pointer-events: none; }
.seg span { display: inline-flex; gap: 6px; align-items: center; padding: 5px 11px; border-right: 1px solid var(--border); }
.seg:last-child span { border-right: 0; }
.seg small, .toggle small { color: var(--muted); font-variant-numeric: tabular-nums; }
.seg input:checked + span { background: var(--accent); color: #fff; }
.seg input:checked + span small { color: rgba(255,255,255,.8); }
.seg input:focus-visible + span, .toggle input:focus-visible + span { outline: 2px solid var(--accent); outline-offset: -2px; }
.toggles { display: flex; gap: 6px; flex-wrap: wrap; }
.toggle span { display: inline-flex; gap: 6px; align-items: center; padding: 4px 10px; border: 1px solid var(--border); border-radius: 99px; background: var(--panel); }
.toggle input:checked + span { background: var(--accent-soft); border-color: var(--accent); color: var(--accent); }
input[type=search] { width: 280px; }
.list-head { display: flex; justify-content: space-between; align-items: center; gap: 12px; margin: 8px 0 12px; flex-wrap: wrap; }
#count { color: var(--muted); font-variant-numeric: tabular-nums; }
.pager { display: flex; align-items: center; gap: 8px; }
.pager span { color: var(--muted); font-size: 13px; min-width: 110px; text-align: center; font-variant-numeric: tabular-nums; }
.keys { color: var(--muted); font-size: 12px; }
kbd {
  font-family: var(--mono); font-size: 11px; padding: 1px 5px; border: 1px solid var(--border); border-bottom-width: 2px;
  border-radius: 4px; background: var(--panel);
}
.overlay-panel {
  position: fixed; z-index: 50; top: 50%; left: 50%; transform: translate(-50%, -50%); width: min(640px, calc(100vw - 24px));
  max-height: calc(100vh - 24px); overflow: auto; background: var(--panel); border: 1px solid var(--border);
  border-radius: var(--radius); padding: 14px 18px; box-shadow: 0 10px 40px rgba(0,0,0,.3);
}
#help dl { display: grid; grid-template-columns: max-content 1fr; gap: 6px 14px; margin: 0 0 10px; }
#help dd { margin: 0; }
.help-close { float: right; }
.decide-bar { display: flex; flex-wrap: wrap; gap: 8px; margin: 4px 0 0; }
.decide-status { min-height: 20px; margin: 6px 0 0; color: var(--muted); font-size: 13px; }
button.link { border: 0; background: none; color: var(--accent); padding: 0 4px; min-height: 0; text-decoration: underline; }
button[aria-pressed=true] { background: var(--accent); border-color: var(--accent); color: #fff; }
.card-actions { display: flex; flex-wrap: wrap; gap: 6px; padding: 8px 16px 0; }
.card-actions button { padding: 3px 10px; min-height: 28px; font-size: 13px; }
.status { padding: 2px 9px; border-radius: 99px; font-size: 12px; font-weight: 650; background: var(--keep-soft); color: var(--keep); }
.status-changed { background: var(--accent-soft); color: var(--accent); }
.status-not-duplicates { background: var(--panel); color: var(--text); border: 1px solid var(--border); }
.status-file { background: var(--panel); color: var(--muted); border: 1px solid var(--border); }
.group-note { flex-basis: 100%; color: var(--review); font-size: 13px; font-weight: 600; }
.status-partial { background: var(--review-soft); color: var(--review); }
.kind-moment::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 7px; vertical-align: 1px; background: var(--review); }
.kind-moment { color: var(--review); }
.idline { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; font-size: 12px; }
.aid { font-family: var(--mono); font-size: 11.5px; padding: 1px 6px; min-height: 24px; color: var(--muted); }
.aid[data-copied]::after { content: " copied"; color: var(--keep); font-family: inherit; }
.server-link { font-size: 12px; }
.decide { display: inline-flex; margin-left: auto; }
.decide .choice { padding: 2px 10px; min-height: 28px; font-size: 12.5px; font-weight: 600; }
.decide .choice:first-child { border-radius: 7px 0 0 7px; }
.decide .choice:last-child { border-radius: 0 7px 7px 0; border-left: 0; }
.decide .choice-keep[aria-pressed=true] { background: var(--keep); border-color: var(--keep); }
.decide .choice-discard[aria-pressed=true] { background: var(--discard); border-color: var(--discard); }
.member.rec-discard .media img { opacity: .8; }
.member.yours .badge { outline: 2px solid #fff; outline-offset: -1px; }
body.modal-open { overflow: hidden; }
.compare { position: fixed; inset: 0; z-index: 60; background: var(--bg); display: flex; flex-direction: column; padding: 10px 14px; gap: 10px; }
.compare:focus { outline: none; }
.cmp-head { display: flex; align-items: center; gap: 14px; flex-wrap: wrap; }
.cmp-head .keys { margin-left: auto; }
.cmp-grid { flex: 1; min-height: 0; display: grid; grid-template-columns: repeat(var(--cols, 2), minmax(0, 1fr)); gap: 10px; overflow: auto; }
.cmp-cell { margin: 0; display: flex; flex-direction: column; min-height: 0; border: 2px solid var(--border); border-radius: 10px; background: var(--panel); overflow: hidden; }
.cmp-cell.focus { border-color: var(--accent); box-shadow: 0 0 0 3px var(--accent-soft); }
.cmp-cell.rec-keep { border-color: var(--keep); }
.cmp-cell.rec-keep.focus { box-shadow: 0 0 0 3px var(--accent); }
.cmp-media { flex: 1 1 0; min-height: 0; display: flex; align-items: center; justify-content: center; background: var(--panel-2); }
.cmp-media img { width: 100%; height: 100%; object-fit: contain; display: block; }
.pill { padding: 1px 8px; border-radius: 99px; font-size: 12px; font-weight: 700; }
.pill.badge-keep, .pill.badge-discard, .pill.badge-review { position: static; box-shadow: none; }
.cmp-cell figcaption { padding: 8px 10px; gap: 6px; }
.cmp-facts { color: var(--muted); font-size: 12.5px; font-variant-numeric: tabular-nums; }
.decided-note { margin: 8px 0 0; color: var(--muted); font-size: 12.5px; }
.server-note { margin: 8px 0 0; font-size: 12.5px; color: var(--muted); }
.server-note summary { cursor: pointer; color: var(--text); }
.server-note p { margin: 6px 0 0; }
.server-note code { overflow-wrap: anywhere; }
#cards { display: flex; flex-direction: column; gap: 16px; }
.card { background: var(--panel); border: 1px solid var(--border); border-radius: 12px; box-shadow: var(--shadow); overflow: hidden; }
.card:focus { outline: none; }
.card.current { border-color: var(--accent); box-shadow: 0 0 0 3px var(--accent-soft); }
.card-head { display: flex; align-items: center; gap: 10px 16px; padding: 10px 16px; border-bottom: 1px solid var(--border); flex-wrap: wrap; background: var(--panel-2); }
.card-title { display: flex; align-items: center; gap: 6px; flex-wrap: wrap; }
.kind { font-weight: 650; margin-right: 4px; }
.kind-exact::before, .kind-near::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 7px; vertical-align: 1px; }
.kind-exact::before { background: var(--discard); }
.kind-near::before { background: var(--accent); }
.card-facts > span { white-space: nowrap; }
.card-facts { display: flex; gap: 2px 14px; color: var(--muted); font-size: 13px; flex-wrap: wrap; font-variant-numeric: tabular-nums; }
.card-facts .reclaim { color: var(--keep); font-weight: 600; }
.card-facts .needs-review { color: var(--review); font-weight: 600; }
.gid { margin-left: auto; color: var(--muted); }
.members { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 14px; padding: 14px 16px 16px; }
.member { margin: 0; border: 1px solid var(--border); border-radius: 10px; overflow: hidden; display: flex; flex-direction: column; background: var(--panel); }
.member.rec-keep { border-color: var(--keep); box-shadow: 0 0 0 1px var(--keep) inset; }
.media { position: relative; aspect-ratio: 4 / 3; background: var(--panel-2); }
.thumb { display: block; width: 100%; height: 100%; }
.thumb img { width: 100%; height: 100%; object-fit: cover; display: block; }
.ph { width: 100%; height: 100%; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 8px; color: var(--muted); font-size: 12px; }
.ph-icon { width: 34px; height: 26px; border: 2px solid currentColor; border-radius: 5px; opacity: .55; position: relative; }
.ph-icon::after { content: ""; position: absolute; left: 5px; bottom: 4px; width: 0; height: 0; border-left: 8px solid transparent; border-right: 8px solid transparent; border-bottom: 10px solid currentColor; }
.badge { position: absolute; top: 8px; left: 8px; padding: 3px 9px; border-radius: 99px; font-size: 12px; font-weight: 700; letter-spacing: .02em; box-shadow: 0 1px 3px rgba(0,0,0,.25); }
.badge-keep { background: var(--keep); color: #fff; }
.badge-discard { background: var(--discard); color: #fff; }
.badge-review { background: #e3a008; color: #231a00; }
.rank { position: absolute; top: 8px; right: 8px; padding: 2px 7px; border-radius: 6px; font-size: 12px; font-weight: 650; background: rgba(0,0,0,.6); color: #fff; font-variant-numeric: tabular-nums; }
.companion { position: absolute; bottom: 8px; left: 8px; padding: 2px 7px; border-radius: 6px; font-size: 11px; background: rgba(0,0,0,.6); color: #fff; }
figcaption { padding: 10px 12px 12px; display: flex; flex-direction: column; gap: 8px; min-width: 0; }
.fname { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.scoreline { display: grid; grid-template-columns: 1fr auto; gap: 4px 8px; align-items: center; font-size: 12.5px; }
.scoreline .bar { grid-column: 1 / -1; height: 7px; }
.fill { display: block; height: 100%; border-radius: 99px; background: var(--accent); }
.rec-keep .fill { background: var(--keep); }
.rec-discard .fill { background: var(--discard); }
.rec-review .fill { background: var(--review); }
.score { font-weight: 650; font-variant-numeric: tabular-nums; }
.margin { color: var(--muted); text-align: right; font-variant-numeric: tabular-nums; }
.margin.close { color: var(--review); font-weight: 600; }
.reasons { margin: 0; padding-left: 18px; font-size: 12.5px; color: var(--text); }
.reasons li { margin: 1px 0; overflow-wrap: anywhere; }
.suggested { font-size: 12px; color: var(--muted); }
.merge { font-size: 12.5px; background: var(--panel-2); border-radius: 6px; padding: 5px 8px; overflow-wrap: anywhere; }
.lose { font-size: 12.5px; background: var(--review-soft); color: var(--review); border-radius: 6px; padding: 5px 8px; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: fit-content(45%) minmax(0, 1fr); gap: 2px 10px; margin: 0; font-size: 12.5px; }
.facts dt { color: var(--muted); min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.facts dd { margin: 0; min-width: 0; overflow-wrap: break-word; font-variant-numeric: tabular-nums; border-radius: 4px; padding: 0 4px; margin-left: -4px; }
.facts dd.metric { font-family: var(--mono); font-size: 12px; }
.facts dd.diff { background: var(--diff); box-shadow: inset 2px 0 0 var(--diff-border); }
.empty { padding: 40px; text-align: center; color: var(--muted); background: var(--panel); border: 1px dashed var(--border); border-radius: 12px; }
.metrics-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; margin-bottom: 18px; }
.metric-card { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); padding: 14px 16px; box-shadow: var(--shadow); }
.metric-head { display: flex; justify-content: space-between; align-items: baseline; gap: 10px; margin-bottom: 6px; }
.metric-head h3 { font-family: var(--mono); font-size: 13px; overflow-wrap: anywhere; }
.hist { width: 100%; height: auto; display: block; }
.hist .bin { fill: var(--accent); opacity: .85; }
.hist .bin:hover { opacity: 1; }
.hist .axis { stroke: var(--border); }
.hist .threshold { stroke: var(--discard); stroke-width: 2; stroke-dasharray: 4 3; }
.hist .tick { fill: var(--muted); font-size: 11px; font-family: inherit; }
.threshold-note { margin: 4px 0 0; font-size: 12px; color: var(--discard); }
.metric-stats { display: grid; grid-template-columns: repeat(5, 1fr); gap: 6px; margin: 10px 0 0; }
.metric-stats div { background: var(--panel-2); border-radius: 6px; padding: 4px 6px; }
.metric-stats dt { color: var(--muted); font-size: 11px; }
.metric-stats dd { margin: 0; font-variant-numeric: tabular-nums; font-weight: 600; font-size: 13px; }
.table-wrap { overflow-x: auto; background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); }
table { width: 100%; border-collapse: collapse; font-size: 13px; }
th { text-align: left; color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; background: var(--panel-2); }
th, td { padding: 7px 12px; border-bottom: 1px solid var(--border); vertical-align: middle; }
tr:last-child td { border-bottom: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.small { font-size: 12px; color: var(--muted); }
td.fname { max-width: 280px; }
td.reason { overflow-wrap: anywhere; }
td.mini { width: 64px; }
.mini-thumb { display: block; width: 56px; height: 42px; border-radius: 5px; overflow: hidden; background: var(--panel-2); }
.mini-thumb img { width: 100%; height: 100%; object-fit: cover; display: block; }
.mini-thumb .ph { font-size: 0; gap: 0; }
.mini-thumb .ph-icon { transform: scale(.6); }
.note { color: var(--muted); margin: -4px 0 12px; }
.issues-grid { display: grid; grid-template-columns: minmax(0, 1fr); gap: 18px; }
.nb { white-space: nowrap; }
.tz-copy { display: inline-block; }
.tz-list { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
.tz { background: var(--panel); border: 1px solid var(--border); border-left: 3px solid var(--review); border-radius: 8px; padding: 8px 12px; }
.tz-reason { font-weight: 600; overflow-wrap: anywhere; }
.tz-files { margin: 4px 0 0; padding-left: 18px; font-size: 13px; }
footer { max-width: 1440px; margin: 0 auto; padding: 0 24px 40px; color: var(--muted); font-size: 12px; }
noscript { display: block; padding: 40px; text-align: center; }
@media (max-width: 720px) {
  .top-inner, main { padding-left: 12px; padding-right: 12px; }
  nav.sections, .brand small { display: none; }
  .top { position: static; }
  .top-inner { gap: 12px; }
  .summary-row { grid-template-columns: 1fr; }
  .controls { position: static; }
  .control:has(#search) { flex: 1 1 100%; }
  input[type=search] { width: 100%; }
  .keys { display: none; }
  .members { grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); padding: 10px; }
  .card-actions { padding: 8px 10px 0; }
  .metric-stats { grid-template-columns: repeat(3, 1fr); }
  .metrics-grid { grid-template-columns: minmax(0, 1fr); }
  .stats { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .gid { margin-left: 0; }
  #rejected table, #rejected tbody, #rejected tr, #rejected td { display: block; }
  #rejected thead { display: none; }
  #rejected tr { padding: 8px 12px; border-bottom: 1px solid var(--border); }
  #rejected tr:last-child { border-bottom: 0; }
  #rejected td { padding: 2px 0; border: 0; text-align: left; }
  #rejected td::before { content: attr(data-label); display: inline-block; min-width: 64px; color: var(--muted); font-size: 12px; }
  .overlay-panel { top: 12px; transform: translate(-50%, 0); }
}
@media (max-width: 480px) {
  .members { grid-template-columns: minmax(0, 1fr); }
}
`
