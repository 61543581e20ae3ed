package dev.kiln.runtime.artifact;

import java.nio.charset.StandardCharsets;

/**
 * The layout of a saved artifact ({@code .kiln}), described in {@code docs/artifact-format.md}: a 64-byte header,
 * sections each starting on a 64-byte boundary, and an index of the sections at the end. All integers are
 * little-endian. Every section and the index carry a CRC-32C, so a damaged file is refused before it is used.
 */
final class ArtifactFormat {
    /** PNG-style: a non-ASCII first byte and CR LF / Ctrl-Z catch files mangled by text-mode transfers. */
    static final byte[] MAGIC = {(byte) 0x89, 'K', 'I', 'L', 'N', '\r', '\n', 0x1a};
    /** The one layout this code writes and reads; any change to the layout or the sections' meaning bumps it. */
    static final int VERSION = 2;
    static final int HEADER_BYTES = 64;
    /** Weights start on 64-byte boundaries: a cache line, and the widest vector load. */
    static final int ALIGNMENT = 64;

    // Header fields: magic (8), version (u32), header size (u32), index offset (u64), index length (u64),
    // file length (u64), index CRC-32C (u32), header CRC-32C over bytes 0..43 (u32), zeros to 64.
    static final int AT_VERSION = 8;
    static final int AT_HEADER_SIZE = 12;
    static final int AT_INDEX_OFFSET = 16;
    static final int AT_INDEX_LENGTH = 24;
    static final int AT_FILE_LENGTH = 32;
    static final int AT_INDEX_CRC = 40;
    static final int AT_HEADER_CRC = 44;

    /** What a section holds; the byte is what the index stores. */
    enum Kind {
        /** {@code key=value} lines: versions, device, arena size, compile options. */
        META(1),
        /** The optimized graph as IR text, large tensors as {@code resource<sha256:...>}; deflated ({@link SectionDeflate}). */
        IR(2),
        /** One tensor's storage bytes; name: its content hash, info: its type ({@code f32[64,3,7,7]}). */
        TENSOR(3),
        /** A generated kernel's Java source, deflated; name: the kernel name, info: the source's SHA-256. */
        KERNEL_SOURCE(4),
        /** One class file, deflated; name: its binary class name, info: the kernel it belongs to. */
        KERNEL_CLASS(5);

        final byte code;

        Kind(int code) { this.code = (byte) code; }

        static Kind of(byte code) {
            for (Kind k : values()) if (k.code == code) return k;
            return null;
        }
    }

    /** One index entry: where a section lies and its checksum. */
    record Entry(Kind kind, String name, String info, long offset, long length, int crc) { }

    static boolean hasMagic(byte[] head) {
        if (head.length < MAGIC.length) return false;
        for (int i = 0; i < MAGIC.length; i++) if (head[i] != MAGIC[i]) return false;
        return true;
    }

    static long alignUp(long position) { return (position + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT; }

    static byte[] utf8(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    private ArtifactFormat() {}
}
