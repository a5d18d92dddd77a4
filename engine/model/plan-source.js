/** Builds a JSON pointer from path segments (RFC 6901 escaping). */
export function toPointer(segments) {
    return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}
/** Splits a JSON pointer into its unescaped segments. */
export function fromPointer(pointer) {
    if (pointer === '')
        return [];
    return pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
