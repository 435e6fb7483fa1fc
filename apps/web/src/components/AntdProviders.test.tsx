import { render, screen } from '@testing-library/react';
import { Button } from 'antd';
import { describe, expect, it } from 'vitest';
import { AntdProviders } from './AntdProviders';
import { AppProviders } from './AppProviders';

describe('AntdProviders', () => {
  it('leaves a two-character Chinese button label as written, without a space between the characters', () => {
    render(
      <AppProviders>
        <AntdProviders>
          <Button>转化</Button>
          <Button type="primary">保存</Button>
        </AntdProviders>
      </AppProviders>,
    );
    // antd's default renders "转 化" (a space inserted between two Chinese characters).
    expect(screen.getByRole('button', { name: '转化' }).textContent).toBe('转化');
    expect(screen.getByRole('button', { name: '保存' }).textContent).toBe('保存');
  });
});
