/**
 * `--help`: a short page per command, fit to the terminal's width, with examples, exit codes
 * and environment variables. The full reference is the README's "Using it" (`report`, `demo`) or
 * "Acting on the report" (`apply`, `undo`).
 */

/** One option line: its flags and what it does. */
type Entry = readonly [flags: string, text: string]

/** A titled list of options. */
interface Section {
  readonly title: string
  readonly entries: ReadonlyArray<Entry>
}

/** The help of one command. */
interface Page {
  readonly usage: ReadonlyArray<string>
  readonly about: string
  readonly sections: ReadonlyArray<Section>
  readonly examples: ReadonlyArray<Entry>
  /** Default: report's. */
  readonly exitCodes?: ReadonlyArray<Entry>
  /** The README section with the full reference (default "Using it"). */
  readonly reference?: string
}

/** The request flags of every command that talks to a server. */
const NETWORK: ReadonlyArray<Entry> = [
  ["--retries <n>", "Retries of a failed request (default 4)."],
  ["--timeout <duration>", "Per attempt: 30s, 500ms, 2m (default 60s)."]
]

const OUTPUT: Section = {
  title: "Output",
  entries: [
    ["-o, --out <dir>", "Folder for the reports (default ./albumsift-report)."],
    ["--format <list>", "A subset of html,csv,json (default all three)."],
    [
      "--thumbnails link|keep",
      "keep: download thumbnails into <out>/thumbs (default link; keep for Immich)."
    ],
    ["--csv-bom", "Start report.csv with a UTF-8 BOM, for Excel."],
    ["--json", "Print the summary as JSON on stdout."],
    ["-q, --quiet", "No progress and no summary; errors only."]
  ]
}

const DECISIONS: Section = {
  title: "Grouping and ranking",
  entries: [
    ["--burst-gap <s>", "Max seconds between shots of one camera to join a burst (default 2)."],
    ["--max-burst-span <s>", "A burst stops growing this long after its first shot (default 10)."],
    ["--weight <name=n>", "Weight of rating, favorite, a metric, or metric for all others. Repeatable."],
    ["--lower-is-better <m>", "A metric where lower is better. Repeatable or comma-separated."],
    ["--review-margin <0..1>", "Closer than this to the keeper is marked review (default 0.05)."],
    [
      "--low-quality <rule>",
      "A threshold like liqe_mix<1.375 and/or a bottom percentile (default 5%). Repeatable."
    ],
    [
      "--decisions <file>",
      "Your decisions to honour: decisions.json from report.html, or an edited report.csv."
    ],
    ["--strict", "Exit 1 when an item is rejected, 2 when a metric name is unknown."]
  ]
}

const PAGES: Readonly<Record<string, Page>> = {
  albumsift: {
    usage: [
      "albumsift report (--input <file|-> | --album <id>...) [options]",
      "albumsift demo [options]",
      "albumsift apply --report <dir> --action stack|remove-from-album|trash [--yes]",
      "albumsift undo --journal <file> [--yes]"
    ],
    about:
      "Finds duplicate and near-duplicate photos in albums from their metadata, ranks each group and says which copy to keep, and why.",
    sections: [
      {
        title: "Commands",
        entries: [
          ["report", "Analyse an exported album or albums on a server, and write the reports."],
          ["demo", "The same on the bundled sample album, offline."],
          ["apply", "Act on a report: stack, remove-from-album or trash (dry run unless --yes)."],
          ["undo", "Undo an apply run from its journal (dry run unless --yes)."]
        ]
      },
      {
        title: "Options",
        entries: [
          ["-h, --help", "This help; `albumsift <command> --help` for a command's options."],
          ["--version", "The version."]
        ]
      }
    ],
    examples: [
      ["albumsift demo", "See what it does on a sample album."],
      ["albumsift report --input album.json", "An exported album."],
      ["albumsift report --help", "Every option of report."]
    ]
  },
  report: {
    usage: ["albumsift report (--input <file|-> | --album <id>...) [options]"],
    about:
      "Analyses an exported album or albums on a server, and writes report.html, report.csv and report.json.",
    sections: [
      {
        title: "Source",
        entries: [
          [
            "-i, --input <file|->",
            "An exported album: JSON array, cursor page, NDJSON or Immich's own JSON. - is stdin."
          ],
          ["-a, --album <id>", "An album on the server. Repeatable."],
          ["--source gumnut|immich", "The server --album reads from (default gumnut)."],
          [
            "--base-url <url>",
            "The server (default GUMNUT_BASE_URL, else https://api.gumnut.ai; IMMICH_BASE_URL)."
          ],
          ["--listing <style>", "auto (default), seed or cursor (Gumnut), album or search (Immich)."],
          ["--concurrency <n>", "Albums fetched at once (default 4)."],
          ...NETWORK
        ]
      },
      OUTPUT,
      DECISIONS
    ],
    examples: [
      ["albumsift report --input album.json", "An exported album; the reports go to ./albumsift-report."],
      ["cat album.ndjson | albumsift report --input - -o out", "From stdin, into ./out."],
      ["albumsift report --album album_R99NCS4MdYwULi9UyBwy4z", "A Gumnut album (GUMNUT_API_KEY)."],
      ["albumsift report --source immich --base-url http://nas:2283 --album <uuid>", "An Immich album."]
    ]
  },
  demo: {
    usage: ["albumsift demo [options]"],
    about: "Writes the reports on the bundled sample album (300 items, with thumbnails), with no network.",
    sections: [OUTPUT, DECISIONS],
    examples: [["albumsift demo -o /tmp/demo", "Into /tmp/demo; open /tmp/demo/report.html."]]
  }
}

