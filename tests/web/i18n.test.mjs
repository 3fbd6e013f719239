// SPDX-License-Identifier: GPL-3.0-or-later
// The web pages' catalogues (resources/web/i18n.js) are complete: every key
// of the English catalogue exists, non-empty, in every other language, with
// the same {0}, {1}… placeholders, and no language has keys English lacks.
// Also checks how a language is chosen from navigator.languages.
// Usage: node i18n.test.mjs <path to i18n.js>
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import path from 'node:path';

const file = path.resolve(process.argv[2] || new URL('../../resources/web/i18n.js', import.meta.url).pathname);
const i18n = createRequire(import.meta.url)(file);
const shipped = ['en', 'de', 'fr', 'es', 'zh-CN'];
const placeholders = (s) => [...s.matchAll(/\{(\d)\}/g)].map((m) => m[1]).sort().join(',');
const problems = [];

for (const name of ['dashboard', 'login']) {
  const catalogues = i18n[name];
  assert.deepEqual(Object.keys(catalogues).sort(), [...shipped].sort(), `${name}: languages`);
  const en = catalogues.en;
  assert.ok(Object.keys(en).length > (name === 'login' ? 10 : 80), `${name}: English is nearly empty`);
  for (const lang of shipped) {
    const messages = catalogues[lang];
    for (const [key, source] of Object.entries(en)) {
      const text = messages[key];
      if (typeof text !== 'string' || !text.trim()) {
        problems.push(`${name}.${lang}: "${key}" is missing`);
        continue;
      }
      if (placeholders(text) !== placeholders(source))
        problems.push(`${name}.${lang}: "${key}" has placeholders {${placeholders(text)}}, not {${placeholders(source)}}`);
    }
    for (const key of Object.keys(messages))
      if (!(key in en)) problems.push(`${name}.${lang}: "${key}" is not in the English catalogue`);
  }
}

// The first language with a catalogue wins; Traditional Chinese is skipped.
const cases = [
  [['fr-CA', 'en'], 'fr'], [['es-419'], 'es'], [['zh-CN'], 'zh-CN'], [['zh'], 'zh-CN'],
  [['zh-Hans-SG'], 'zh-CN'], [['zh-TW', 'de'], 'de'], [['ja', 'es'], 'es'], [['pt-BR'], 'en'],
  [['de-AT', 'fr'], 'de'], [[], 'en'],
];
for (const [languages, expected] of cases) {
  const got = i18n.pick(languages);
  if (got !== expected) problems.push(`pick(${JSON.stringify(languages)}) is ${got}, not ${expected}`);
}

if (problems.length) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log(`i18n: ${shipped.length} languages complete (${Object.keys(i18n.dashboard.en).length} dashboard keys, ` +
  `${Object.keys(i18n.login.en).length} login keys)`);
