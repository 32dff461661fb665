/**
 * The command synopses of README.md and docs/CLI.md name only options the program declares, for the
 * command they are under, with the program's choices: a renamed flag or a new format cannot leave
 * the docs behind.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';

const program = buildProgram(() => {
  throw new Error('no command runs here');
});
const commands = new Map(program.commands.map((c) => [c.name(), c]));

/** The synopsis block's commands (a line starting with spaces continues the one above). */
function synopses(file: string): { command: string; text: string }[] {
  const text = readFileSync(resolve(import.meta.dirname, '../..', file), 'utf8');
  const block = text.match(/```\n(retain validate[\s\S]*?)```/)?.[1] ?? '';
  const out: { command: string; text: string }[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('retain ')) out.push({ command: line.split(' ')[1]!, text: line });
    else if (line.trim() !== '') out.at(-1)!.text += ` ${line.trim()}`;
  }
  return out;
}

describe.each(['README.md', 'docs/CLI.md'])('the synopsis of %s', (file) => {
  const lines = synopses(file);

  it('covers every command', () => {
    expect([...new Set(lines.map((l) => l.command))].sort()).toEqual([...commands.keys()].sort());
  });

  it.each(lines.map((l, i) => [`${l.command} (line ${i + 1})`, l] as const))(
    '%s: declared flags and choices',
    (_, line) => {
      const command = commands.get(line.command)!;
      for (const [, flag, values] of line.text.matchAll(/(--[a-z-]+)(?: ([a-z-]+(?:\|[a-z-]+)+))?/g)) {
        const option = command.options.find((o) => o.long === flag);
        expect(option, `${line.command} ${flag}`).toBeDefined();
        if (values !== undefined && option!.argChoices)
          expect(values.split('|').sort(), `${line.command} ${flag}`).toEqual([...option!.argChoices].sort());
      }
    },
  );
});
