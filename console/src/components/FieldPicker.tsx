import { Combobox, Group, InputBase, ScrollArea, Text, useCombobox } from '@mantine/core';
import { useMemo, useState } from 'react';
import { matchesSearch, type FieldOption } from './fieldOptions';
import { TypeBadge } from './TypeBadge';

const MAX_SHOWN = 60;

/** Type-ahead across every described object; incompatible fields are listed, disabled, with the reason. */
export function FieldPicker({
  label,
  options,
  value,
  onChange,
  error,
}: {
  label: string;
  options: FieldOption[];
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const [search, setSearch] = useState(value);
  const shown = useMemo(
    () => options.filter((option) => matchesSearch(option, search)).slice(0, MAX_SHOWN),
    [options, search],
  );
  return (
    <Combobox
      store={combobox}
      onOptionSubmit={(chosen) => {
        onChange(chosen);
        setSearch(chosen);
        combobox.closeDropdown();
      }}
    >
      <Combobox.Target>
        <InputBase
          label={label}
          placeholder="Type an object or field name"
          value={search}
          error={error}
          onChange={(event) => {
            setSearch(event.currentTarget.value);
            onChange(event.currentTarget.value);
            combobox.openDropdown();
            combobox.updateSelectedOptionIndex();
          }}
          onClick={() => combobox.openDropdown()}
          onFocus={() => combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
        />
      </Combobox.Target>
      <Combobox.Dropdown>
        <Combobox.Options>
          <ScrollArea.Autosize mah={280} type="scroll">
            {shown.length === 0 ? <Combobox.Empty>No field matches</Combobox.Empty> : null}
            {shown.map((option) => (
              <Combobox.Option
                value={option.value}
                key={option.value}
                disabled={option.disabledReason !== null}
                aria-label={`${option.value} ${option.field.type}${option.disabledReason ? `, unavailable: ${option.disabledReason}` : ''}`}
              >
                <Group gap="xs" wrap="nowrap" justify="space-between">
                  <Text size="sm">{option.value}</Text>
                  <TypeBadge type={option.field.type} />
                </Group>
                {option.disabledReason ? (
                  <Text size="xs" c="gray.7">
                    {option.disabledReason}
                  </Text>
                ) : null}
              </Combobox.Option>
            ))}
          </ScrollArea.Autosize>
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
}
