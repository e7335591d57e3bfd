// ClickHouse error codes that mean "this data cannot be stored", as opposed to a server that is
// down, overloaded, misconfigured or slow. Only these make the sink split a batch and set rows
// aside: a code that is about the table or the server (UNKNOWN_TABLE, NO_SUCH_COLUMN...) would
// set every row aside, so it stays a failure that is retried.
const DATA_ERROR_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE (a lone UTF-16 surrogate)
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER (a negative number in an unsigned column)
  117, // INCORRECT_DATA
  131, // TOO_LARGE_STRING_SIZE
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
]);

/**
 * The ClickHouse error code an error carries: chdb's `clickhouseCode`, the numeric `code` of
 * `@clickhouse/client`'s ClickHouseError, or the `Code: N` a server writes first in its message
 * (what an old server such as 18.16 answers, which the client passes on as a plain Error).
 */
export function clickHouseErrorCode(error: unknown): number | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as { clickhouseCode?: unknown; code?: unknown; message?: unknown };
  if (typeof e.clickhouseCode === 'number') return e.clickhouseCode;
  if (typeof e.code === 'string' && /^\d{1,4}$/.test(e.code)) return Number(e.code);
  if (typeof e.message === 'string') {
    const match = /^Code: (\d{1,4})\b/.exec(e.message);
    if (match) return Number(match[1]);
  }
  return undefined;
}

/** Whether ClickHouse refused an insert for what its rows hold (see core's `isRefusal`). */
export function isClickHouseRefusal(error: unknown): boolean {
  const code = clickHouseErrorCode(error);
  return code !== undefined && DATA_ERROR_CODES.has(code);
}
