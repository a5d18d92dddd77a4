import { formatDuration } from '../model/duration.js';
import type { BarStatus, Timeline } from './run-report-timeline.js';

/**
 * The run's timeline as an inline SVG Gantt chart for the HTML report: drawn here, with no
 * script, font or network, so the page works as one file in an archive or an email. The axis
 * counts from the run's start (+5m, +10m …): an elapsed scale reads the same in every time zone.
 * Colours come from CSS classes the page defines (`bar-succeeded`, …), so dark mode and print
 * restyle it.
 */

const LABEL_WIDTH = 230;
const CHART_WIDTH = 620;
const ROW = 20;
const BAR = 12;
const AXIS = 26;

const TICKS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400].map((s) => s * 1000);

export function renderGanttSvg(timeline: Timeline): string {
  const span = Math.max(1, timeline.end - timeline.start);
  const x = (t: number) => LABEL_WIDTH + ((t - timeline.start) / span) * CHART_WIDTH;
  const rows: string[] = [];
  let y = AXIS;
  for (const section of timeline.sections) {
    rows.push(`<text class="section" x="4" y="${y + ROW - 6}">${escapeXml(section.title)}</text>`);
    y += ROW;
    for (const bar of section.bars) {
      const x0 = x(bar.start);
      const width = Math.max(0, x(bar.end) - x0);
      const duration = formatDuration(bar.end - bar.start);
      const tip = `${bar.label}: ${bar.status}${bar.open ? ' (not finished)' : ''}, ${duration}${bar.steps.length > 1 ? `, ${bar.steps.length} steps` : ''}`;
      rows.push(`<g class="bar-${bar.status}"><title>${escapeXml(tip)}</title>`);
      rows.push(`<text class="label" x="12" y="${y + ROW - 6}">${escapeXml(truncate(bar.label, 32))}</text>`);
      if (width < 2) {
        const cx = round(x0);
        const cy = y + ROW / 2;
        rows.push(`<path class="mark" d="M${cx} ${cy - 5}L${cx + 5} ${cy}L${cx} ${cy + 5}L${cx - 5} ${cy}Z"/>`);
      } else {
        rows.push(`<rect class="mark${bar.open ? ' open' : ''}" x="${round(x0)}" y="${y + (ROW - BAR) / 2}" width="${round(width)}" height="${BAR}" rx="2"/>`);
      }
      rows.push('</g>');
      y += ROW;
    }
  }
  const height = y + 6;
  const tick = TICKS_MS.find((t) => span / t <= 8) ?? 86_400_000 * Math.ceil(span / (8 * 86_400_000));
  const axis: string[] = [];
  for (let t = 0; t <= span; t += tick) {
    const tx = round(x(timeline.start + t));
    axis.push(`<line class="grid" x1="${tx}" y1="${AXIS - 6}" x2="${tx}" y2="${height}"/>`);
    axis.push(`<text class="tick" x="${tx}" y="${AXIS - 10}" text-anchor="middle">${t === 0 ? '0' : `+${formatDuration(t)}`}</text>`);
  }
  const total = LABEL_WIDTH + CHART_WIDTH + 20;
  return [
    `<svg class="gantt" viewBox="0 0 ${total} ${height}" width="${total}" height="${height}" role="img" aria-label="timeline of the run, ${formatDuration(span)}">`,
    ...axis,
    ...rows,
    '</svg>',
  ].join('\n');
}

/** The statuses the page must style. */
export const BAR_STATUSES: readonly BarStatus[] = ['succeeded', 'failed', 'running', 'waiting', 'skipped', 'cancelled'];

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
