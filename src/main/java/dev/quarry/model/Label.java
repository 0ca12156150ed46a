package dev.quarry.model;

/** One name/value pair of a {@link Labels} set. */
public record Label(String name, String value) {}
