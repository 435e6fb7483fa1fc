import { screen, waitFor, within } from '@testing-library/react';
import type { UserEvent } from '@testing-library/user-event';

/**
 * Opens an antd Select — by its aria-label, or the element itself — and picks the option
 * that shows `label`.
 */
export async function chooseOption(user: UserEvent, select: string | HTMLElement, label: string) {
  const target = typeof select === 'string' ? screen.getByLabelText(select) : select;
  await user.click(target.querySelector<HTMLElement>('.ant-select-selector, input') ?? target);
  const dropdown = await waitFor(() => {
    // The newest one: a dropdown closed before may still be leaving.
    const open = [
      ...document.querySelectorAll<HTMLElement>('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'),
    ].at(-1);
    if (!open) throw new Error(`The options of ${String(select)} did not open`);
    return open;
  });
  const option = within(dropdown).getByText(label).closest('.ant-select-item-option');
  if (!(option instanceof HTMLElement)) throw new Error(`No option "${label}" in ${String(select)}`);
  await user.click(option);
}
