import { ValidateBy, type ValidationOptions } from 'class-validator';

/** Far above the domain's recipient cap: the domain names the real limit, this only bounds the work. */
const MAX_LIST_LENGTH = 1000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string, or `{address, name?}` and nothing else (no `path`, `href` or `raw` smuggled in). */
export function isAddressInput(value: unknown): boolean {
  if (typeof value === 'string') return true;
  if (!isPlainObject(value)) return false;
  return (
    typeof value.address === 'string' &&
    (value.name === undefined || typeof value.name === 'string') &&
    Object.keys(value).every((key) => key === 'address' || key === 'name')
  );
}

export function IsAddressInput(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAddressInput',
      validator: {
        validate: isAddressInput,
        defaultMessage: () => 'must be an address string or {address, name?}',
      },
    },
    options,
  );
}

export function IsRecipients(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRecipients',
      validator: {
        validate: (value: unknown) =>
          isAddressInput(value) ||
          (Array.isArray(value) && value.length <= MAX_LIST_LENGTH && value.every(isAddressInput)),
        defaultMessage: () =>
          'must be an address (string or {address, name?}) or an array of addresses',
      },
    },
    options,
  );
}
