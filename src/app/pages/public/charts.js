// Inline SVG charts: horizontal bars with the value written beside each bar, so the chart reads without colour
// and the numbers are there for a screen reader (each chart also has a table-like description).

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

/**
 * rows: [{ label, value, note? }]. Width follows the container (viewBox scaled); labels keep their own column.
 */
export function barChart(title, rows, { format = String, color = '#1f5fa8', width = 560 } = {}) {
  // `width` is the width the chart will have on screen, so that its text keeps its size on a phone too.
  const barHeight = 26;
  const gap = 10;
  const labelWidth = Math.round(Math.min(150, width * 0.32));
  const valueWidth = Math.round(Math.min(110, width * 0.24));
  const height = Math.max(1, rows.length) * (barHeight + gap) + gap;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${title}：${rows.map((r) => `${r.label} ${format(r.value)}`).join('，') || '无数据'}`,
    class: 'chart',
  });
  root.append(svg('title', {}, title));
  if (rows.length === 0) {
    root.append(svg('text', { x: 10, y: 24, class: 'chart-empty' }, '暂无数据'));
    return root;
  }
  rows.forEach((r, i) => {
    const y = gap + i * (barHeight + gap);
    const w = Math.max(2, ((width - labelWidth - valueWidth) * r.value) / max);
    const maxChars = Math.max(4, Math.floor((labelWidth - 8) / 13));
    const label = r.label.length > maxChars ? `${r.label.slice(0, maxChars - 1)}…` : r.label;
    const text = svg(
      'text',
      { x: labelWidth - 8, y: y + barHeight * 0.68, 'text-anchor': 'end', class: 'chart-label' },
      label,
    );
    text.append(svg('title', {}, r.label));
    root.append(
      text,
      svg('rect', { x: labelWidth, y, width: w, height: barHeight, rx: 3, fill: r.color ?? color }),
      svg('text', { x: labelWidth + w + 6, y: y + barHeight * 0.68, class: 'chart-value' }, format(r.value)),
    );
  });
  return root;
}

/** A ring showing one share (e.g. tasks on time), with the percentage in the middle. */
export function ring(title, part, whole, { color = '#2e7d32' } = {}) {
  const pct = whole > 0 ? Math.round((part / whole) * 100) : 0;
  const r = 42;
  const c = 2 * Math.PI * r;
  const root = svg('svg', {
    viewBox: '0 0 120 120',
    role: 'img',
    'aria-label': `${title}：${pct}%（${part}/${whole}）`,
    class: 'ring',
  });
  root.append(
    svg('title', {}, title),
    svg('circle', { cx: 60, cy: 60, r, fill: 'none', stroke: '#e3e8ef', 'stroke-width': 14 }),
    svg('circle', {
      cx: 60,
      cy: 60,
      r,
      fill: 'none',
      stroke: color,
      'stroke-width': 14,
      'stroke-dasharray': `${(c * pct) / 100} ${c}`,
      transform: 'rotate(-90 60 60)',
    }),
    svg('text', { x: 60, y: 66, 'text-anchor': 'middle', class: 'ring-value' }, whole > 0 ? `${pct}%` : '—'),
  );
  return root;
}
