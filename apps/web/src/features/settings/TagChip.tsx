import { Tag, theme } from 'antd';
import type { ReactNode } from 'react';
import type { TagColor } from './types';

/** antd has no 'gray' preset: its default tag is the grey one. */
function presetOf(color: TagColor): string | undefined {
  return color === 'gray' ? undefined : color;
}

/** A free tag as customers wear it: its name in its colour. */
export function TagChip({ name, color }: { name: ReactNode; color: TagColor }) {
  return (
    <Tag color={presetOf(color)} style={{ marginInlineEnd: 0 }}>
      {name}
    </Tag>
  );
}

/** The colour itself, for the picker. */
export function ColorSwatch({ color }: { color: TagColor }) {
  const { token } = theme.useToken();
  const fill = color === 'gray' ? token.colorTextTertiary : token[color];
  return (
    <span
      aria-hidden
      style={{
        display: 'inline-block',
        width: 12,
        height: 12,
        borderRadius: '50%',
        background: fill,
        verticalAlign: '-1px',
      }}
    />
  );
}
