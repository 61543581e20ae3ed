package dev.kiln.backend.opencl.offline;

import dev.kiln.runtime.KilnException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/** One parsed JSON value at {@code path} in file {@code where}, read as a manifest expects it; errors name both. */
record JsonFields(String where, String path, Object value) {
    private Object field(String name) {
        if (!(value instanceof Map<?, ?> map)) throw new KilnException(where + ": " + (path.isEmpty() ? "the manifest" : path) + " is not an object");
        if (!map.containsKey(name)) throw error(name, "is missing");
        return map.get(name);
    }

    String string(String name) {
        if (field(name) instanceof String s) return s;
        throw error(name, "is not a string");
    }

    long number(String name) {
        if (field(name) instanceof Long n) return n;
        throw error(name, "is not an integer");
    }

    int integer(String name) {
        long n = number(name);
        if (n != (int) n) throw error(name, "is out of range");
        return (int) n;
    }

    Long asNumber() {
        if (value instanceof Long n) return n;
        throw new KilnException(where + ": " + path + " is not an integer");
    }

    String asString() {
        if (value instanceof String s) return s;
        throw new KilnException(where + ": " + path + " is not a string");
    }

    JsonFields object(String name) { return new JsonFields(where, child(name), field(name)); }

    <T> List<T> list(String name, Function<JsonFields, T> element) {
        if (!(field(name) instanceof List<?> items)) throw error(name, "is not a list");
        return IntStream.range(0, items.size()).mapToObj(i -> element.apply(new JsonFields(where, child(name) + "[" + i + "]", items.get(i)))).toList();
    }

    List<String> strings(String name) { return list(name, JsonFields::asString); }

    /** An object's entries, each value read by {@code element}, in the file's order. */
    <T> Map<String, T> map(String name, Function<JsonFields, T> element) {
        if (!(field(name) instanceof Map<?, ?> map)) throw error(name, "is not an object");
        Map<String, T> entries = new LinkedHashMap<>();
        map.forEach((k, v) -> entries.put((String) k, element.apply(new JsonFields(where, child(name) + "." + k, v))));
        return entries;
    }

    KilnException error(String name, String problem) { return new KilnException(where + ": " + child(name) + " " + problem); }

    private String child(String name) { return path.isEmpty() ? name : path + "." + name; }
}
