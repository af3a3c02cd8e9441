/**
 * The README's figures held to what a benchmark measures: read a table out of
 * a README section, compare a quoted percentage with a measured one at a stated
 * tolerance, print the claims as one table and set the exit code when one is
 * not met. Shared by `bench:claims`, `bench:non-digit` and the `adapt` rows of
 * `npm run bench`, so every figure the README quotes fails visibly the same way.
 */

/** One figure: what the README (or a target) says, what this run measured, and whether they agree. */
export interface Claim {
  claim: string;
  /** The README's figure, or the target, as written there; `missing` when the README has none. */
  quoted: string;
  measured: string;
  /** `null`: not judged (a figure the README states for context, or a row not run). */
  met: boolean | null;
}

/**
 * The text of the README section under `heading` (a line such as `## Not a digit`),
 * up to the next heading of the same or a higher level; '' when there is none.
 */
export function readmeSection(readme: string, heading: string): string {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start < 0) return '';
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/**
 * The body rows (cells trimmed) of the first Markdown table in `text` whose header's
 * first cell is `firstHeader`, and that header's cells. Empty when there is no such table.
 */
export function markdownTable(text: string, firstHeader: string): { header: string[]; rows: string[][] } {
  const cells = (line: string) => line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim());
  const lines = text.split('\n');
  const at = lines.findIndex((l) => l.trim().startsWith('|') && cells(l)[0] === firstHeader);
  if (at < 0) return { header: [], rows: [] };
  const rows: string[][] = [];
  for (let i = at + 2; i < lines.length && lines[i].trim().startsWith('|'); i++) rows.push(cells(lines[i]));
  return { header: cells(lines[at]), rows };
}

/** Every percentage in a cell, in order (`"0.24 % (0.85 %)"` → `[0.24, 0.85]`), as written. */
export function percentages(cell: string | undefined): string[] {
  return [...(cell ?? '').matchAll(/(\d+(?:\.\d+)?) ?%/g)].map((m) => m[1]);
}

/**
 * A quoted percentage against a measured fraction: met when they differ by at most
 * `tolerance` points, or by half the quoted figure's last digit (its rounding),
 * whichever is larger.
 */
export function percentClaim(claim: string, quoted: string | undefined, measured: number, tolerance: number): Claim {
  const measuredText = `${(measured * 100).toFixed(2)} %`;
  if (quoted === undefined) return { claim, quoted: 'missing', measured: measuredText, met: false };
  const decimals = quoted.split('.')[1]?.length ?? 0;
  const allowed = Math.max(tolerance, 0.5 * 10 ** -decimals) + 1e-9;
  return { claim, quoted: `${quoted} %`, measured: measuredText, met: Math.abs(Number(quoted) - measured * 100) <= allowed };
}

/** A target (not a README figure): `quoted` is the target as the issue states it. */
export function targetClaim(claim: string, target: string, measured: string, met: boolean): Claim {
  return { claim: `target: ${claim}`, quoted: target, measured, met };
}

/**
 * Prints the claims as a table under `title`, and sets `process.exitCode` to 1 when
 * one is not met (a README figure this run does not reproduce, a missed target, a
 * figure the README lacks), unless `reportOnly`. Returns the claims not met.
 */
export function reportClaims(title: string, claims: readonly Claim[], reportOnly: boolean): Claim[] {
  const w = Math.max(5, ...claims.map((c) => c.claim.length));
  const q = Math.max(6, ...claims.map((c) => c.quoted.length));
  const m = Math.max(8, ...claims.map((c) => c.measured.length));
  console.log(`\n${title}\n`);
  console.log(`${'claim'.padEnd(w)}  ${'README'.padStart(q)}  ${'measured'.padStart(m)}  met`);
  for (const c of claims) {
    console.log(`${c.claim.padEnd(w)}  ${c.quoted.padStart(q)}  ${c.measured.padStart(m)}  ${c.met === null ? '–' : c.met ? 'yes' : 'NO'}`);
  }
  const missed = claims.filter((c) => c.met === false);
  if (missed.length) {
    console.error(`\n${missed.length} figure(s) or target(s) not met${reportOnly ? ' (--report-only: exit 0)' : ''}:\n  ${missed.map((c) => c.claim).join('\n  ')}`);
    if (!reportOnly) process.exitCode = 1;
  }
  return missed;
}
