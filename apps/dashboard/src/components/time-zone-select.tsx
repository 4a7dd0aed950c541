import { type ReactNode, useMemo } from 'react';
import { timeZoneOptions } from '../zones';

/** A select of every IANA zone the browser knows; `follow` adds a first option that means "the other zone". */
export function TimeZoneSelect({
  id,
  value,
  onChange,
  follow,
  ...aria
}: {
  readonly id: string;
  readonly value: string;
  readonly onChange: (zone: string) => void;
  /** The label of the '' option, when there is one. */
  readonly follow?: string;
  readonly 'aria-invalid'?: true;
  readonly 'aria-describedby'?: string;
}): ReactNode {
  const zones = useMemo(() => timeZoneOptions(value === '' ? 'UTC' : value), [value]);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} {...aria}>
      {follow !== undefined && <option value="">{follow}</option>}
      {zones.map((zone) => (
        <option key={zone} value={zone}>
          {zone}
        </option>
      ))}
    </select>
  );
}
