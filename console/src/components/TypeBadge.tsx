import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  string: 'gray',
  textarea: 'gray',
  picklist: 'grape',
  multipicklist: 'grape',
  datetime: 'blue',
  date: 'blue',
  time: 'blue',
  boolean: 'teal',
  double: 'orange',
  int: 'orange',
  currency: 'orange',
  percent: 'orange',
  reference: 'cyan',
  id: 'cyan',
  email: 'indigo',
  phone: 'indigo',
  url: 'indigo',
};

/** A Salesforce field type (or a value type hint) as a small coloured badge. */
export function TypeBadge({ type }: { type: string }) {
  return (
    <Badge size="xs" variant="light" color={COLORS[type] ?? 'dark'} style={{ textTransform: 'none' }}>
      {type}
    </Badge>
  );
}
