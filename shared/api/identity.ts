import { z } from 'zod';

/**
 * The identity check. The learner's app takes a face photo and up to
 * three ID photos, reads each ID offline (tesseract.js) and sends the images with what it read and
 * its face distance, as hints for instant feedback. The server reads each stored ID image itself with
 * the same pipeline and compares the faces itself; its reading decides the name verdict, the face
 * verdict, the status and the document link. It keeps the images under the same rules as recordings
 * (proctors and admins only), and links accounts that present the same document through a keyed hash
 * of the number it read.
 */

export const MAX_IDENTITY_ATTEMPTS = 3;
/** A JPEG still, base64 in JSON. 4 MB of JPEG covers a 1920×1080 still at high quality. */
export const MAX_IDENTITY_IMAGE_BYTES = 4 * 1024 * 1024;

const JpegBase64 = z
  .string()
  .min(100)
  .max(Math.ceil((MAX_IDENTITY_IMAGE_BYTES * 4) / 3) + 4)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64');

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A face found in an image: where (pixels of that image) and how sure the detector was. */
export const FaceBox = z.object({
  x: z.number(),
  y: z.number(),
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
  score: z.number().min(0).max(1),
});
export type FaceBox = z.infer<typeof FaceBox>;

export const SubmitFacePhotoRequest = z.object({
  image: JpegBase64,
  width: z.number().int().positive().max(8192),
  height: z.number().int().positive().max(8192),
  /** Faces the detector found; the app asks for a retake unless exactly one. */
  faces: z.array(FaceBox).max(20),
  takenAt: z.string().datetime(),
});
export type SubmitFacePhotoRequest = z.infer<typeof SubmitFacePhotoRequest>;

/** The fields read from the ID, as `IdReading` gives them (the id:read CLI prints the same). */
export const IdFields = z.object({
  fullName: z.string().max(300).nullable(),
  surname: z.string().max(200).nullable(),
  givenNames: z.string().max(200).nullable(),
  documentNumber: z.string().max(64).nullable(),
  dateOfBirth: IsoDate.nullable(),
  expiryDate: IsoDate.nullable(),
  mrzValid: z.boolean(),
  /** Which zone gave the name: machine-readable zone, visual zone, or both agreeing. */
  nameSource: z.enum(['mrz', 'visual', 'both', 'none']),
  /** The OCR text, for the proctor (capped). */
  text: z.string().max(8000),
});
export type IdFields = z.infer<typeof IdFields>;

export const SubmitIdAttemptRequest = z.object({
  attempt: z.number().int().min(1).max(MAX_IDENTITY_ATTEMPTS),
  image: JpegBase64,
  width: z.number().int().positive().max(8192),
  height: z.number().int().positive().max(8192),
  /** `auto`: the app captured when the card was steady and sharp; `button`: the learner pressed capture. */
  capture: z.enum(['auto', 'button']),
  /** What the app read: a hint, stored for the proctor; the server's own reading decides. */
  fields: IdFields,
  ocrMs: z.number().int().nonnegative(),
  /**
   * Face on the ID, and its descriptor distance to the face photo (Euclidean, face-api 128-D; lower is
   * closer), as the app found them: hints; the server compares the stored images itself.
   */
  idFace: FaceBox.nullable(),
  faceDistance: z.number().nonnegative().nullable(),
  takenAt: z.string().datetime(),
});
export type SubmitIdAttemptRequest = z.infer<typeof SubmitIdAttemptRequest>;

export const NameVerdict = z.enum(['match', 'partial', 'mismatch', 'unreadable']);
export type NameVerdict = z.infer<typeof NameVerdict>;

/** `NameDifference` of nameMatch.ts, for highlighting. */
export const NameDifferenceView = z.object({
  token: z.string(),
  side: z.enum(['registered', 'read']),
  kind: z.enum(['missing', 'extra', 'different']),
  counterpart: z.string().optional(),
});

/** Face photo against the ID photo: `match` under the threshold, `different` over it, `unknown` without two faces. */
export const FaceVerdict = z.enum(['match', 'different', 'unknown']);
export type FaceVerdict = z.infer<typeof FaceVerdict>;

/** Where the learner stands: `passed` (name matches), `retry`, or `manual_review` (continues, flagged for the proctor). */
export const IdentityStatus = z.enum(['not_started', 'in_progress', 'passed', 'manual_review']);
export type IdentityStatus = z.infer<typeof IdentityStatus>;

/** The server's verdicts on one ID photo (from its own reading and face comparison). */
export const IdAttemptResult = z.object({
  attempt: z.number().int(),
  nameVerdict: NameVerdict,
  /** Plain-language reason from `matchName`. */
  reason: z.string(),
  differences: z.array(NameDifferenceView),
  registeredName: z.string(),
  readName: z.string().nullable(),
  faceVerdict: FaceVerdict,
  status: IdentityStatus,
  attemptsLeft: z.number().int().nonnegative(),
});
export type IdAttemptResult = z.infer<typeof IdAttemptResult>;

/** After a failed attempt the learner may go on; the proctor then verifies by eye. */
export const ContinueUnverifiedRequest = z.object({
  reason: z.enum(['attempts_exhausted', 'learner_choice']),
});
export type ContinueUnverifiedRequest = z.infer<typeof ContinueUnverifiedRequest>;

export const IdentityImageView = z.object({
  id: z.string(),
  kind: z.enum(['face', 'id']),
  attempt: z.number().int().nullable(),
  width: z.number().int(),
  height: z.number().int(),
  takenAt: z.string().datetime(),
  /** Staff only: the image route (JPEG). */
  url: z.string(),
});

/** The identity record of a session. Learners get their own without `duplicates`; staff get all of it. */
export const IdentityRecordView = z.object({
  sessionId: z.string(),
  status: IdentityStatus,
  registeredName: z.string(),
  attempts: z.array(
    IdAttemptResult.extend({
      /** What the app read (its hint). */
      fields: IdFields,
      capture: z.enum(['auto', 'button']),
      ocrMs: z.number().int(),
      /** The distance the app reported (its hint). */
      faceDistance: z.number().nullable(),
      takenAt: z.string().datetime(),
      /** The server's own reading and face distance, which decided the verdicts; null on attempts stored before the server read IDs. */
      server: z
        .object({
          fields: IdFields,
          faceDistance: z.number().nullable(),
          ocrMs: z.number().int(),
          faceMs: z.number().int(),
        })
        .nullable(),
      /** The verdicts the app's hints would have given; null on attempts stored before the server read IDs. */
      appHint: z.object({ nameVerdict: NameVerdict, faceVerdict: FaceVerdict }).nullable(),
    }),
  ),
  images: z.array(IdentityImageView),
  /** Other accounts that presented the same document (keyed hash of its number). Staff only. */
  duplicates: z
    .array(z.object({ userId: z.string(), displayName: z.string(), sessionId: z.string(), seenAt: z.string().datetime() }))
    .optional(),
  manualReviewReason: z.enum(['attempts_exhausted', 'learner_choice']).nullable(),
});
export type IdentityRecordView = z.infer<typeof IdentityRecordView>;
