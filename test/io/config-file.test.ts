import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, InputError, loadConfig } from '../../src/index.js';
import { tempDir } from './helpers.js';

describe('loadConfig', () => {
  it('uses defaults without a file and retain.config.json from cwd when present', async () => {
    const dir = tempDir();
    expect(await loadConfig(undefined, dir)).toEqual(DEFAULT_CONFIG);
    writeFileSync(join(dir, 'retain.config.json'), JSON.stringify({ input: { max_bad_row_share: 0.2 } }));
    expect((await loadConfig(undefined, dir)).input.max_bad_row_share).toBe(0.2);
  });

  it('lists every problem with its file and dot-path', async () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'c.json'),
      JSON.stringify({ input: { max_bad_row_share: 2 }, tiers: { bounds: [3, 2, 1] } }),
    );
    const err = await loadConfig('c.json', dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    const lines = (err as Error).message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${join(dir, 'c.json')}: input\\.max_bad_row_share: `));
    expect(lines[1]).toBe(`${join(dir, 'c.json')}: tiers.bounds: must be increasing`);
  });

  it('reports invalid JSON with its position, and a missing named file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{\n  "input": {,\n}');
    await expect(loadConfig('bad.json', dir)).rejects.toThrow(
      /bad\.json: not valid JSON \(line 2, column 13\): Expected property name or '\}'$/,
    );
    await expect(loadConfig('nope.json', dir)).rejects.toThrow(InputError);
  });

  it.each([
    ['LF', '\n'],
    ['CR LF', '\r\n'],
    ['lone CR (an old Mac editor)', '\r'],
  ])(
    'places a JSON error by line and column with %s line ends, after a byte-order mark too',
    async (_, eol) => {
      const dir = tempDir();
      // The stray comma is on line 3, column 12, whatever ends the lines.
      const text = ['{', '  "input": {', '    "x": 1,,', '  }', '}'].join(eol);
      writeFileSync(join(dir, 'bad.json'), text);
      await expect(loadConfig('bad.json', dir)).rejects.toThrow(/\(line 3, column 12\)/);
      writeFileSync(join(dir, 'bom.json'), `\ufeff${text}`);
      await expect(loadConfig('bom.json', dir)).rejects.toThrow(/\(line 3, column 12\)/);
    },
  );

  it('counts a column in characters, an emoji among them as one', async () => {
    const dir = tempDir();
    // The second comma is the 17th character of line 2; "📞" is two UTF-16 units.
    writeFileSync(join(dir, 'emoji.json'), '{\n  "x": "📞 care",,\n}');
    await expect(loadConfig('emoji.json', dir)).rejects.toThrow(/\(line 2, column 17\)/);
  });

  it.each([
    ['UTF-16LE', (t: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(t, 'utf16le')])],
    ['UTF-16LE', (t: string) => Buffer.from(t, 'utf16le')],
  ])('names a config file saved as %s rather than failing on its first byte', async (encoding, bytes) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'wide.json'), bytes('{\n  "input": { "max_bad_row_share": 0.2 }\n}\n'));
    await expect(loadConfig('wide.json', dir)).rejects.toThrow(
      `${join(dir, 'wide.json')}: the config file is ${encoding} text; save it as UTF-8`,
    );
  });

  it.each(['null', '[]', '42', '"x"'])(
    'refuses a file holding %s, naming the file and (root)',
    async (text) => {
      const dir = tempDir();
      writeFileSync(join(dir, 'retain.config.json'), text);
      const err = await loadConfig(undefined, dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(
        new RegExp(
          `^${join(dir, 'retain.config.json')}: \\(root\\): must be a JSON object of settings, not `,
        ),
      );
    },
  );

  it('echoes the text near a syntax error with its control bytes escaped', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.json'), `{"a": \x1b[31m}`);
    const err = (await loadConfig('c.json', dir).catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/not valid JSON \(line 1, column 7\): Unexpected token/);
    expect(err.message).not.toContain('\x1b');
  });

  it.each([
    ['a Python-style True', '{\n  "drift": {"retrain_above": True}\n}\n', '(line 2, column 30)'],
    ['a comment', '// mine\n{}', '(line 1, column 1)'],
    ['NaN', '{"x": NaN}', '(line 1, column 7)'],
    ['a file cut short', '{\n  "segments": {"k": 5', '(at its end, line 2, column 22)'],
  ])('places %s, which JSON.parse gives no position for', async (_, text, where) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.json'), text);
    await expect(loadConfig('c.json', dir)).rejects.toThrow(`c.json: not valid JSON ${where}: `);
  });

  it('says an empty config file is empty', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.json'), ' \n');
    await expect(loadConfig('c.json', dir)).rejects.toThrow(
      /c\.json: the config file is empty; write \{\} for every default, or remove it$/,
    );
  });
});
