import type { IdFields } from '../../shared/api';
import { NO_ID_FIELDS } from '../../shared/ocr/idFields';
import type { IdentityInspector, ServerReading } from '../src/identity/identityInspector';

/** What a test ID photo has printed on it. */
export type PrintedId = Partial<Pick<IdFields, 'fullName' | 'surname' | 'givenNames' | 'documentNumber'>>;

/**
 * Bytes that pass the server's JPEG check and carry `printed` in a JPEG comment (COM segment), for
 * suites that need an ID photo with a given name but are not about reading it.
 */
export function printedIdJpeg(printed: PrintedId, fill = 0x11, size = 400): Buffer {
  const comment = Buffer.from(JSON.stringify(printed), 'utf8');
  const head = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xfe]), Buffer.from([(comment.length + 2) >> 8, (comment.length + 2) & 0xff]), comment]);
  const body = Buffer.alloc(Math.max(0, size - head.length - 2), fill);
  return Buffer.concat([head, body, Buffer.from([0xff, 0xd9])]);
}

function printedOf(jpeg: Buffer): PrintedId | null {
  if (jpeg.length < 6 || jpeg[2] !== 0xff || jpeg[3] !== 0xfe) return null;
  const length = jpeg.readUInt16BE(4);
  try {
    return JSON.parse(jpeg.subarray(6, 4 + length).toString('utf8')) as PrintedId;
  } catch {
    return null;
  }
}

/**
 * The server's ID reader as the suites that are not about reading use it: it reads what
 * `printedIdJpeg` printed (any other photo reads as nothing) and finds no faces. The identity suite
 * runs the real reader (`NodeIdentityInspector`) on real photos.
 */
export const printedIdInspector: IdentityInspector = {
  inspect(idImage: Buffer): Promise<ServerReading> {
    const printed = printedOf(idImage);
    const name = printed?.fullName ?? null;
    const fields: IdFields = printed
      ? {
          ...NO_ID_FIELDS,
          fullName: name,
          surname: printed.surname ?? null,
          givenNames: printed.givenNames ?? null,
          documentNumber: printed.documentNumber ?? null,
          nameSource: name !== null || printed.surname != null ? 'visual' : 'none',
          text: [name, printed.surname, printed.givenNames].filter((x) => x != null).join('\n'),
        }
      : NO_ID_FIELDS;
    return Promise.resolve({ fields, idFace: null, faceDistance: null, ocrMs: 0, faceMs: 0 });
  },
  warm: () => Promise.resolve(),
  close: () => Promise.resolve(),
};
