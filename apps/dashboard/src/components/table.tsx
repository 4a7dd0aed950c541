import type { ReactNode } from 'react';

/** A table that scrolls sideways on narrow screens, a header per column, `children` its rows. */
export function Table({
  className,
  columns,
  children,
}: {
  readonly className: string;
  readonly columns: readonly string[];
  readonly children: ReactNode;
}): ReactNode {
  return (
    <div className="table-wrap">
      <table className={className}>
        <thead>
          <tr>
            {columns.map((name, index) => (
              <th scope="col" key={`${name}-${index}`}>
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
