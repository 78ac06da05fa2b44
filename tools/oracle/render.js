#!/usr/bin/env node
// Reference CSL rendering with citeproc-js (npm `citeproc`, pinned in package-lock.json).
//
// Usage: node render.js [REQUEST.json]        (reads stdin when no file is given)
//
// A request is one job or an array of jobs; the answer has the same shape. A job:
//   {style_path, locale_path | (locales_dir + lang), items: [CSL-JSON],
//    clusters: [[{id, locator, label, prefix, suffix, suppress-author, author-only}] |
//               {cites: [...], note: N}], formats: ["text", "html"]}
// An answer:
//   {bibliography: {text: [[id, entry], ...], html: [...]}, omitted: [ids],
//    citations: {text: [...], html: [...]}, timing_ms: {...}, processor: "citeproc-js x.y.z"}
//
// Every item is registered as uncited (like nocite @*) before the bibliography is made, so
// the bibliography never depends on the clusters. The clusters are then processed in order
// with processCitationCluster; in a note style cluster n sits in note n, so ibid and
// subsequent forms come out as in a document. Each format gets its own processor instance:
// citeproc-js caches rendered cites per format, and a fresh instance keeps the formats
// independent of each other.
//
// HTML entries are returned without citeproc-js's `<div class="csl-entry">` wrapper and all
// entries without the trailing newline, so they compare with exilebib's entry text directly.

"use strict";

const fs = require("fs");
const path = require("path");
const CSL = require("citeproc");

const PROCESSOR = "citeproc-js " + require("citeproc/package.json").version;

function readJson(file) {
  return JSON.parse(fs.readFileSync(file === "-" ? 0 : file, "utf8"));
}

function now() {
  return Number(process.hrtime.bigint()) / 1e6;
}

function localeSource(job) {
  // The locale files live in one folder (citeproc-py's data dir); citeproc-js also asks for
  // en-US as its fallback, so serve any language from that folder.
  let dir = job.locales_dir;
  let lang = job.lang;
  if (job.locale_path) {
    dir = path.dirname(job.locale_path);
    const match = /locales-([^/\\]+)\.xml$/.exec(job.locale_path);
    if (!match) throw new Error(`locale_path must be named locales-LANG.xml: ${job.locale_path}`);
    lang = lang || match[1];
  }
  if (!dir || !lang) throw new Error("a job needs locale_path, or locales_dir and lang");
  const cache = new Map();
  const retrieve = (wanted) => {
    if (!cache.has(wanted)) {
      const file = path.join(dir, `locales-${wanted}.xml`);
      cache.set(wanted, fs.existsSync(file) ? fs.readFileSync(file, "utf8") : false);
    }
    return cache.get(wanted);
  };
  return { lang, retrieve };
}

// makeBibliography() returns entry_ids for every registered item but strings only for the
// entries that printed something, so the two lists do not line up when an item renders
// nothing. Each entry is therefore tagged with its item id by the entry decoration itself
// (citeproc-js sets system_id on the entry blob when the host has no embedBibliographyEntry).
const ID_OPEN = "\u0002";
const ID_CLOSE = "\u0003";
for (const format of ["text", "html"]) {
  const spec = CSL.Output.Formats[format];
  const original = spec["@bibliography/entry"];
  spec["@bibliography/entry"] = function (state, str) {
    return ID_OPEN + this.system_id + ID_CLOSE + original.call(this, state, str);
  };
}

function splitTagged(entry) {
  const match = /^\u0002([^\u0003]*)\u0003([\s\S]*)$/.exec(entry);
  if (!match) throw new Error(`bibliography entry without its id tag: ${JSON.stringify(entry)}`);
  return [match[1], match[2]];
}

function makeEngine(styleXml, locale, itemsById, format) {
  const sys = {
    retrieveLocale: (lang) => locale.retrieve(lang),
    retrieveItem: (id) => itemsById.get(id),
  };
  // forceLang=true: the requested locale wins over the style's default-locale, as in exilebib.
  const engine = new CSL.Engine(sys, styleXml, locale.lang, true);
  engine.setOutputFormat(format);
  return engine;
}

function stripEntry(entry, format) {
  let text = entry.replace(/\n+$/, "");
  if (format === "html") {
    text = text.replace(/^\s*<div class="csl-entry">/, "").replace(/<\/div>\s*$/, "");
  }
  return text.trim();
}

function renderJob(job) {
  const timing = {};
  let t0 = now();
  const styleXml = fs.readFileSync(job.style_path, "utf8");
  const locale = localeSource(job);
  const items = job.items || [];
  const itemsById = new Map(items.map((item) => [String(item.id), item]));
  const ids = items.map((item) => String(item.id));
  const clusters = job.clusters || [];
  const formats = job.formats || ["text", "html"];
  timing.read = now() - t0;

  const answer = { processor: PROCESSOR, bibliography: {}, omitted: [], citations: {} };
  const omitted = new Set();
  for (const format of formats) {
    t0 = now();
    const engine = makeEngine(styleXml, locale, itemsById, format);
    timing[`${format}_load`] = now() - t0;

    t0 = now();
    engine.updateUncitedItems(ids);
    const entries = [];
    if (engine.bibliography && engine.bibliography.tokens.length) {
      const [, strings] = engine.makeBibliography();
      const printed = new Set();
      for (const tagged of strings) {
        const [id, raw] = splitTagged(tagged);
        const text = stripEntry(raw, format);
        if (text) {
          entries.push([id, text]);
          printed.add(id);
        }
      }
      for (const id of ids) if (!printed.has(id)) omitted.add(id);
    }
    answer.bibliography[format] = entries;
    timing[`${format}_bibliography`] = now() - t0;

    t0 = now();
    const noteStyle = engine.opt.xclass === "note";
    const rendered = [];
    const pre = [];
    clusters.forEach((entry, index) => {
      // a cluster is a list of cites, or {cites, note} with its own note number (a
      // document's citations: several may share a note, and in-text ones have note 0)
      const cluster = Array.isArray(entry) ? entry : entry.cites;
      const noteIndex = Array.isArray(entry) ? (noteStyle ? index + 1 : 0) : entry.note;
      const citation = {
        citationID: `cluster-${index + 1}`,
        citationItems: cluster.map((cite) => {
          const item = { id: String(cite.id) };
          if (cite.locator) {
            item.locator = String(cite.locator);
            item.label = cite.label || "page";
          }
          for (const option of ["prefix", "suffix", "suppress-author", "author-only"]) {
            if (cite[option]) item[option] = cite[option];
          }
          return item;
        }),
        properties: { noteIndex },
      };
      const [, updates] = engine.processCitationCluster(citation, pre, []);
      // Later clusters can change earlier ones (disambiguation); keep the latest text.
      for (const [position, text] of updates) rendered[position] = text;
      pre.push([citation.citationID, citation.properties.noteIndex]);
    });
    answer.citations[format] = rendered.map((text) => (text || "").trim());
    timing[`${format}_citations`] = now() - t0;
  }
  answer.omitted = ids.filter((id) => omitted.has(id));
  answer.timing_ms = timing;
  return answer;
}

function main() {
  const request = readJson(process.argv[2] || "-");
  const answer = Array.isArray(request) ? request.map(renderJob) : renderJob(request);
  process.stdout.write(JSON.stringify(answer));
  process.stdout.write("\n");
}

main();
