import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { Button, Flex } from 'antd';
import { type ReactNode, useState } from 'react';
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
}

/** 上一页 / 下一页 under a list, after what the list puts before them (its count, the page number). */
export function KeysetPager({
  pages,
  nextCursor,
  busy = false,
  children,
}: {
  pages: KeysetPages;
  nextCursor: string | null;
  /** While a page loads, neither button moves on. */
  busy?: boolean;
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Flex justify="flex-end" align="center" gap={8} wrap style={{ marginTop: 16 }}>
      {children}
      <Button icon={<LeftOutlined />} disabled={!pages.hasPrevious || busy} onClick={pages.previous}>
        {t('common.previousPage')}
      </Button>
      <Button disabled={!nextCursor || busy} onClick={() => pages.next(nextCursor)}>
        {t('common.nextPage')} <RightOutlined />
      </Button>
    </Flex>
  );
}
