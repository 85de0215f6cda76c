// validate.mjs — check HTTP responses against data/openapi.json (fisc serve's
// OpenAPI 3 document) without any package: the subset of JSON Schema the
// document uses ($ref, type, enum, required, properties,
// additionalProperties: false, items, minItems, maxItems).
//
// usage: node validate.mjs OPENAPI LIST
// LIST: one response a line, "METHOD PATH-TEMPLATE STATUS FILE"; prints every
// mismatch and exits 1 when there is one.
import { readFileSync } from 'node:fs';

const [, , specPath, listPath] = process.argv;
const spec = JSON.parse(readFileSync(specPath, 'utf8'));

function resolve(s) {
  while (s && s.$ref) {
    s = s.$ref.replace(/^#\//, '').split('/').reduce((o, k) => o[k], spec);
  }
  return s;
}

function typeOf(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function check(v, schema, where, errs) {
  const s = resolve(schema);
  if (!s) return;
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const t = typeOf(v);
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) {
      errs.push(`${where}: ${t}, want ${types.join('|')}`);
      return;
    }
  }
  if (s.enum && !s.enum.includes(v)) errs.push(`${where}: ${JSON.stringify(v)} not in enum`);
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) errs.push(`${where}: too few items`);
    if (s.maxItems !== undefined && v.length > s.maxItems) errs.push(`${where}: too many items`);
    if (s.items) v.forEach((x, i) => check(x, s.items, `${where}[${i}]`, errs));
  } else if (typeOf(v) === 'object') {
    for (const k of s.required || []) if (!(k in v)) errs.push(`${where}: missing ${k}`);
    for (const [k, x] of Object.entries(v)) {
      if (s.properties && k in s.properties) check(x, s.properties[k], `${where}.${k}`, errs);
      else if (s.additionalProperties === false) errs.push(`${where}: unexpected ${k}`);
    }
  }
}

let bad = 0, n = 0;
for (const line of readFileSync(listPath, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const [method, path, status, file] = line.split(' ');
  const op = spec.paths[path]?.[method.toLowerCase()];
  const errs = [];
  // A path or method the document does not have must be refused (404, 405)
  // with the document's error object.
  if (!op && status !== '404' && status !== '405') errs.push(`undocumented operation answered ${status}`);
  const resp = op ? resolve(op.responses[status]) : resolve(spec.components.responses.Error);
  if (op && !resp) errs.push(`status ${status} not documented`);
  const schema = resp?.content?.['application/json']?.schema;
  if (resp && !schema) errs.push('no JSON schema for the response');
  if (schema) {
    let body;
    try { body = JSON.parse(readFileSync(file, 'utf8')); }
    catch (e) { errs.push(`not JSON: ${e.message}`); }
    if (body !== undefined) check(body, schema, '$', errs);
  }
  n++;
  if (errs.length) { bad++; console.log(`${method} ${path} ${status}: ${errs.slice(0, 5).join('; ')}`); }
}
console.log(`openapi: ${n} responses checked, ${bad} invalid`);
process.exit(bad ? 1 : 0);
