import { MantineProvider } from '@mantine/core';
import { fireEvent, render, screen } from '@testing-library/react';
import { FieldPicker } from './FieldPicker';
import { fieldMeta } from '../../../src/modules/mapping/testing/metadata-fixture';
import { fieldOptions, type FieldMetadata } from './fieldOptions';

// The server's own test fixture: the API sends field metadata in exactly this shape.
const field = (name: string, type: string): FieldMetadata => fieldMeta(name, type, { length: null });

describe('FieldPicker', () => {
  it('lists matching fields with type badges, incompatible ones disabled with the reason, and picks one', () => {
    const options = fieldOptions(
      [
        {
          name: 'Opportunity',
          label: 'Opportunity',
          found: true,
          refreshedAt: '2026-01-01T00:00:00.000Z',
          fields: [field('Demo_Requested_At__c', 'datetime'), field('Demo_Notes__c', 'textarea')],
        },
      ],
      'text',
    );
    const onChange = jest.fn();
    render(
      <MantineProvider>
        <FieldPicker label="Target 1 field" options={options} value="" onChange={onChange} />
      </MantineProvider>,
    );
    const input = screen.getByLabelText('Target 1 field');
    fireEvent.focus(input);
    fireEvent.change(input, { target: { value: 'demo' } });

    const datetime = screen.getByRole('option', { name: /Demo_Requested_At__c datetime, unavailable/ });
    expect(datetime.getAttribute('aria-disabled')).toBe('true');
    expect(datetime.textContent).toContain('a text value cannot go into a datetime field');
    const notes = screen.getByRole('option', { name: 'Opportunity.Demo_Notes__c textarea' });
    expect(notes.getAttribute('aria-disabled')).not.toBe('true');

    fireEvent.click(notes);
    expect(onChange).toHaveBeenLastCalledWith('Opportunity.Demo_Notes__c');
  });
});
