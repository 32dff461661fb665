/**
 * `retain-run.json`: the mark of a folder retain wrote (`score`, `merge`). It records the command,
 * the retain version, the inputs with their sizes, the model id, the month, the table format, for a
 * shard its index, count and subscribers, and the size and SHA-256 of every file written. It is
 * written last, inside the temporary folder, so a folder holding a valid one is complete; it is what
 * lets a later run replace the folder, and lets readers check the files are the ones written.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { VERSION } from '../version.js';

export const RUN_MANIFEST = 'retain-run.json';
export const RUN_FORMAT = 'retain-run';
export const RUN_VERSION = 1;

/** A path inside the folder: relative, `/`-separated, never leaving it. */
const insidePath = z
  .string()
  .min(1)
  .refine(
    (p) => !p.startsWith('/') && !p.includes('\\') && !p.split('/').some((s) => s === '..' || s === ''),
    {
      message: 'not a path inside the folder',
    },
  );

const fileEntry = z.object({
  path: insidePath,
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

const inputEntry = z.object({
  path: z.string().min(1),
  kind: z.string().min(1),
  bytes: z.number().int().min(0),
  /** For a folder input (a shard): the SHA-256 of its retain-run.json. */
  sha256: z.string().optional(),
});

const shardEntry = z.object({
  index: z.number().int().min(0),
  count: z.number().int().min(1),
  subscribers: z.number().int().min(0),
});

const manifestSchema = z.object({
  format: z.literal(RUN_FORMAT),
  version: z.literal(RUN_VERSION),
  command: z.enum(['score', 'merge']),
  retain_version: z.string(),
  month: z.string().nullable(),
  model_id: z.string(),
  table_format: z.enum(['csv', 'arrow', 'parquet']),
  inputs: z.array(inputEntry),
  shard: shardEntry.nullable(),
  files: z.array(fileEntry),
});

export type RunManifest = z.infer<typeof manifestSchema>;
export type RunInput = z.infer<typeof inputEntry>;
export type RunFile = z.infer<typeof fileEntry>;
/** What the command knows of its run; the files are listed when the folder is complete. */
export type RunRecord = Omit<RunManifest, 'format' | 'version' | 'retain_version' | 'files'>;

export async function sha256File(path: string): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

export const sha256Bytes = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Every file under `dir`, as sorted `/`-separated relative paths; folders themselves are not listed. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) for (const f of await listFiles(join(dir, e.name))) out.push(`${e.name}/${f}`);
    else out.push(e.name);
  }
  return out.sort();
}

/** Size and SHA-256 of files taken as they were written, by their path inside the folder. */
export type WrittenFiles = Map<string, { readonly bytes: number; readonly sha256: string }>;

/**
 * Lists and hashes the files of the complete folder `dir` and writes its manifest. A file `written`
 * names was hashed as it was written and is not read again.
 */
export async function writeRunManifest(
  dir: string,
  record: RunRecord,
  written: ReadonlyMap<string, { readonly bytes: number; readonly sha256: string }> = new Map(),
): Promise<RunManifest> {
  const files: RunFile[] = [];
  for (const path of await listFiles(dir)) {
    if (path === RUN_MANIFEST) continue;
    files.push({ path, ...(written.get(path) ?? (await sha256File(join(dir, ...path.split('/'))))) });
  }
  const manifest: RunManifest = {
    format: RUN_FORMAT,
    version: RUN_VERSION,
    command: record.command,
    retain_version: VERSION,
    month: record.month,
    model_id: record.model_id,
    table_format: record.table_format,
    inputs: record.inputs,
    shard: record.shard,
    files,
  };
  await writeFile(join(dir, RUN_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
  return manifest;
}

export type ManifestRead =
  | { readonly state: 'missing' }
  | { readonly state: 'damaged'; readonly why: string }
  | { readonly state: 'ok'; readonly manifest: RunManifest; readonly sha256: string };

export async function readRunManifest(dir: string): Promise<ManifestRead> {
  let text: Buffer;
  try {
    text = await readFile(join(dir, RUN_MANIFEST));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'missing' };
    return { state: 'damaged', why: `cannot read it (${code ?? err})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.toString('utf8'));
  } catch (err) {
    return { state: 'damaged', why: `not valid JSON (${(err as Error).message})` };
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
    return { state: 'damaged', why: first.join('; ') };
  }
  return { state: 'ok', manifest: r.data, sha256: sha256Bytes(text) };
}

/** The inputs of a run with their sizes as they are now (a path that cannot be read is left out). */
export async function describeInputs(
  inputs: readonly { readonly path: string; readonly kind: string }[],
): Promise<RunInput[]> {
  const out: RunInput[] = [];
  for (const i of inputs) {
    try {
      const st = await stat(i.path);
      if (st.isFile()) out.push({ path: i.path, kind: i.kind, bytes: st.size });
    } catch {
      // Not read by this run after all (it would have failed otherwise).
    }
  }
  return out;
}
