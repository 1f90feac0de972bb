/**
 * The functions with the most self time in a V8 `.cpuprofile` (what
 * `node --cpu-prof` writes): `npx tsx bench/cpu-profile.ts FILE [TOP]`.
 * Self time is summed per function name and script location.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly name: string;
  readonly milliseconds: number;
  readonly share: number;
}

function frameName({ callFrame }: ProfileNode): string {
  const where = callFrame.url.startsWith('file://')
    ? relative(process.cwd(), fileURLToPath(callFrame.url))
    : callFrame.url;
  const name = callFrame.functionName || '(anonymous)';
  return where ? `${name} ${where}:${callFrame.lineNumber + 1}` : name;
}

/** Self time per function, largest first. */
export function topSelfTime(path: string, top = 25): SelfTime[] {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const names = new Map(profile.nodes.map((node) => [node.id, frameName(node)]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const name = names.get(id) ?? '?';
    totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const all = [...totals.values()].reduce((sum, value) => sum + value, 0);
  return [...totals]
    .map(([name, milliseconds]) => ({ name, milliseconds, share: milliseconds / all }))
    .sort((a, b) => b.milliseconds - a.milliseconds)
    .slice(0, top);
}

export function printSelfTime(path: string, top?: number): void {
  for (const { name, milliseconds, share } of topSelfTime(path, top)) {
    console.log(
      `${milliseconds.toFixed(0).padStart(7)} ms ${(share * 100).toFixed(1).padStart(5)}%  ${name}`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, top] = process.argv.slice(2);
  if (file === undefined) {
    console.error('usage: npx tsx bench/cpu-profile.ts FILE.cpuprofile [TOP]');
    process.exit(2);
  }
  printSelfTime(file, top === undefined ? undefined : Number(top));
}
