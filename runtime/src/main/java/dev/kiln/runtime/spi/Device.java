package dev.kiln.runtime.spi;

/** A device a backend can run on: {@code name} is what {@code --device} takes. */
public record Device(String name, String description, boolean available, String unavailableReason) {
    public static Device available(String name, String description) { return new Device(name, description, true, null); }
}
