import { Tooltip, type TooltipProps } from 'antd';
import { cloneElement, type MouseEvent, type ReactElement, useState } from 'react';

type HoverProps = { onMouseEnter?: (event: MouseEvent<HTMLElement>) => void };

/**
 * antd's Tooltip, mounted on the first hover instead of with the page: a table of 50 rows
 * with a tooltip on every tag would otherwise build 50+ tooltips (each with its trigger,
 * observers and styles) before its first row shows. Looks and behaves like `<Tooltip>`; the
 * child must pass `onMouseEnter` on to its element (antd's Tag, a span, …).
 */
export function HoverTooltip({
  title,
  children,
  ...props
}: Omit<TooltipProps, 'children'> & { children: ReactElement<HoverProps> }) {
  const [armed, setArmed] = useState(false);
  if (title === undefined || title === null || title === '') return children;
  if (armed) {
    return (
      <Tooltip title={title} defaultOpen {...props}>
        {children}
      </Tooltip>
    );
  }
  return cloneElement(children, {
    onMouseEnter: (event: MouseEvent<HTMLElement>) => {
      children.props.onMouseEnter?.(event);
      setArmed(true);
    },
  });
}
