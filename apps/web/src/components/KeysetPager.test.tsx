import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { i18n } from '../i18n';
import { AppProviders } from './AppProviders';
import { KeysetPager, useKeysetPages } from './KeysetPager';

/** A list of three pages whose cursors are 'p2' and 'p3'; a filter that starts it over. */
function List() {
  const [filter, setFilter] = useState('all');
  const pages = useKeysetPages(filter);
  const nextCursor = pages.cursor === null ? 'p2' : pages.cursor === 'p2' ? 'p3' : null;
  return (
    <>
      <output data-testid="shown">{`${pages.cursor ?? 'first'} #${pages.pageNumber}`}</output>
      <button type="button" onClick={() => setFilter('mine')}>
        filter
      </button>
      <KeysetPager pages={pages} nextCursor={nextCursor}>
        <span>3 pages</span>
      </KeysetPager>
    </>
  );
}

describe('KeysetPager', () => {
  it('goes forward through the cursors, back the way it came, and starts over when the filter changes', async () => {
    const user = userEvent.setup();
    render(
      <AppProviders>
        <List />
      </AppProviders>,
    );
    const shown = screen.getByTestId('shown');
    const previous = screen.getByRole('button', { name: /上一页/ });
    const next = screen.getByRole('button', { name: /下一页/ });
    expect(screen.getByText('3 pages')).toBeInTheDocument();
    expect(shown).toHaveTextContent('first #1');
    expect(previous).toBeDisabled();

    await user.click(next);
    expect(shown).toHaveTextContent('p2 #2');
    await user.click(next);
    expect(shown).toHaveTextContent('p3 #3');
    expect(next).toBeDisabled();

    await user.click(previous);
    expect(shown).toHaveTextContent('p2 #2');

    await user.click(screen.getByRole('button', { name: 'filter' }));
    expect(shown).toHaveTextContent('first #1');
    expect(previous).toBeDisabled();
  });

  it('reads in English', async () => {
    await i18n.changeLanguage('en');
    render(
      <AppProviders>
        <List />
      </AppProviders>,
    );
    expect(screen.getByRole('button', { name: /Previous/ })).toBeDisabled();
    expect(screen.getByRole('button', { name: /Next/ })).toBeEnabled();
  });
});
