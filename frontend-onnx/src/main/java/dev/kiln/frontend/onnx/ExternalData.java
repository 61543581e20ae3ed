package dev.kiln.frontend.onnx;

import dev.kiln.frontend.onnx.proto.StringStringEntryProto;
import dev.kiln.frontend.onnx.proto.TensorProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads tensor bytes stored outside the protobuf file ({@code data_location = EXTERNAL}). Only files inside the
 * model's own folder may be read: a {@code location} that is absolute, climbs out with {@code ..}, or is a symlink
 * whose target lies outside is refused, so a downloaded model cannot make the importer read arbitrary files.
 */
final class ExternalData {
    private final Path folder;

    /** Reads relative to {@code folder}; null when the source has no folder (then external data is refused). */
    ExternalData(Path folder) { this.folder = folder; }

    /** The {@code expectedBytes} bytes of the tensor; {@code where} names it in errors. */
    ByteBuffer read(TensorProto proto, long expectedBytes, String where) {
        if (folder == null) throw new InvalidModelException(where + ": external data needs a model file on disk");
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : proto.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = parseNonNegative(e.getValue(), "offset", where);
                case "length" -> length = parseNonNegative(e.getValue(), "length", where);
                default -> { } // checksum and future keys do not change what is read
            }
        }
        if (location == null || location.isEmpty()) throw new InvalidModelException(where + ": external data has no location");
        Path file = resolveInside(location, where);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (offset > size) {
                throw new InvalidModelException(where + ": external data offset " + offset + " is past the end of '"
                        + location + "' (" + size + " bytes)");
            }
            if (length < 0) length = size - offset;
            if (length > size - offset) {
                throw new InvalidModelException(where + ": external data range " + offset + "+" + length
                        + " is past the end of '" + location + "' (" + size + " bytes)");
            }
            if (length != expectedBytes) {
                throw new InvalidModelException(where + ": external data has " + length + " bytes, the shape needs " + expectedBytes);
            }
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(length)).order(ByteOrder.LITTLE_ENDIAN);
            while (buf.hasRemaining()) {
                if (channel.read(buf, offset + buf.position()) < 0) {
                    throw new InvalidModelException(where + ": external data file '" + location + "' ended early");
                }
            }
            return buf.flip();
        } catch (NoSuchFileException e) {
            throw new InvalidModelException(where + ": external data file '" + location + "' does not exist");
        } catch (IOException e) {
            throw new InvalidModelException(where + ": cannot read external data file '" + location + "': " + e.getMessage(), e);
        }
    }

    private Path resolveInside(String location, String where) {
        String refused = where + ": external data location '" + location + "' ";
        Path relative;
        try {
            relative = Path.of(location);
        } catch (InvalidPathException e) {
            throw new InvalidModelException(refused + "is not a valid path");
        }
        if (relative.isAbsolute() || location.startsWith("/") || location.startsWith("\\")) {
            throw new InvalidModelException(refused + "is absolute; it must be relative to the model's folder");
        }
        for (Path part : relative) {
            if (part.toString().equals("..")) throw new InvalidModelException(refused + "leaves the model's folder");
        }
        try {
            Path root = folder.toRealPath();
            Path real = root.resolve(relative).toRealPath();
            if (!real.startsWith(root)) throw new InvalidModelException(refused + "leads outside the model's folder");
            if (!Files.isRegularFile(real)) throw new InvalidModelException(refused + "is not a regular file");
            return real;
        } catch (NoSuchFileException e) {
            throw new InvalidModelException(where + ": external data file '" + location + "' does not exist");
        } catch (IOException e) {
            throw new InvalidModelException(refused + "cannot be resolved: " + e.getMessage(), e);
        }
    }

    private static long parseNonNegative(String text, String key, String where) {
        try {
            long v = Long.parseLong(text.trim());
            if (v >= 0) return v;
        } catch (NumberFormatException e) {
            // reported below with the key's name
        }
        throw new InvalidModelException(where + ": external data " + key + " '" + text + "' is not a non-negative integer");
    }
}
