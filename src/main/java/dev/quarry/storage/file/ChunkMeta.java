package dev.quarry.storage.file;

/** Where a chunk of a block lives in its chunks file, and the time range it covers. */
record ChunkMeta(long minTime, long maxTime, long offset, int count) {}
