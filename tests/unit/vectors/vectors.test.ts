/**
 * Every conformance vector in docs/vectors/*.json against the code: each file has a checker,
 * each checker covers every section of its file, and every vector passes it.
 */
import { describe, expect, it } from 'vitest';
import { SPECS, loadVectorFile, vectorFileNames } from './files.js';
import { vectorsOf } from './spec.js';

describe('docs/vectors', () => {
  it('has a checker for every file and a file for every checker', () => {
    expect(vectorFileNames()).toEqual(Object.keys(SPECS).sort());
  });

  describe.each(vectorFileNames())('%s.json', (name) => {
    const file = loadVectorFile(name);
    const spec = SPECS[name]!;

    it('has a description and no section without a checker', () => {
      expect(typeof file.description).toBe('string');
      expect(
        Object.keys(file)
          .filter((k) => k !== 'description')
          .sort(),
      ).toEqual(Object.keys(spec).sort());
    });

    const vectors = vectorsOf(file, spec);
    it.each(vectors.map(([section, label, vector]) => ({ section, label, vector })))(
      '$label',
      async ({ section, vector }) => {
        await spec[section]!.check(vector, file);
      },
    );
  });
});
