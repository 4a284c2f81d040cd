import * as fs from "node:fs";
import * as path from "node:path";
import { sha256Hex } from "./payload";
import type { AgreementFileInput } from "./model";

/** Every PDF starts with this (ISO 32000-1, 7.5.2 "File header"). */
export const PDF_SIGNATURE = "%PDF-";

/**
 * Graph documents no size limit for agreement files. The PDF travels base64-encoded inside one JSON request, and
 * 3 MiB of PDF becomes 4 MiB of base64, the request size Graph accepts for single-request content uploads; a
 * larger terms-of-use PDF is also unreadable on a phone, where Microsoft recommends 24-point text.
 */
export const MAX_PDF_BYTES = 3 * 1024 * 1024;

/** What the program knows about a PDF: enough for plans (name, size, hash), never the bytes. */
export interface PdfFacts {
  readonly fileName: string;
  /** Relative to `baseDir` when inside it (so plans match across machines), else absolute. */
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

/** Why a PDF cannot be used, or its facts. Checked before anything is declared. */
export function inspectPdf(file: string, baseDir: string = process.cwd()): { facts?: PdfFacts; problem?: { problem: string; allowed: string } } {
  const absolute = path.resolve(baseDir, file);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(absolute);
  } catch {
    return { problem: { problem: `cannot read ${absolute}`, allowed: "the path of an existing PDF, absolute or relative to the project directory" } };
  }
  if (bytes.subarray(0, PDF_SIGNATURE.length).toString("latin1") !== PDF_SIGNATURE) {
    return {
      problem: {
        problem: `${path.basename(absolute)} does not start with the PDF signature "${PDF_SIGNATURE}"`,
        allowed: "a PDF document (Entra shows terms of use only as PDF)",
      },
    };
  }
  if (bytes.length > MAX_PDF_BYTES) {
    return { problem: { problem: `${path.basename(absolute)} is ${bytes.length} bytes`, allowed: `at most ${MAX_PDF_BYTES} bytes (3 MiB)` } };
  }
  const relative = path.relative(baseDir, absolute);
  const portable = relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative.split(path.sep).join("/") : absolute;
  return { facts: { fileName: path.basename(absolute), path: portable, size: bytes.length, sha256: sha256Hex(bytes) } };
}

/**
 * Inside the provider: the declared PDF as base64, only if it still has the hash the program (and the reviewed
 * plan) saw. A PDF edited between preview and update is refused rather than uploaded unseen.
 */
export function readDeclaredPdf(file: AgreementFileInput, label: string): string {
  const absolute = path.resolve(process.cwd(), file.path);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(absolute);
  } catch {
    throw new Error(`${label}: cannot read the ${file.language} file ${file.fileName} at ${absolute} (the provider runs in the project directory).`);
  }
  const actual = sha256Hex(bytes);
  if (actual !== file.sha256) {
    throw new Error(
      `${label}: the ${file.language} file ${file.fileName} changed after the program ran (SHA-256 ${actual}, declared ${file.sha256}); run the preview again.`,
    );
  }
  return bytes.toString("base64");
}
