/**
 * The deployment examples in deploy/ parse, and every `retain` command line they run is one the
 * program accepts: its command, arguments and flags are parsed by the real commander program, which is
 * stopped just before the command would run.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram, type CommandInfo } from '../../src/cli/program.js';

const DEPLOY = resolve(import.meta.dirname, '../../deploy');
const read = (path: string) => readFileSync(resolve(DEPLOY, path), 'utf8');

/** Values a shell would give the variables the examples use. */
const SHELL_VALUES: Record<string, string> = {
  month: '2025-07',
  run: '/data/retain/2025-07',
  JOB_COMPLETION_INDEX: '2',
  SHARDS: '4',
};

/** Splits a shell command into words: double quotes group, $name and ${name} expand, * stays. */
function shellWords(command: string): string[] {
  const expanded = command.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
    const value = SHELL_VALUES[name];
    if (value === undefined) throw new Error(`unknown shell variable $${name} in: ${command}`);
    return value;
  });
  const words: string[] = [];
  for (const m of expanded.matchAll(/(?:"[^"]*"|[^\s"])+/g)) words.push(m[0].replaceAll('"', ''));
  return words;
}

/** The `retain …` command lines in a shell script, cut at `;`, `&&`, `||` and redirections. */
function retainCommands(script: string): string[][] {
  const commands: string[][] = [];
  for (const part of script.split(/;|&&|\|\||\n/)) {
    if (!/(^|\s)retain\s+[a-z]/.test(part)) continue;
    const words = shellWords(part.replace(/\d?>>?\S+/g, '').trim());
    const at = words.indexOf('retain');
    if (at >= 0 && words[at + 1] !== undefined && /^[a-z]/.test(words[at + 1]!)) {
      commands.push(words.slice(at + 1));
    }
  }
  return commands;
}

class Parsed extends Error {
  constructor(readonly command: CommandInfo) {
    super('parsed');
  }
}

/** Parses `args` with the real program; resolves to the command that would have run. */
async function parseRetain(args: string[]): Promise<string> {
  const program = buildProgram((_, command) => {
    throw new Parsed(command);
  });
  const silent = { writeOut: () => {}, writeErr: () => {}, outputError: () => {} };
  for (const c of [program, ...program.commands]) c.configureOutput(silent);
  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (err) {
    if (err instanceof Parsed) return err.command.name;
    throw new Error(`not a valid retain command line: retain ${args.join(' ')}: ${(err as Error).message}`);
  }
  throw new Error(`retain ${args.join(' ')} ran nothing`);
}

interface CronJob {
  kind: string;
  spec: {
    schedule: string;
    concurrencyPolicy: string;
    jobTemplate: {
      spec: {
        completionMode: string;
        completions: number;
        parallelism: number;
        template: {
          spec: {
            restartPolicy: string;
            containers: { command: string[]; args: string[]; env: { name: string; value: string }[] }[];
          };
        };
      };
    };
  };
}

describe('deploy/', () => {
  it('the Kubernetes CronJob runs N shards as an Indexed Job, then merges them', async () => {
    const job = parse(read('kubernetes/retain-monthly.yaml')) as CronJob;
    expect(job.kind).toBe('CronJob');
    expect(job.spec.schedule).toBe('0 2 1 * *');
    expect(job.spec.concurrencyPolicy).toBe('Forbid');
    const spec = job.spec.jobTemplate.spec;
    expect(spec.completionMode).toBe('Indexed');
    const [container] = spec.template.spec.containers;
    const shards = Number(container!.env.find((e) => e.name === 'SHARDS')!.value);
    expect(spec.completions).toBe(shards);
    expect(spec.parallelism).toBe(shards);
    const commands = retainCommands(container!.args.join('\n'));
    expect(await Promise.all(commands.map(parseRetain))).toEqual(['score', 'merge']);
    const score = commands[0]!;
    expect(score[score.indexOf('--shard') + 1]).toBe('2/4');
    // Each shard writes its own folder, and merge reads them all.
    expect(score[score.indexOf('--out') + 1]).toBe('/data/retain/2025-07/shards/2');
    expect(commands[1]).toContain('/data/retain/2025-07/shards/*');
  });

  it('the cron line and the systemd service run valid retain command lines', async () => {
    const cron = read('cron/retain.cron')
      .split('\n')
      .filter((l) => /^\d/.test(l));
    expect(cron).toHaveLength(1);
    const fields = cron[0]!.split(/\s+/);
    expect(fields.slice(0, 6)).toEqual(['0', '2', '1', '*', '*', 'retain']);
    const fromCron = retainCommands(fields.slice(6).join(' ').replaceAll('\\%', '%'));
    expect(await Promise.all(fromCron.map(parseRetain))).toEqual(['score', 'report']);

    const service = read('systemd/retain-score.service').replace(/\\\n/g, ' ');
    const exec = /^ExecStart=\/bin\/bash -euo pipefail -c '(.*)'$/m.exec(service)?.[1];
    expect(exec).toBeDefined();
    const fromService = retainCommands(exec!.replaceAll('%%', '%'));
    expect(await Promise.all(fromService.map(parseRetain))).toEqual(['score', 'report']);
    expect(read('systemd/retain-score.timer')).toMatch(/^OnCalendar=\*-\*-01 02:00:00$/m);
  });

  it('finds a command line the program refuses', async () => {
    await expect(parseRetain(['score', 'b.csv', '--format', 'xml'])).rejects.toThrow(/not a valid/);
    await expect(parseRetain(['score', 'b.csv', '--no-such-flag'])).rejects.toThrow(/not a valid/);
  });
});
