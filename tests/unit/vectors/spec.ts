/** How a vector file is checked: one checker per top-level section (docs/vectors/*.json). */

/* eslint-disable-next-line @typescript-eslint/no-explicit-any */
export type J = any;

export interface SectionSpec {
  /**
   * valid: an array of vectors whose every value is an expectation (one changed value must
   * fail the check); invalid: an array of inputs refused with a stated reason (changing the
   * reason must fail); whole: the section is one vector (an object, array or value).
   */
  kind: 'valid' | 'invalid' | 'whole';
  /** Keys whose values are free inputs (another input may give the same answer). */
  inputs?: string[];
  /** Throws if the vector does not match the code; `file` is the whole parsed file. */
  check(vector: J, file: J): void | Promise<void>;
}

export type FileSpec = Record<string, SectionSpec>;

/** Walk every vector of `file` under `spec`: [section, label, vector] for each check. */
export function vectorsOf(file: J, spec: FileSpec): [string, string, J][] {
  const out: [string, string, J][] = [];
  for (const [section, s] of Object.entries(spec)) {
    if (s.kind === 'whole') out.push([section, section, file[section]]);
    else
      (file[section] as J[]).forEach((v, i) =>
        out.push([section, `${section}[${i}]${v?.name ? ` ${v.name}` : ''}`, v]),
      );
  }
  return out;
}
