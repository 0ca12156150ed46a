package dev.quarry.config;

/** {@code authorization}: header type (default {@code Bearer}) with inline or file credentials. */
public record Authorization(String type, String credentials, String credentialsFile) {}
