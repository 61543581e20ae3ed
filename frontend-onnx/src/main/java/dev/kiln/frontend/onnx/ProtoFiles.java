package dev.kiln.frontend.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads protobuf files with the importer's limits: the file must fit protobuf's 2 GiB, and message nesting is
 * bounded so that a deeply nested file fails with an error instead of overflowing the stack.
 */
final class ProtoFiles {
    private ProtoFiles() {}

    /** The parsed message; {@code kind} (e.g. {@code ONNX model}) words the error when the bytes are not one. */
    static <T> T parse(Path file, Parser<T> parser, String kind) {
        byte[] bytes = read(file);
        try {
            CodedInputStream in = CodedInputStream.newInstance(bytes);
            in.setRecursionLimit(ImportLimits.PROTO_RECURSION_LIMIT);
            in.enableAliasing(true); // bytes fields (raw_data) share the file's buffer instead of copying it
            T message = parser.parseFrom(in);
            in.checkLastTagWas(0);
            return message;
        } catch (InvalidProtocolBufferException e) {
            throw new ImportException(file + ": not a valid " + kind + " (truncated or corrupt protobuf: " + e.getMessage() + ")", e);
        }
    }

    private static byte[] read(Path file) {
        try {
            long size = Files.size(file);
            if (size > ImportLimits.MAX_PROTO_BYTES) {
                throw new ImportException(file + ": " + size + " bytes is past protobuf's 2 GiB limit (large models keep weights in external data)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImportException(file + ": no such file", e);
        } catch (IOException e) {
            throw new ImportException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