const EXIT_CODES: ReadonlyArray<Entry> = [
  ["0", "Done, with or without duplicates."],
  ["1", "A runtime failure (input, network, key, writing; --strict with rejected items). One line says why."],
  ["2", "A usage error (flag, value, source)."],
  ["130", "Interrupted."],
  ["143, 129", "Stopped by SIGTERM, SIGHUP; the previous reports stay."]
]

const ACT_EXIT_CODES: ReadonlyArray<Entry> = [
  ["0", "Done, or a dry run."],
  [
    "1",
    "A runtime failure (report, journal, network, key, a refused change). One line says why; the journal says what was done."
  ],
  ["2", "A usage error (flag, value, a journal of another run)."],
  ["130", "Interrupted; run it again with the same --journal to resume."],
  ["143, 129", "Stopped by SIGTERM, SIGHUP; resumed the same way."]
]

const ACTING: ReadonlyArray<Entry> = [
  ["--yes", "Make the changes. Without it: print the plan, send only GET requests, change nothing."],
  ["--json", "Print the plan and outcome as JSON."],
  ["-q, --quiet", "With --yes: print only the outcome."]
]

const ACT_PAGES: Readonly<Record<string, Page>> = {
  apply: {
    usage: [
      "albumsift apply --report <dir|report.json> --action stack|remove-from-album|trash [--decisions <file>] [--groups exact|near|all] [--journal <file>] [--yes]"
    ],
    about:
      "Acts on a report on the server it was read from: every change is checked against the server first, journalled, and undoable with `albumsift undo`.",
    sections: [
      {
        title: "What",
        entries: [
          ["--report <dir>", "The folder (or report.json) of an earlier `albumsift report`."],
          ["--action <a>", "stack (deletes nothing), remove-from-album, or trash (the server's soft trash)."],
          ["--groups <g>", "exact, near or all (default exact for trash, all otherwise)."],
          ["--decisions <file>", "Your decisions (JSON or an edited report.csv) over the recommendations."],
          [
            "--merge, --no-merge",
            "Give the keeper the albums, rating, description and GPS of its copies first."
          ],
          [
            "--journal <file>",
            "Default <report dir>/journal-<action>-<UTC time>.ndjson; an existing one resumes."
          ],
          ["--source, --base-url", "The server, when report.json names none (or it moved)."],
          ...NETWORK
        ]
      },
      { title: "Output", entries: ACTING }
    ],
    examples: [
      ["albumsift apply --report ./albumsift-report --action stack", "The plan for stacking each group."],
      [
        "albumsift apply --report ./albumsift-report --action trash --yes",
        "Trash the exact copies' discards."
      ]
    ],
    exitCodes: ACT_EXIT_CODES,
    reference: "Acting on the report"
  },
  undo: {
    usage: ["albumsift undo --journal <file> [--yes] [--base-url <url>]"],
    about:
      "Reverses the changes an apply journal records, newest first, on the server the journal names; it keeps its own journal, so it resumes too.",
    sections: [
      {
        title: "What",
        entries: [
          ["--journal <file>", "The journal an `albumsift apply` run printed."],
          ["--base-url <url>", "Only when the journal's server has moved."],
          ...NETWORK
        ]
      },
      { title: "Output", entries: ACTING }
    ],
    examples: [
      ["albumsift undo --journal ./albumsift-report/journal-trash-….ndjson --yes", "Put it all back."]
    ],
    exitCodes: ACT_EXIT_CODES,
    reference: "Acting on the report"
  }
}

