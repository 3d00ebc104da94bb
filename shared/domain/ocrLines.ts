/** What an OCR engine returned for one image, engine-neutral (the reader's input). */
import type { OcrSymbol } from './mrz';

export interface OcrBox {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface OcrWordIn {
  text: string;
  bbox: OcrBox;
  confidence?: number;
  symbols: OcrSymbol[];
}

export interface OcrLineIn {
  text: string;
  bbox: OcrBox;
  confidence?: number;
  words: OcrWordIn[];
}

export const boxHeight = (b: OcrBox): number => b.y1 - b.y0;
