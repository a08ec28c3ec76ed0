// The Parquet writer's compression codecs (light: the CLI's help lists them; parquet.ts writes with them).
export type ParquetCompression = "zstd" | "snappy" | "gzip" | "uncompressed";
export const PARQUET_COMPRESSIONS: readonly ParquetCompression[] = ["zstd", "snappy", "gzip", "uncompressed"];
/** The codec the writer uses when none is asked for: small files, fast to read. */
export const DEFAULT_PARQUET_COMPRESSION: ParquetCompression = "zstd";
