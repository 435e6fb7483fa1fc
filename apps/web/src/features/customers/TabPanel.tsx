import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

type Props = {
  /** A line about what the tab shows, on the left of its toolbar. */
  description?: ReactNode;
  /** The tab's actions, on the right. */
  extra?: ReactNode;
  children: ReactNode;
};

/** The body of one tab of the customer profile: a toolbar, then the content. */
export function TabPanel({ description, extra, children }: Props) {
  return (
    <Flex vertical gap={16}>
      {description || extra ? (
        <Flex justify="space-between" align="center" gap={12} wrap style={{ minHeight: 32 }}>
          <Typography.Text type="secondary">{description}</Typography.Text>
          <Flex gap={12} align="center" wrap>
            {extra}
          </Flex>
        </Flex>
      ) : null}
      {children}
    </Flex>
  );
}