const ENVIRONMENT: ReadonlyArray<Entry> = [
  ["GUMNUT_API_KEY", "The Gumnut key (never printed). GUMNUT_BASE_URL: the server."],
  ["IMMICH_API_KEY", "The Immich key (never printed). IMMICH_BASE_URL: the server."],
  ["NO_COLOR", "Any non-empty value turns colour off."],
  ["SOURCE_DATE_EPOCH", "Fixes generated_at, for byte-identical reports."],
  ["ALBUMSIFT_DEBUG", "1 adds the full cause after an error line, and says if the code cache was used."]
]

/** Commands that have a help page. */
export const commands: ReadonlyArray<string> = [...Object.keys(PAGES), ...Object.keys(ACT_PAGES)].filter(
  (c) => c !== "albumsift"
)

/** Words of `text` in lines of at most `width` characters (a longer word gets a line of its own). */
export const wrap = (text: string, width: number): Array<string> => {
  const lines: Array<string> = []
  let line = ""
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line)
      line = word
    } else line = line === "" ? word : `${line} ${word}`
  }
  if (line !== "") lines.push(line)
  return lines
}

/** A command line, indented by 2, its continuation lines by 4. */
const hanging = (command: string, width: number): Array<string> =>
  wrap(command, width - 4).map((l, i) => `${i === 0 ? "  " : "    "}${l}`)

/** Two columns: the left one as wide as its longest entry (capped), the right one wrapped. */
const table = (entries: ReadonlyArray<Entry>, width: number): Array<string> => {
  const left = Math.min(Math.max(...entries.map(([f]) => f.length)), Math.floor(width * 0.4))
  const right = Math.max(20, width - left - 4)
  return entries.flatMap(([flags, text]) => {
    const body = wrap(text, right)
    if (flags.length > left) return [`  ${flags}`, ...body.map((l) => `${" ".repeat(left + 4)}${l}`)]
    return body.map((l, i) => `${i === 0 ? `  ${flags.padEnd(left)}  ` : " ".repeat(left + 4)}${l}`)
  })
}

/** The help page of `command` (`albumsift` for the root), `width` columns wide. */
export const text = (command: string, width: number): string => {
  const page = PAGES[command] ?? ACT_PAGES[command] ?? PAGES.albumsift!
  const w = Math.max(50, Math.min(width, 100))
  const out = [
    "Usage:",
    ...page.usage.flatMap((u) => hanging(u, w)),
    "",
    ...wrap(page.about, w),
    ...page.sections.flatMap((s) => ["", `${s.title}:`, ...table(s.entries, w)]),
    "",
    "Examples:",
    ...page.examples.flatMap(([cmd, what]) => [
      ...hanging(cmd, w),
      ...wrap(what, w - 6).map((l) => `      ${l}`)
    ]),
    "",
    "Exit codes:",
    ...table(page.exitCodes ?? EXIT_CODES, w),
    "",
    "Environment:",
    ...table(ENVIRONMENT, w),
    "",
    ...wrap(`Full reference: the README's “${page.reference ?? "Using it"}” section.`, w)
  ]
  return `${out.join("\n")}\n`
}

/** Flags of any command that take a value (for "needs a value" hints). */
export const valueFlags: ReadonlyArray<string> = [
  ...new Set(
    [...Object.values(PAGES), ...Object.values(ACT_PAGES)].flatMap((p) =>
      p.sections.flatMap((s) =>
        s.entries
          .filter(([flags]) => /\s[<a-z]/.test(flags.replace(/^-\w, /, "")))
          .flatMap(([flags]) => flags.split(/,\s*|\s+/).filter((f) => f.startsWith("--")))
      )
    )
  )
]
