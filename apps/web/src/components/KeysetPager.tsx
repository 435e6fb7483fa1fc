import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { type CSSProperties, type ReactNode, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Keyset pages of a list: the stack of cursors that led to each page. Any change of the
 * list's filters or sort (its `filterKey`) starts over at the first page.
 */
export type KeysetPages = {
  /** The cursor of the page shown (null: the first page). */
  cursor: string | null;
  /** 1 on the first page. */
  pageNumber: number;
  hasPrevious: boolean;
  previous: () => void;
  next: (nextCursor: string | null) => void;
  /** Back to the first page (e.g. when the server no longer knows the cursor). */
  reset: () => void;
};

export function useKeysetPages(filterKey: string): KeysetPages {
  const [pages, setPages] = useState<{ key: string; cursors: (string | null)[] }>({
    key: filterKey,
    cursors: [null],
  });
  // The same object (and functions) until the pages or the filters change: safe in effects' dependencies.
  return useMemo((): KeysetPages => {
    const cursors = pages.key === filterKey ? pages.cursors : [null];
    return {
      cursor: cursors[cursors.length - 1] ?? null,
      pageNumber: cursors.length,
      hasPrevious: cursors.length > 1,
      previous: () => setPages({ key: filterKey, cursors: cursors.slice(0, -1) }),
      next: (nextCursor) => {
        if (nextCursor) setPages({ key: filterKey, cursors: [...cursors, nextCursor] });
      },
      reset: () => setPages({ key: filterKey, cursors: [null] }),
    };
  }, [pages, filterKey]);
}

/**
 * 上一页 / 下一页 under a list, after what the list puts before them (its count, the page number)
 * and before what it puts after them (`after`: a page-size choice).
 */
export function KeysetPager({
  pages,
  nextCursor,
  busy = false,
  testId,
  after,
  style,
  children,
}: {
  pages: KeysetPages;
  nextCursor: string | null;
  /** While a page loads, neither button moves on. */
  busy?: boolean;
  /** The buttons' test ids: `${testId}-prev`, `${testId}-next`. */
  testId?: string;
  after?: ReactNode;
  style?: CSSProperties;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Flex justify="flex-end" align="center" gap={8} wrap style={{ marginTop: 16, ...style }}>
      {children}
      <Button
        data-testid={testId && `${testId}-prev`}
        icon={<LeftOutlined />}
        disabled={!pages.hasPrevious || busy}
        onClick={pages.previous}
      >
        {t('common.previousPage')}
      </Button>
      <Button
        data-testid={testId && `${testId}-next`}
        disabled={!nextCursor || busy}
        onClick={() => pages.next(nextCursor)}
      >
        {t('common.nextPage')} <RightOutlined />
      </Button>
      {after}
    </Flex>
  );
}
