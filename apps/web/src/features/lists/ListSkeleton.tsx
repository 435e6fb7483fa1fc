import { Skeleton } from 'antd';
import type { ReactNode } from 'react';

/** Grey rows standing in for a table's rows while its first page loads. */
export function ListSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div data-testid="list-skeleton" style={{ padding: '8px 16px', textAlign: 'start' }}>
      <Skeleton active title={false} paragraph={{ rows, width: '100%' }} />
    </div>
  );
}

/**
 * A table's `locale.emptyText`: the skeleton while nothing has arrived yet, the empty state
 * only once the server said there is nothing — never "暂无数据" before the data.
 */
export function emptyOrSkeleton(pending: boolean, empty: ReactNode): ReactNode {
  return pending ? <ListSkeleton /> : empty;
}
