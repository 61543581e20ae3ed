package dev.kiln.runtime.spi;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A kernel a backend generated as Java source, with the class files it compiled to: what a saved artifact keeps so
 * that loading it needs no compiler. {@code classFiles} maps binary class names ({@code a.b.C}, {@code a.b.C$D}) to
 * class-file bytes; the arrays are not copied and must not be changed.
 */
public record CompiledKernel(String name, String source, Map<String, byte[]> classFiles) {
    public CompiledKernel {
        if (classFiles.isEmpty()) throw new IllegalArgumentException("kernel " + name + " has no class files");
        classFiles = java.util.Collections.unmodifiableMap(new TreeMap<>(classFiles));
    }

    /** The key precompiled kernels are found by: the SHA-256 of the source's UTF-8 bytes, in hex. */
    public String sourceHash() { return sourceHash(source); }

    public static String sourceHash(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
