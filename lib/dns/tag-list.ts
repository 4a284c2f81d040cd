import type { ProblemList } from "../problems";

/**
 * The "tag=value; tag=value" syntax DMARC records use: RFC 7489 §6.3 says "DMARC records follow the extensible
 * 'tag-value' syntax for DNS-based key records defined in DKIM", i.e. RFC 6376 §3.2
 * (https://datatracker.ietf.org/doc/html/rfc6376#section-3.2).
 */
export interface Tag {
  /** As written; tag names are case-sensitive (RFC 6376 §3.2). */
  readonly name: string;
  /** With the whitespace around it removed. */
  readonly value: string;
  /** Position among the record's tags, from 0. */
  readonly index: number;
}

/** RFC 6376 §3.2: `tag-name = ALPHA *ALNUMPUNC`, ALNUMPUNC being letters, digits and `_`. */
const TAG = /^([A-Za-z][A-Za-z0-9_]*)[ \t]*=[ \t]*([\s\S]*)$/;
/** `tval = 1*VALCHAR`, VALCHAR = %x21-3A / %x3C-7E, with whitespace allowed between tvals. */
const VALUE = /^[\x21-\x3a\x3c-\x7e \t]*$/;

/**
 * Splits a tag-list into tags, reporting syntax errors under `problems`: text that is not `name=value`, an empty
 * element between two semicolons (a single trailing `;` is allowed), characters outside printable ASCII. Duplicate
 * names are reported by the caller, which knows which names exist.
 */
export function parseTagList(text: string, problems: ProblemList): Tag[] {
  const parts = text.split(";");
  const tags: Tag[] = [];
  parts.forEach((part, i) => {
    const trimmed = part.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, "");
    if (trimmed === "") {
      // `tag-list = tag-spec *( ";" tag-spec ) [ ";" ]`: only the last element may be empty.
      if (i < parts.length - 1 || parts.length === 1)
        problems.add(
          "record",
          i === 0 && parts.length === 1 ? "is empty" : `has an empty element before semicolon ${i + 1}`,
          "tag=value pairs separated by single semicolons",
        );
      return;
    }
    const match = TAG.exec(trimmed);
    if (!match) {
      problems.add("record", `has "${trimmed}", which is not a tag=value pair`, "tag=value pairs separated by semicolons, tag names starting with a letter");
      return;
    }
    const [, name, value] = match;
    if (!VALUE.test(value)) problems.add(name, `contains characters other than printable ASCII`, "printable ASCII other than ';'");
    tags.push({ name, value, index: tags.length });
  });
  return tags;
}
