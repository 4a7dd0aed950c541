import type { ReactNode } from 'react';
import type { EmailStatus } from '../types';

export function StatusBadge({ status }: { readonly status: EmailStatus }): ReactNode {
  return <span className={`badge badge-${status}`}>{status}</span>;
}
