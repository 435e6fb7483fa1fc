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
      const fieldErrors = fieldErrorsOf(error);
      const { form, fields, codeFields } = options;
      const codeField = codeFields?.[appCodeOf(error) ?? ''];
      if (form && codeField) {
        form.setFields([{ name: codeField, errors: [text] }]);
        return;
      }
      const unplaced: string[] = [];
      if (form && fieldErrors.length > 0) {
        const byField = new Map<string, string[]>();
        for (const fieldError of fieldErrors) {
          const name = fieldError.path.split('.')[0] ?? '';
          if (fields && !fields.includes(name)) {
            unplaced.push(fieldError.message);
            continue;
          }
          byField.set(name, [...(byField.get(name) ?? []), fieldError.message]);
        }
        form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
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
