/** Pieces of the prefixes collectors and log stores write before each line. */

export const ISO_TIME = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,9})?(?:Z|[+-]\\d\\d:?\\d\\d)';
/** `host program[pid]: ` after journalctl's time. */
export const JOURNAL_SOURCE = '([\\w.:-]{1,255} [^\\s\\[\\]:]{1,128}(?:\\[\\d{1,10}\\])?): ';
