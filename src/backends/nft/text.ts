// Quoting and length limits of nft text: comments are double-quoted strings of at most 128 bytes
// (nft refuses longer ones), without double quotes or line breaks.

const COMMENT_MAX_BYTES = 127;

/** A `comment "…"` argument: quotes and control characters replaced, cut at a UTF-8 boundary. */
export function commentText(s: string): string {
  let t = s.replace(/["\\]/g, "'").replace(/[\u0000-\u001f\u007f]/g, " ");
  while (Buffer.byteLength(t, "utf8") > COMMENT_MAX_BYTES) t = t.slice(0, -1);
  return `"${t}"`;
}
