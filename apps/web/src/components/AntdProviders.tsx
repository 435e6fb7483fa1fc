import { App, ConfigProvider, theme } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { antdLocale, currentLanguage } from '../i18n';

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

// antd puts a space between the two characters of a two-character Chinese label ("转 化"): not how
// Chinese is written, and the same word then reads differently on a button and beside it.
const buttonConfig = { autoInsertSpace: false };

/**
 * antd's theme and locale (following the UI language) and its App context (message, modal,
 * notification), around every layout: `_app`, AuthLayout (sign-in, sign-up, invitations) and
 * the error pages. They are not part of the app shell: antd loads with the first page's code.
 */
export function AntdProviders({ children }: { children: ReactNode }) {
  // Re-renders when the language changes; antd's words for it are loaded by then.
  useTranslation();
  return (
    <ConfigProvider locale={antdLocale(currentLanguage())} theme={appTheme} button={buttonConfig}>
      <App>{children}</App>
    </ConfigProvider>
  );
}
