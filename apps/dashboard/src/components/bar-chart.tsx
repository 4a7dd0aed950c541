import type { ReactNode } from 'react';

export interface Bar {
  readonly label: string;
  readonly value: number;
  /** Shown instead of the value (a duration, say). */
  readonly display?: string;
  readonly className?: string;
}

/** Horizontal bars with their values as text, so the numbers are read, not guessed. */
export function HorizontalBars({
  bars,
  label,
}: {
  readonly bars: readonly Bar[];
  readonly label: string;
}): ReactNode {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  return (
    <ul className="hbars" aria-label={label}>
      {bars.map((bar) => (
        <li key={bar.label}>
          <span className="hbar-label">{bar.label}</span>
          <span className="hbar-track">
            <span
              className={`hbar-fill ${bar.className ?? ''}`}
              style={{ width: `${(bar.value / max) * 100}%` }}
            />
          </span>
          <span className="hbar-value">{bar.display ?? bar.value.toLocaleString()}</span>
        </li>
      ))}
    </ul>
  );
}

/** Vertical bars over time (one per hour), drawn in SVG with a text summary for screen readers. */
export function ColumnChart({
  columns,
  label,
}: {
  readonly columns: readonly { readonly label: string; readonly value: number }[];
  readonly label: string;
}): ReactNode {
  const max = Math.max(1, ...columns.map((column) => column.value));
  const width = 24 * Math.max(columns.length, 1);
  const height = 120;
  const total = columns.reduce((sum, column) => sum + column.value, 0);
  return (
    <figure className="columns">
      <svg
        viewBox={`0 0 ${width} ${height + 16}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`${label}: ${total} in all`}
      >
        {columns.map((column, index) => {
          const h = (column.value / max) * height;
          return (
            <g key={column.label}>
              <rect
                x={index * 24 + 3}
                y={height - h}
                width={18}
                height={Math.max(h, column.value > 0 ? 2 : 0)}
                className="column"
              >
                <title>{`${column.label}: ${column.value}`}</title>
              </rect>
              <rect x={index * 24} y={height} width={24} height={1} className="axis" />
            </g>
          );
        })}
      </svg>
      <figcaption className="columns-axis">
        <span>{columns[0]?.label}</span>
        <span>{columns[columns.length - 1]?.label}</span>
      </figcaption>
    </figure>
  );
}
