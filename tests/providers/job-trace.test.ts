import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { looksLikeStderr, parseJobTrace } from '../../clients/git-providers/job-trace';
import { type GitLabJob, groupJobsByStage } from '../../clients/git-providers/pipeline-view';

const ESC = '\x1b';
const start = (at: number, name: string, header: string, options = '') =>
  `${ESC}[0Ksection_start:${at}:${name}${options}\r${ESC}[0K${header}`;
const end = (at: number, name: string) => `${ESC}[0Ksection_end:${at}:${name}\r${ESC}[0K`;

// Shaped like a GitLab Runner trace: runner banner, collapsible sections, a red error line, a progress bar.
const trace = [
  `${ESC}[0KRunning with gitlab-runner 17.5.0 (abc)${ESC}[0;m`,
  start(1700000000, 'prepare_script', `${ESC}[0K${ESC}[36;1mPreparing environment${ESC}[0;m`),
  'Running on runner-1 via host...',
  end(1700000003, 'prepare_script'),
  start(1700000003, 'step_script', `${ESC}[0K${ESC}[36;1mExecuting "step_script" stage${ESC}[0;m`, '[collapsed=true]'),
  `${ESC}[32;1m$ npm test${ESC}[0;m`,
  'downloading 10%\rdownloading 55%\rdownloading 100%',
  `${ESC}[31;1mnpm ERR! test failed${ESC}[0;m`,
  end(1700000013, 'step_script'),
  `${ESC}[31;1mERROR: Job failed: exit code 1${ESC}[0;m`,
  '',
].join('\n');

describe('GitLab job trace parsing', () => {
  const parsed = parseJobTrace(trace);

  it('numbers the displayed lines and keeps ANSI colours for the UI', () => {
    expect(parsed.lines.map((l) => l.n)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parsed.lines[1]!.text).toBe(`${ESC}[0K${ESC}[36;1mPreparing environment${ESC}[0;m`);
    expect(parsed.lines[4]!.text).toBe(`${ESC}[32;1m$ npm test${ESC}[0;m`);
  });

  it('shows what a terminal shows for carriage-return progress lines', () => {
    expect(parsed.lines[5]!.text).toBe('downloading 100%');
  });

  it('finds sections with their headers, ranges, durations and collapsed flag', () => {
    expect(parsed.sections).toEqual([
      {
        name: 'prepare_script',
        header: parsed.lines[1]!.text,
        startLine: 2,
        endLine: 3,
        durationSeconds: 3,
        collapsed: false,
        parent: null,
      },
      {
        name: 'step_script',
        header: parsed.lines[3]!.text,
        startLine: 4,
        endLine: 7,
        durationSeconds: 10,
        collapsed: true,
        parent: null,
      },
    ]);
    expect(parsed.lines.map((l) => l.section)).toEqual([
      null,
      'prepare_script',
      'prepare_script',
      'step_script',
      'step_script',
      'step_script',
      'step_script',
      null,
    ]);
  });

  it('marks red and ERROR: lines as stderr, by heuristic, and says so', () => {
    expect(parsed.streamDetection).toBe('heuristic');
    expect(parsed.lines.filter((l) => l.stream === 'stderr').map((l) => l.n)).toEqual([7, 8]);
    expect(looksLikeStderr('fatal: repository not found')).toBe(true);
    expect(looksLikeStderr(`${ESC}[32mok${ESC}[0m then ${ESC}[31mred${ESC}[0m`)).toBe(false);
  });

  it('keeps only the last lines of a long trace and reports the cut', () => {
    const long = parseJobTrace(Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n'), 10);
    expect(long).toMatchObject({ totalLines: 50, truncated: true });
    expect(long.lines.map((l) => l.n)).toEqual([41, 42, 43, 44, 45, 46, 47, 48, 49, 50]);
  });

  it('leaves a section open while the job still runs', () => {
    const running = parseJobTrace(`${start(1, 'step_script', 'Executing')}\n$ make\n`);
    expect(running.sections[0]).toMatchObject({ endLine: null, durationSeconds: null });
  });
});

const fixture = path.resolve(
  fileURLToPath(new URL('../..', import.meta.url)),
  '../shared/fixtures/webhooks/gitlab/pipeline.json',
);

describe.skipIf(!existsSync(fixture))('GitLab pipeline payload from the shared fixtures', () => {
  it('groups its jobs in the stage order GitLab declares', () => {
    const payload = JSON.parse(readFileSync(fixture, 'utf8')) as {
      object_attributes: { stages: string[] };
      builds: (Omit<GitLabJob, 'web_url'> & { id: number })[];
    };
    const stages = groupJobsByStage(payload.builds.map((b) => ({ ...b, web_url: `https://gitlab/jobs/${b.id}` })));
    expect(stages.map((s) => s.name)).toEqual(payload.object_attributes.stages);
    expect(stages.map((s) => s.status)).toEqual(['Success', 'Failed', 'Pending']);
  });
});
