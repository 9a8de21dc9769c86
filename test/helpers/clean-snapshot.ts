/**
 * A small snapshot with no warnings (src/data/snapshots/warnings.ts), for the warning tests to
 * break one way at a time: machines M1, M2 (type lathe) and M3 (mill), a default calendar with
 * a lunch break; six jobs, each a lathe task (1.5-4 h, on M1 or M2) then a mill task (2 h, on
 * M3 only), released in the first hours and due between 20 and 45 h.
 */
export function cleanSnapshot() {
  return {
    version: 1,
    name: 'clean',
    start: '2026-11-02T06:00:00Z',
    machines: [
      { id: 'M1', type: 'lathe' },
      { id: 'M2', type: 'lathe' },
      { id: 'M3', type: 'mill' },
    ],
    calendars: { default: { breaks: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, start: 12, end: 12.5 })), holidays: [] as { start: number; end: number; name?: string }[] } } as Record<string, { breaks: { weekday: number; start: number; end: number }[]; holidays: { start: number; end: number; name?: string }[] }>,
    jobs: [1, 2, 3, 4, 5, 6].map((i) => ({
      id: `J${i}`,
      due: 15 + 5 * i,
      release: i % 3,
      important: i === 1,
      tasks: [
        { id: `J${i}.1`, seq: 1, duration: 1.5 + (i % 4) * 0.75, machines: ['M1', 'M2'] },
        { id: `J${i}.2`, seq: 2, duration: 2, machines: ['M3'] },
      ],
    })),
  };
}
