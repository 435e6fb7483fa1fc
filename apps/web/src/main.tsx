import { i18nReady } from './i18n';
// antd's prebuilt component styles (theme.zeroRuntime in AppProviders), before ours so ours win.
import 'antd/dist/antd.css';
import './styles.css';
import { RouterProvider } from '@tanstack/react-router';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AppProviders } from './components/AppProviders';
import { router } from './router';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('#root is missing from index.html');

// The first page's loaders (who is signed in, the tenant, the list's first page …) ask now,
// while React builds the first render, instead of after it (RouterProvider does not load
// again when a load is under way).
router.load().catch(console.error);

// The first render waits for the language's words (loaded beside the loaders above).
void i18nReady.then(() =>
  createRoot(rootElement).render(
    <StrictMode>
      <AppProviders>
        <RouterProvider router={router} />
      </AppProviders>
    </StrictMode>,
  ),
);
