import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Drawer, Empty, Flex, List, Progress, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { RouterOutputs } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useTRPC } from '../../lib/trpc';

type ExportRun = RouterOutputs['exports']['list'][number];

const STATUS_COLORS: Record<ExportRun['status'], string> = {
  queued: 'default',
  running: 'processing',
  done: 'success',
  failed: 'error',
  expired: 'default',
};

function fileSize(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The member's recent exports: status, progress while running, and the download when done. */
export function ExportsDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const trpc = useTRPC();
  const runs = useQuery({
    ...trpc.exports.list.queryOptions({ limit: 20 }),
    enabled: open,
    // Polls while anything is still being made.
    refetchInterval: (query) =>
      query.state.data?.some((run) => run.status === 'queued' || run.status === 'running') ? 1000 : false,
  });
  return (
    <Drawer open={open} onClose={onClose} title={t('exports.drawerTitle')} width={480} destroyOnHidden>
      <Typography.Paragraph type="secondary">{t('exports.drawerHint')}</Typography.Paragraph>
      <List
        data-testid="exports-list"
        loading={runs.isLoading}
        dataSource={runs.data ?? []}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('exports.empty')} />,
        }}
        renderItem={(run) => (
          <List.Item
            data-testid="export-run"
            data-status={run.status}
            actions={
              run.downloadUrl
                ? [
                    <Button
                      key="download"
                      type="link"
                      icon={<DownloadOutlined />}
                      href={run.downloadUrl}
                      download={run.fileName}
                      data-testid="export-download"
                    >
                      {t('exports.download')}
                    </Button>,
                  ]
                : []
            }
          >
            <Flex vertical gap={4} style={{ width: '100%' }}>
              <Flex gap={8} align="center" wrap>
                <Typography.Text strong>{run.fileName}</Typography.Text>
                <Tag color={STATUS_COLORS[run.status]}>{t(`exports.status.${run.status}`)}</Tag>
                {run.entity === 'customers' ? (
                  <Tag color={run.revealSensitive ? 'red' : undefined}>
                    {run.revealSensitive ? t('exports.revealed') : t('exports.masked')}
                  </Tag>
                ) : null}
              </Flex>
              {run.status === 'queued' || run.status === 'running' ? (
                <>
                  <Progress
                    size="small"
                    percent={
                      run.rowsTotal ? Math.min(99, Math.floor((run.rowsDone / run.rowsTotal) * 100)) : 0
                    }
                    status="active"
                  />
                  {run.rowsTotal !== null ? (
                    <Typography.Text type="secondary">
                      {t('exports.progress', {
                        done: run.rowsDone,
                        total: run.rowsTotal,
                        count: run.rowsTotal ?? 0,
                      })}
                    </Typography.Text>
                  ) : null}
                </>
              ) : (
                <Typography.Text type="secondary">
                  {formatDateTime(run.createdAt)}
                  {run.status === 'done'
                    ? ` · ${t('exports.rows', { count: run.rowsTotal ?? 0 })} · ${fileSize(run.fileSize)}`
                    : ''}
                  {run.error ? ` · ${run.error}` : ''}
                </Typography.Text>
              )}
            </Flex>
          </List.Item>
        )}
      />
    </Drawer>
  );
}
