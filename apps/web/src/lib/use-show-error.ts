import { App, type FormInstance } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { appCodeOf, errorMessage, fieldErrorsOf } from './errors';

type Options = {
  /** Put the server's field errors under the matching form fields. */
  form?: FormInstance;
  /** The form's field names; errors for other paths are added to the toast instead. */
  fields?: readonly string[];
  /** Errors the server reports by code that belong to one field, e.g. { INVALID_PHONE: 'phone' }. */
  codeFields?: Readonly<Record<string, string>>;
  /** Turns a server path into the form's, e.g. when blank list rows were left out of the request. */
  mapPath?: (path: string) => string;
};

/** Shows an API error: the server's translated message as a toast, field errors on the form. */
export function useShowError() {
  const { message } = App.useApp();
  const { t } = useTranslation();
  return useCallback(
    (error: unknown, options: Options = {}) => {
      // The global handler already sends the user to sign in.
      if (appCodeOf(error) === 'UNAUTHENTICATED') return;
      const text = errorMessage(error, { network: t('errors.network'), unknown: t('errors.unknown') });
      const { form, fields, codeFields, mapPath } = options;
      const fieldErrors = fieldErrorsOf(error).map((fieldError) =>
        mapPath ? { ...fieldError, path: mapPath(fieldError.path) } : fieldError,
      );
      const codeField = codeFields?.[appCodeOf(error) ?? ''];
      if (form && codeField) {
        form.setFields([{ name: codeField, errors: [text] }]);
        return;
      }
      const unplaced: string[] = [];
      if (form && fieldErrors.length > 0) {
        // The form's fields by their dotted path, list items included ('phones.0', 'lines.1.unitPrice').
        const registered = new Map<string, (string | number)[]>(
          form.getFieldsError().map(({ name }) => [name.join('.'), name]),
        );
        const byField = new Map<string, { name: (string | number)[]; errors: string[] }>();
        for (const fieldError of fieldErrors) {
          const top = fieldError.path.split('.')[0] ?? '';
          // The exact field when the form has one (an item of a list), else the field it belongs to.
          const name = registered.get(fieldError.path) ?? registered.get(top);
          if (!name || (fields && !fields.includes(top))) {
            unplaced.push(fieldError.message);
            continue;
          }
          const key = name.join('.');
          const entry = byField.get(key) ?? { name, errors: [] };
          entry.errors.push(fieldError.message);
          byField.set(key, entry);
        }
        form.setFields([...byField.values()]);
      } else {
        unplaced.push(...fieldErrors.map((fieldError) => fieldError.message));
      }
      void message.error(
        unplaced.length > 0 ? `${text}${t('common.colon')}${unplaced.join(t('common.listSeparator'))}` : text,
      );
    },
    [message, t],
  );
}
