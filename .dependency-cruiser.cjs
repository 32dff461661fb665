/**
 * The import rules of src/, checked by `npm run lint:deps` (part of `npm test`): no import circle
 * between files, and no file importing from a folder that sits after its own in the flow
 * io → features → segment, model → effect, uplift → lifecycle → targets → report → pipeline → cli
 * (docs/ARCHITECTURE.md). The files at the top of src/ (frame, errors, config, calendar, …) are shared
 * by every stage and import from none of the folders; src/index.ts is the public barrel.
 */
const FLOW = [
  ['io'],
  ['features'],
  ['segment', 'model'],
  ['effect', 'uplift'],
  ['lifecycle'],
  ['targets'],
  ['report'],
  ['pipeline'],
  ['cli'],
];

const later = (level) => FLOW.slice(level + 1).flat();

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import circle: the files cannot be understood, tested or loaded one at a time.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'shared-files-import-no-stage',
      severity: 'error',
      comment: 'The files at the top of src/ are shared by every stage, so they import from none.',
      from: { path: '^src/[^/]+\\.ts$', pathNot: '^src/index\\.ts$' },
      to: { path: `^src/(${FLOW.flat().join('|')})/` },
    },
    ...FLOW.slice(0, -1).flatMap((folders, level) =>
      folders.map((folder) => ({
        name: `${folder}-imports-nothing-downstream`,
        severity: 'error',
        comment: `src/${folder}/ sits before ${later(level).join(', ')} in the flow and may not import from them.`,
        from: { path: `^src/${folder}/` },
        to: { path: `^src/(${later(level).join('|')})/` },
      })),
    ),
    {
      name: 'segment-and-model-are-siblings',
      severity: 'error',
      comment: 'Segments and the churn model are fitted side by side; neither depends on the other.',
      from: { path: '^src/(segment|model)/' },
      to: { path: '^src/(segment|model)/', pathNot: '^src/$1/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
