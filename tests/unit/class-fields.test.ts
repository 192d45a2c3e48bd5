/**
 * Every class field exists from construction (docs/architecture.md, "Cheap before V8 optimises
 * it"). tsconfig keeps `useDefineForClassFields: false` (Lit's decorators need it), so a field
 * declared without an initializer is not created by the constructor: the first assignment,
 * maybe minutes later, adds it to a long-lived object. That changes the object's hidden class:
 * V8 then throws away the optimised code that relied on the old one, and objects of one class
 * end up with several shapes (60 such fields were found: peers, the write cache, the UI's
 * controllers). So a field is either initialised where declared (`= undefined` will do),
 * assigned in the constructor, or marked `!` for a factory that sets it before the object is
 * handed out.
 */
import ts from 'typescript';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

/** Fields of `code`'s classes that the constructor does not create, as `Class.field`. */
function lateFields(fileName: string, code: string): string[] {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true);
  const late: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isClassLike(node)) {
      const ctor = node.members.find(ts.isConstructorDeclaration);
      const body = ctor?.body?.getText(source) ?? '';
      for (const member of node.members) {
        if (!ts.isPropertyDeclaration(member) || member.initializer || member.exclamationToken)
          continue;
        const modifiers = ts.getModifiers(member) ?? [];
        const skipped = [ts.SyntaxKind.StaticKeyword, ts.SyntaxKind.DeclareKeyword];
        if (modifiers.some((m) => skipped.includes(m.kind))) continue;
        if (ts.getDecorators(member)?.length) continue; // Lit's accessors own these
        const name = member.name.getText(source);
        if (new RegExp(`this\\.${name}\\s*=[^=]`).test(body)) continue;
        late.push(`${node.name?.getText(source) ?? '(class)'}.${name}`);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return late;
}

describe('class fields', () => {
  it('finds a field first assigned outside the constructor, and accepts the three ways out', () => {
    const code = `
      class Late { timer: number | undefined; start() { this.timer = 1; } }
      class Fine {
        a: number | undefined = undefined;
        b: number;
        c!: string;
        static d: number;
        @property() e: string;
        constructor() { this.b = 2; }
      }`;
    expect(lateFields('planted.ts', code)).toEqual(['Late.timer']);
  });

  it('holds for every class of the app, core and tracker', () => {
    const files = execFileSync('git', ['ls-files', 'core/*.ts', 'client/*.ts', 'tracker/*.ts'], {
      cwd: root,
      encoding: 'utf8',
    })
      .split('\n')
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
    expect(files.length).toBeGreaterThan(100);
    const late = files.flatMap((f) =>
      lateFields(f, readFileSync(root + f, 'utf8')).map((field) => `${f}: ${field}`),
    );
    expect(late).toEqual([]);
  });
});
