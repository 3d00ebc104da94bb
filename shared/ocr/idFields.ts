import type { IdFields } from '../api/identity';
import type { IdReading } from '../domain/idReading';

/** `IdFields` limits (shared/api/identity.ts): OCR of a busy background must never fail validation. */
const clip = (s: string | null, max: number) => (s === null ? null : s.slice(0, max));

/** A reading as `IdFields`, the shape the app sends and the server stores beside its own. */
export function idFieldsOf(r: IdReading): IdFields {
  return {
    fullName: clip(r.fullName, 300),
    surname: clip(r.surname, 200),
    givenNames: clip(r.givenNames, 200),
    documentNumber: clip(r.documentNumber, 64),
    dateOfBirth: r.dateOfBirth,
    expiryDate: r.expiryDate,
    mrzValid: r.mrzValid,
    nameSource: r.nameSource,
    text: clip(r.text, 8000) ?? '',
  };
}

/** Nothing read: an image that could not be decoded, or no reader. */
export const NO_ID_FIELDS: IdFields = {
  fullName: null,
  surname: null,
  givenNames: null,
  documentNumber: null,
  dateOfBirth: null,
  expiryDate: null,
  mrzValid: false,
  nameSource: 'none',
  text: '',
};

/** Whether a document was read at all (a name, a number or a valid MRZ): only then is a face on it compared. */
export const documentSeen = (f: IdFields): boolean => f.fullName !== null || f.documentNumber !== null || f.mrzValid;
