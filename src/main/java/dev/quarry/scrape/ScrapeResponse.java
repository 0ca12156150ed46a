package dev.quarry.scrape;

/**
 * A scraped body: {@code length} bytes of {@code body} (a pooled buffer the receiver returns to the
 * {@link BufferPool} when done), decompressed, with the response's Content-Type (or null).
 */
public record ScrapeResponse(byte[] body, int length, String contentType) {}
