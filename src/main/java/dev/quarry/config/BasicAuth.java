package dev.quarry.config;

/** {@code basic_auth}: a password inline or read from a file (exactly one of them). */
public record BasicAuth(String username, String password, String passwordFile) {}
