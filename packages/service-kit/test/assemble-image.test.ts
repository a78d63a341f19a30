import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runtimeClosure } from '../../../scripts/assemble-image';
import { measureDirectory } from '../../../scripts/image-contents';

/** A pnpm-style tree: packages live in node_modules/.pnpm/<name>@<version>/node_modules/<name>, dependencies are links beside them. */
function pnpmTree(
  packages: Record<
    string,
    { dependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional: boolean }> }
  >,
  topLevel: string[],
) {
  const root = mkdtempSync(join(tmpdir(), 'callvault-closure-'));
  const storeDir = (id: string) => join(root, 'node_modules', '.pnpm', id, 'node_modules');
  for (const [id, manifest] of Object.entries(packages)) {
    const name = id.slice(0, id.lastIndexOf('@'));
    mkdirSync(join(storeDir(id), name), { recursive: true });
    writeFileSync(join(storeDir(id), name, 'package.json'), JSON.stringify({ name, ...manifest }));
    for (const [dependency, version] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (packages[`${dependency}@${version}`]) symlinkSync(join(storeDir(`${dependency}@${version}`), dependency), join(storeDir(id), dependency));
    }
  }
  for (const id of topLevel) symlinkSync(join(storeDir(id), id.slice(0, id.lastIndexOf('@'))), join(root, 'node_modules', id.slice(0, id.lastIndexOf('@'))));
  return root;
}

describe('runtimeClosure', () => {
  it('hoists what it can, nests a second version under its dependent, and brings required peers only', () => {
    const root = pnpmTree(
      {
        'a@1': { dependencies: { b: '2' }, peerDependencies: { p: '1', typescript: '5' }, peerDependenciesMeta: { typescript: { optional: true } } },
        'b@1': {},
        'b@2': { dependencies: { c: '1' } },
        'c@1': {},
        'p@1': {},
        'typescript@5': {},
      },
      ['b@1', 'a@1', 'p@1', 'typescript@5'],
    );
    const closure = runtimeClosure(['b', 'a'], root);
    const layout = Object.fromEntries([...closure].map(([path, dir]) => [path, relative(join(root, 'node_modules', '.pnpm'), dir).split('/')[0]]));
    expect(layout).toEqual({
      'node_modules/b': 'b@1',
      'node_modules/a': 'a@1',
      'node_modules/a/node_modules/b': 'b@2',
      'node_modules/c': 'c@1',
      'node_modules/p': 'p@1',
    });
  });

  it('refuses a dependency it cannot resolve rather than ship an image that fails at start', () => {
    const root = pnpmTree({ 'a@1': { dependencies: { missing: '1' } } }, ['a@1']);
    expect(() => runtimeClosure(['a'], root)).toThrow(/cannot resolve missing/);
  });
});

describe('measureDirectory', () => {
  it('counts the bytes and files of a tree', () => {
    const root = mkdtempSync(join(tmpdir(), 'callvault-measure-'));
    mkdirSync(join(root, 'inner'));
    writeFileSync(join(root, 'a'), 'x'.repeat(1000));
    writeFileSync(join(root, 'inner', 'b'), 'y'.repeat(24));
    expect(measureDirectory(root)).toEqual({ bytes: 1024, files: 2 });
  });
});
