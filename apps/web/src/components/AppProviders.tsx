import { QueryClientProvider } from '@tanstack/react-query';
import { App, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { queryClient, TRPCProvider, trpcClient } from '../lib/trpc';

const appTheme = {
  // antd's component styles come prebuilt from antd/dist/antd.css (imported in main.tsx) instead of
  // being generated in the browser on each component type's first render: the first screen's
  // render no longer pays for them. The tokens below still apply through antd's CSS variables.
  zeroRuntime: true,
  algorithm: theme.defaultAlgorithm,
  token: {
    colorPrimary: '#1f5eff',
    colorInfo: '#1f5eff',
    borderRadius: 8,
    // Latin fonts first (so English punctuation stays narrow), then the platform's Chinese UI font.
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'Noto Sans SC', sans-serif",
  },
  components: {
    Layout: { siderBg: '#0f1b3d', triggerBg: '#0b1530', headerBg: '#ffffff', bodyBg: '#f4f6fb' },
    Menu: { darkItemBg: '#0f1b3d', darkSubMenuItemBg: '#0b1530', darkItemSelectedBg: '#1f5eff' },
  },
};

/** Query client, tRPC, antd theme and locale (following the UI language) and antd's App context. */
export function AppProviders({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={appTheme}>
          <App>{children}</App>
        </ConfigProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}
