import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

type Props = {
  title: ReactNode;
  subtitle?: ReactNode;
  /** Actions on the right. */
  extra?: ReactNode;
  /** Above the title, e.g. a breadcrumb. */
  top?: ReactNode;
  tags?: ReactNode;
};

/** The same header on every page: title, a one-line description and the page's actions. */
export function PageHeader({ title, subtitle, extra, top, tags }: Props) {
  return (
    <div style={{ marginBottom: 20 }}>
      {top ? <div style={{ marginBottom: 8 }}>{top}</div> : null}
      <Flex justify="space-between" align="flex-start" gap={16} wrap>
        <div style={{ minWidth: 0 }}>
          <Flex align="center" gap={12} wrap>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {title}
            </Typography.Title>
            {tags}
          </Flex>
          {subtitle ? (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
              {subtitle}
            </Typography.Text>
          ) : null}
        </div>
        {extra ? (
          <Flex gap={8} wrap align="center">
            {extra}
          </Flex>
        ) : null}
      </Flex>
    </div>
  );
}
