import { type ReactNode, useState } from 'react';

/** Keyset paging through an api list: the cursors of the pages before this one. */
export interface CursorPages {
  /** The cursor of this page; undefined on the first. */
  readonly cursor: string | undefined;
  /** 1 on the first page. */
  readonly number: number;
  readonly hasPrevious: boolean;
  readonly previous: () => void;
  readonly next: (cursor: string) => void;
  /** Back to the first page (the list changed under it). */
  readonly reset: () => void;
}

export function useCursorPages(): CursorPages {
  // "Previous" pops, "Next" pushes.
  const [cursors, setCursors] = useState<readonly string[]>([]);
  return {
    cursor: cursors[cursors.length - 1],
    number: cursors.length + 1,
    hasPrevious: cursors.length > 0,
    previous: () => setCursors(cursors.slice(0, -1)),
    next: (cursor) => setCursors([...cursors, cursor]),
    reset: () => setCursors([]),
  };
}

/** Previous and next buttons under a list; nothing while the list fits on one page (or loads). */
export function Pager({
  pages,
  list,
  previous,
  next,
  showNumber = false,
}: {
  readonly pages: CursorPages;
  /** The api's answer for this page. */
  readonly list: { readonly nextCursor: string | null } | undefined;
  readonly previous: string;
  readonly next: string;
  readonly showNumber?: boolean;
}): ReactNode {
  if (list === undefined) return null;
  const { nextCursor } = list;
  if (!pages.hasPrevious && nextCursor === null) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button
        type="button"
        className="button secondary small"
        disabled={!pages.hasPrevious}
        onClick={() => pages.previous()}
      >
        {previous}
      </button>
      {showNumber && <span className="muted">Page {pages.number}</span>}
      <button
        type="button"
        className="button secondary small"
        disabled={nextCursor === null}
        onClick={() => nextCursor !== null && pages.next(nextCursor)}
      >
        {next}
      </button>
    </nav>
  );
}
