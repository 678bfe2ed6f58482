/**
 * Documentation cites only clause IDs that exist in the regulation (docs/regulation/clauses.md; the list is
 * lib/clause-ids.json, kept equal to clauses.md by test/models/lint-rules.test.ts).
 */
const CLAUSES = new Set(require('../lib/clause-ids.json'));

const CLAUSE_ID = /\b(G|P|PUB|PRO|EMG|PC|IM|AC|SV|SU)-\d+\b/g;

module.exports = () => {
  function check(node, reporter) {
    for (const doc of node.documentation || []) {
      for (const id of (doc.text || '').match(CLAUSE_ID) || []) {
        if (!CLAUSES.has(id))
          reporter.report(node.id, `Documentation cites clause ${id}, which the regulation lacks`);
      }
    }
  }
  return { check };
};
