import { MantineProvider } from '@mantine/core';
import { render, screen } from '@testing-library/react';
import { ApiError } from '../api/client';
import { ErrorAlert, QueryState } from './states';

const renderWithTheme = (node: React.ReactNode) => render(<MantineProvider>{node}</MantineProvider>);

describe('ErrorAlert', () => {
  it('shows the code, the message, every problem and the request id of an API error', () => {
    renderWithTheme(
      <ErrorAlert
        error={
          new ApiError(422, 'MAPPING_INVALID', 'The map has 1 problem', 'req-42', [
            { field: 'targets[0]', code: 'TYPE_INCOMPATIBLE', message: 'datetime cannot take text' },
          ])
        }
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('MAPPING_INVALID');
    expect(alert.textContent).toContain('The map has 1 problem');
    expect(alert.textContent).toContain('TYPE_INCOMPATIBLE: datetime cannot take text');
    expect(alert.textContent).toContain('req-42');
  });
});

describe('QueryState', () => {
  it('shows loading, then the error, then the content', () => {
    const content = (data: string) => <p>{data}</p>;
    const { rerender } = renderWithTheme(
      <QueryState query={{ isPending: true, error: null, data: undefined }} what="maps">
        {content}
      </QueryState>,
    );
    expect(screen.getByRole('status').textContent).toBe('Loading maps…');
    rerender(
      <MantineProvider>
        <QueryState query={{ isPending: false, error: new Error('offline'), data: undefined }} what="maps">
          {content}
        </QueryState>
      </MantineProvider>,
    );
    expect(screen.getByRole('alert').textContent).toContain('Could not load maps');
    rerender(
      <MantineProvider>
        <QueryState query={{ isPending: false, error: null, data: 'three maps' }} what="maps">
          {content}
        </QueryState>
      </MantineProvider>,
    );
    expect(screen.getByText('three maps')).toBeTruthy();
  });
});
